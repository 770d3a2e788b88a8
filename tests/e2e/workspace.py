"""The regulator's workspace pages through a TestClient used as a browser: a person signed in on the sign-in
page with their own account, whose forms carry the session's CSRF token, and a job's page followed until the
job is done."""

from __future__ import annotations

import re
import time
from typing import Any

from fastapi.testclient import TestClient

from tests.accounts import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


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
