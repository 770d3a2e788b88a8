"""The regulator's workspace for the tests that walk a quarter through it: the three departments' accounts;
through a TestClient used as a browser, a person signed in on the sign-in page with their own account, whose
forms carry the session's CSRF token; and a job's page followed until the job is done."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from spotcheck.store.importer import import_file
from spotcheck.store.uow import UnitOfWork
from tests.accounts import PASSWORD, add_account

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# department -> (username, role); SCJG's account is the lead regulator's
ACCOUNTS = {"SCJG": ("li", "lead"), "STHJ": ("wang", "department"), "XF": ("zhao", "department")}


def add_accounts(uow_factory: Callable[[], UnitOfWork], city: Path) -> None:
    """The accounts, as the operator creates them (``spotcheck user create``) once the departments are known:
    an account names its department, so the city's departments list is loaded first (the lead uploads it
    again through the pages)."""
    import_file(uow_factory(), "departments", city / "departments.csv", actor="operator")
    with uow_factory() as uow:
        for department, (username, role) in ACCOUNTS.items():
            add_account(uow, username, role, department=department)
        uow.commit()


class Person(TestClient):
    """A browser signed in with one account; every form it posts carries the session's CSRF token."""

    csrf = ""

    def post(self, url: Any, *, data: Any = None, **kwargs: Any) -> Any:  # type: ignore[override]
        if data is not None or "files" not in kwargs:
            data = {"csrf_token": self.csrf, **(data or {})}
        else:
            data = {"csrf_token": self.csrf}
        return super().post(url, data=data, **kwargs)


def signed_in(app: object, username: str) -> Person:
    """A browser that signed in as ``username`` on /regulator (whose password is tests/accounts.py's)."""
    client = Person(app, raise_server_exceptions=False)  # type: ignore[arg-type]
    form = client.get("/regulator")
    assert form.status_code == 401
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    data = {"username": username, "password": PASSWORD, "csrf_token": token}
    done = TestClient.post(client, "/regulator/login", data=data, follow_redirects=False)
    assert done.status_code == 303, done.text
    home = client.get("/regulator")
    assert home.status_code == 200
    client.csrf = CSRF.search(home.text).group(1)  # type: ignore[union-attr]
    return client


def finished(client: TestClient, job: str) -> str:
    """The job's page once it says the job is done (it is polled for up to 30 s)."""
    for _ in range(600):
        page = client.get(job).text
        if 'data-finished="yes"' in page:
            return page
        time.sleep(0.05)
    raise AssertionError("the job did not finish")
