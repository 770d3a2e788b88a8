"""Storage: SQLAlchemy rows, Alembic migrations (the only way tables are made), a Unit of Work, repositories,
and the import use case. SQLAlchemy errors are mapped to spotcheck errors here.

    make_engine(url) -> Engine            SQLite: foreign keys ON, WAL
    upgrade(url) / current(url) / head()  Alembic, migrations shipped in spotcheck/store/migrations
    UnitOfWork(engine)                    with ... as uow: uow.directory / plans / draws / audit / tokens / users / sessions; uow.commit()
    import_file(uow, kind, path) / import_folder(uow, folder) -> ImportReport(s)
    city_from_store(uow, plan=..., as_of=...) -> City
"""

from spotcheck.store.accounts_repo import token_hash
from spotcheck.store.city_repo import city_from_store
from spotcheck.store.engine import make_engine
from spotcheck.store.errors import StorageError
from spotcheck.store.importer import ImportReport, import_file, import_folder
from spotcheck.store.migrate import current, head, upgrade
from spotcheck.store.uow import UnitOfWork

__all__ = [
    "ImportReport",
    "StorageError",
    "UnitOfWork",
    "city_from_store",
    "current",
    "head",
    "import_file",
    "import_folder",
    "make_engine",
    "token_hash",
    "upgrade",
]
