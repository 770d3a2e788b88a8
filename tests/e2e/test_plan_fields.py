"""The plan editor's form fields (docs/formats.md "plan.json"): a stored plan shown as fields and posted back
makes the same plan; a ratio changed in its field changes the plan and the projection; a refused plan is
explained; saving from the fields stores the draft."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from fastapi.testclient import TestClient
from httpx2 import Response

from spotcheck.api import create_app
from spotcheck.config import Settings
from spotcheck.ingest.plan import parse_plan
from spotcheck.store.importer import import_folder
from spotcheck.store.uow import UnitOfWork
from tests.accounts import PASSWORD, add_account
from tests.conftest import write_tiny_city


class _Form(HTMLParser):
    """The fields one form would post, as a browser would: inputs with their values (checkboxes when ticked),
    each select's chosen option."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.select, self.fields = form_id, False, "", []  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        elif self.inside and tag == "input" and a.get("name"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields.append((a["name"], a.get("value", "")))
        elif self.inside and tag == "select":
            self.select = a.get("name", "")
        elif self.inside and tag == "option" and "selected" in a and self.select:
            self.fields.append((self.select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def _fields(page: str, form_id: str) -> list[tuple[str, str]]:
    parser = _Form(form_id)
    parser.feed(page)
    return parser.fields


def _send(client: TestClient, fields: list[tuple[str, str]], *, follow: bool = True) -> Response:
    """Post the fields as a browser posts a form (a name may repeat: ticked checkboxes)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    path = "/regulator/plan-editor/fields"
    return client.post(path, content=urlencode(fields), headers=headers, follow_redirects=follow)


def test_the_plan_is_edited_in_form_fields(uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> None:
    city = write_tiny_city(tmp_path / "city", firms=40)
    import_folder(uow_factory(), city)
    with uow_factory() as uow:
        add_account(uow, "li", "lead", department="SCJG")
        uow.commit()
    client = TestClient(create_app(Settings(), uow_factory=uow_factory), raise_server_exceptions=False)
    form = client.get("/regulator").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    client.post("/regulator/login", data={"username": "li", "password": PASSWORD, "csrf_token": token})
    original = json.loads((city / "plan.json").read_text(encoding="utf-8"))
    upload = _fields(client.get("/regulator/plan-editor").text, "plan-upload")
    files = {"file": ("plan.json", json.dumps(original).encode(), "application/json")}
    editor = client.post("/regulator/plan-editor/upload", data=dict(upload), files=files).text
    fields = _fields(editor, "fields-form")
    assert any(name == "task-0-ratio-A" for name, _ in fields) and any(
        n.startswith("joint-0-p-1") for n, _ in fields
    )

    shown = _send(client, [*fields, ("intent", "json")])
    assert shown.status_code == 200
    text = re.search(r'<textarea id="plan-json"[^>]*>(.*?)</textarea>', shown.text, re.DOTALL).group(1)  # type: ignore[union-attr]
    again = json.loads(text.replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&"))
    assert parse_plan(again) == parse_plan(original)  # the fields make the same plan

    changed = [(n, "0.5" if n == "task-0-ratio-D" else v) for n, v in fields]
    checked = _send(client, [*changed, ("intent", "check")])
    assert checked.status_code == 200 and 'id="targets"' in checked.text and "σ" in checked.text
    bad = [(n, "2" if n == "task-0-ratio-D" else v) for n, v in fields]
    refused = _send(client, [*bad, ("intent", "check")])
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    saved = _send(client, [*changed, ("intent", "save")], follow=False)
    assert saved.status_code == 303
    plan_id = int(saved.headers["location"].rsplit("/", 1)[1])
    with uow_factory() as uow:
        stored = parse_plan(json.loads(uow.plans.get(plan_id).plan_json))
    task = next(t for t in stored.tasks if t.id == original["tasks"][0]["id"])
    assert str(task.ratios[max(task.ratios)]) == "1/2"  # tier D's ratio as edited
