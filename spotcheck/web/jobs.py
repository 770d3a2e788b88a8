"""Long steps (the target draw, the inspector draw, a large upload) run in a background thread while the page
shows their progress: ``/regulator/jobs/{id}`` reloads itself every second until the job is done, then links on
(docs/api.md "Web pages"). A job belongs to the person who started it; nobody else sees it.

    job = start(owner, title, work)     work(progress) -> the message shown when it is done
    find(job_id, owner) -> Job | None

Jobs live in this process only: a restart forgets them, not their effect (each use case commits or rolls back
as a whole).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from spotcheck.domain.errors import SpotcheckError

__all__ = ["Job", "Progress", "find", "start"]

Progress = Callable[[str, int, int], None]
log = logging.getLogger("spotcheck.web")
KEEP = 200  # finished jobs remembered, oldest forgotten first


@dataclass
class Job:
    id: str
    owner: str
    title: str
    then: str  # where the page links once done
    stage: str = ""
    done: int = 0
    total: int = 0
    finished: bool = False
    error: SpotcheckError | None = None
    message: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def percent(self) -> int:
        return 100 if self.finished else (100 * self.done // self.total if self.total else 0)

    def progress(self, stage: str, done: int, total: int) -> None:
        with self.lock:
            self.stage, self.done, self.total = stage, done, total


_JOBS: dict[str, Job] = {}
_GUARD = threading.Lock()


def start(owner: str, title: str, then: str, work: Callable[[Progress], str]) -> Job:
    """Run ``work`` in a thread; its refusal (a ``SpotcheckError``) is kept for the page, anything else is
    kept as an internal error without its text."""
    job = Job(secrets.token_urlsafe(12), owner, title, then)

    def run() -> None:
        try:
            job.message = work(job.progress)
        except SpotcheckError as exc:
            job.error = exc
        except Exception:  # shown as "internal error", never its text
            log.exception("job %s failed", job.id)
            job.error = SpotcheckError("internal error")
        finally:
            job.finished = True

    with _GUARD:
        _JOBS[job.id] = job
        for old in list(_JOBS)[:-KEEP]:
            if _JOBS[old].finished:
                del _JOBS[old]
    threading.Thread(target=run, name=f"job-{job.id}", daemon=True).start()
    return job


def find(job_id: str, owner: str) -> Job | None:
    with _GUARD:
        job = _JOBS.get(job_id)
    return job if job is not None and job.owner == owner else None
