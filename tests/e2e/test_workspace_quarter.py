"""A whole quarter through the regulator's pages (server-rendered forms, no JSON), each person signed in with
their own account: each department commits to and hands in its own secret on its own page, the lead freezes,
enters the beacon, draws, staffs, opens and closes the window and publishes; each department reviews its own
results. The printable notice then lists every published result."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from spotcheck.api import create_app
from spotcheck.config import Settings
from spotcheck.ingest.city import find_file
from spotcheck.ingest.columns import KINDS
from spotcheck.queries.results import results
from spotcheck.queries.visits import visits
from spotcheck.services.publication import verify_plan
from spotcheck.store.importer import import_file
from spotcheck.store.uow import UnitOfWork
from tests.accounts import add_account, token_for
from tests.conftest import write_tiny_city
from tests.e2e.local_assets import assets_served_here
from tests.e2e.workspace import ACCOUNTS, Person, add_accounts, finished, signed_in

DEPARTMENTS = ("SCJG", "STHJ", "XF")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SECRETS: dict[str, str] = {}  # department -> the secret its page drew, kept by the department


def _people(app: object, uow_factory: Callable[[], UnitOfWork], city: Path) -> dict[str, Person]:
    add_accounts(uow_factory, city)
    return {d: signed_in(app, username) for d, (username, _) in ACCOUNTS.items()}


def _post(client: TestClient, path: str, data: dict[str, str] | None = None, status: int = 200) -> str:
    response = client.post(path, data=data or {})
    assert response.status_code == status, (path, re.findall(r'role="alert">([^<]*)', response.text))
    return response.text


def _upload(client: TestClient, city: Path) -> None:
    """Every directory through the upload form, in dependency order; each a job followed to its end."""
    for kind in KINDS:
        path = find_file(city, kind)
        assert path is not None
        sent = client.post(
            f"/regulator/directories/{kind}",
            files={"file": (path.name, path.read_bytes(), "text/csv")},
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
        _wait(client, sent.headers["location"])


def test_a_quarter_through_the_pages(uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> None:
    city = write_tiny_city(tmp_path / "city", firms=60)
    app = create_app(Settings(), uow_factory=uow_factory)
    people = _people(app, uow_factory, city)
    lead = people["SCJG"]
    _upload(lead, city)
    assert "临沂测试企业" in lead.get("/regulator/directories/enterprises", params={"q": "测试"}).text
    text = (city / "plan.json").read_text(encoding="utf-8")
    checked = _post(lead, "/regulator/plan-editor/check", {"plan_json": text})
    assert 'id="targets"' in checked and "σ" in checked
    bad = json.loads(text) | {"tasks": [{**json.loads(text)["tasks"][0], "items": ["NO-SUCH-ITEM"]}]}
    refused = _post(lead, "/regulator/plan-editor/check", {"plan_json": json.dumps(bad)}, status=422)
    assert "NO-SUCH-ITEM" in refused
    saved = lead.post("/regulator/plan-editor/save", data={"plan_json": text}, follow_redirects=False)
    assert saved.status_code == 303
    plan_id = int(saved.headers["location"].rsplit("/", 1)[1])
    assert (
        json.loads(lead.get(f"/regulator/plans/{plan_id}/plan.json").text)["tasks"]
        == json.loads(text)["tasks"]
    )
    base = f"/regulator/plans/{plan_id}"

    assert 'data-state="draft"' in lead.get(base).text
    for d, who in people.items():
        mine = who.get(f"{base}/ceremony").text
        assert 'id="commit-form"' in mine and 'id="handin-form"' not in mine
        # the page suggests a random secret; the department keeps it until the hand-in
        SECRETS[d] = re.search(r'name="secret" class="mono" value="([0-9a-f]{64})"', mine).group(1)  # type: ignore[union-attr]
        _post(who, f"{base}/ceremony/commit", {"secret": SECRETS[d]})
    source = "中国体育彩票 2025150"
    freeze = {"frozen_on": "2025-12-20", "beacon_source": source, "beacon_date": "2025-12-22"}
    page = _post(lead, f"{base}/freeze", {**freeze, "unstaffable": "defer"})
    assert "冻结声明" in page and 'data-state="frozen"' in page and source in page
    _post(lead, f"{base}/beacon", {"value": "03 11 19 27 33 + 05 09", "source": source})
    early = lead.post(f"{base}/draw", follow_redirects=False)
    refused = finished(lead, early.headers["location"])  # nobody handed in yet: refused, naming them
    assert 'role="alert"' in refused and "STHJ" in refused and 'data-state="seeded"' in lead.get(base).text
    others = people["XF"].post(f"{base}/freeze", data=freeze)
    assert others.status_code == 403  # only the lead runs the quarter's shared steps
    for d, who in people.items():
        assert 'id="handin-form"' in who.get(f"{base}/ceremony").text
        _post(who, f"{base}/ceremony/handin", {"secret": SECRETS[d]})
    done = lead.post(f"{base}/draw", follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/regulator/jobs/")
    _wait(lead, done.headers["location"])
    assert 'data-state="drawn"' in lead.get(base).text
    done = lead.post(f"{base}/assign", follow_redirects=False)
    _wait(lead, done.headers["location"])
    _post(lead, f"{base}/start", {"begin": "2026-01-05", "end": "2026-03-20"})
    page = lead.get(base).text
    unrecorded = int(re.search(r'id="unrecorded"[^>]*>[^:]*: (\d+)', page).group(1))  # type: ignore[union-attr]
    assert unrecorded > 0
    _record_every_result(app, uow_factory, plan_id)
    linked = [
        (who, f)
        for who in people.values()
        for f in re.findall(r'href="(/regulator/results/[^"]+)"', who.get(f"{base}/review").text)
    ]
    assert (
        len(linked) == 1 and "现场照片.png" in linked[0][0].get(f"{base}/review").text
    )  # the photo, in its queue
    owner, link = linked[0]
    assert owner.get(link).content == PNG
    others = [who for who in people.values() if who is not owner]
    assert all(who.get(link).status_code == 403 for who in others)  # another department's result: refused
    for who in people.values():
        queue = who.get(f"{base}/review").text
        for visit, department in re.findall(r'data-visit="([^"]+)" data-department="([^"]+)"', queue):
            _post(who, f"{base}/review", {"visit": visit, "department": department, "decision": "approve"})
    assert 'data-state="results"' in _post(lead, f"{base}/close")
    assert 'data-state="published"' in _post(lead, f"{base}/publish")

    notice = lead.get(f"{base}/notice").text
    with uow_factory() as uow:
        published, count = results(uow, plan_id=plan_id, limit=100_000)
    assert count > 0 and f'id="notice-count">{count}<' in notice
    assert all(r.uscc in notice for r in published)
    verify_plan(uow_factory(), plan_id)  # raises VerificationError on any difference

    with uow_factory() as uow:
        stored, stored_visits = visits(uow, plan_id, with_officers=True, limit=100_000)
    carried = [v for v in stored if v.officers]  # a deferred visit has no team
    assert len(carried) < stored_visits  # this quarter defers some: the figures must leave them out
    staffing = lead.get(f"{base}/staffing").text  # each deferral with the rule that blocked it and the fix
    assert 'id="deferred"' in staffing and staffing.count('class="mono small">') >= stored_visits - len(
        carried
    )
    charts = lead.get(f"/regulator/charts?plan={plan_id}").text
    assert f'id="fig-visits">{len(carried)}<' in charts
    for department in DEPARTMENTS:
        mine = sum(1 for v in carried if department in v.departments)
        joint = sum(1 for v in carried if department in v.departments and v.joint)
        if mine:
            assert f"<td>{mine}</td>" in charts
            assert f"{joint} ({round(100 * joint / mine, 2)}%)" in charts
    tiers = re.search(r'id="fig-tiers">(.*?)</table>', charts, re.DOTALL).group(1)  # type: ignore[union-attr]
    realised = [int(n) for n in re.findall(r"<tr><td>[^<]+</td><td>(\d+)</td>", tiers)]
    assert sum(realised) == len(carried)  # by tier, deferred visits excluded
    expected = re.findall(r"<td>(\d+\.\d)</td>", tiers)
    assert expected and abs(sum(map(float, expected[::2])) - stored_visits) < stored_visits  # beside realised
    cumulative = re.search(r'id="fig-quarters">(.*?)</table>', charts, re.DOTALL).group(1)  # type: ignore[union-attr]
    assert cumulative.count("%</td>") == 4  # realised and expected, coverage and joint share
    _crawl(lead, plan_id)
    book = load_workbook(io.BytesIO(lead.get(f"{base}/export.xlsx").content), read_only=True)
    sheets = [list(ws.iter_rows(values_only=True)) for ws in book.worksheets]
    assert len(sheets[0]) - 1 == stored_visits  # every visit, below the header
    assert len(sheets[2]) - 1 == count  # every result (all published here)
    mine = load_workbook(io.BytesIO(lead.get(f"{base}/export.xlsx?department=XF").content), read_only=True)
    assert {r[1] for r in list(mine.worksheets[1].iter_rows(values_only=True))[1:]} <= {"XF"}


def test_a_bad_upload_lists_every_bad_row_and_stores_nothing(
    uow_factory: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    app = create_app(Settings(), uow_factory=uow_factory)
    lead = _people(app, uow_factory, write_tiny_city(tmp_path / "city"))["SCJG"]
    bad = "code,name\n371302,兰山区\n,无代码\n371302,重复\n"
    sent = lead.post(
        "/regulator/directories/districts",
        files={"file": ("districts.csv", bad.encode(), "text/csv")},
        follow_redirects=False,
    )
    page = finished(lead, sent.headers["location"])
    assert 'id="problem-count">2<' in page and "<td>3</td>" in page and "<td>4</td>" in page
    with uow_factory() as uow:
        assert uow.directory.count("districts") == 0
    job = sent.headers["location"]
    book = load_workbook(io.BytesIO(lead.get(f"{job}/problems.xlsx").content), read_only=True)
    assert [r[0] for r in list(book.worksheets[0].iter_rows(values_only=True))[1:]] == [3, 4]


def test_the_upload_api_takes_multipart_and_refuses_bad_files(
    uow_factory: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    city = write_tiny_city(tmp_path / "city")
    client = TestClient(create_app(Settings(), uow_factory=uow_factory), raise_server_exceptions=False)
    import_file(uow_factory(), "departments", city / "departments.csv", actor="operator")
    with uow_factory() as uow:
        token = token_for(uow, add_account(uow, "li", "lead", department="SCJG"))
        uow.commit()
    auth = {"Authorization": f"Bearer {token}"}
    path = city / "districts.csv"
    files = {"file": ("districts.csv", path.read_bytes(), "text/csv")}
    lines = len(path.read_text(encoding="utf-8").splitlines()) - 1
    assert client.post("/api/regulator/directories/districts", files=files).status_code == 401
    done = client.post("/api/regulator/directories/districts", files=files, headers=auth)
    assert done.status_code == 200 and done.json()["added"] == lines > 0
    wrong = client.post("/api/regulator/directories/items", files=files, headers=auth)
    assert wrong.status_code == 422  # a districts file is not an items file
    department = {"Authorization": f"Bearer {_department_token(uow_factory)}"}
    assert (
        client.post("/api/regulator/directories/districts", files=files, headers=department).status_code
        == 403
    )
    huge = {"Content-Length": str(600 * 1024**2), **auth}
    assert client.post("/api/regulator/directories/districts", headers=huge, content=b"x").status_code == 413


def _crawl(client: TestClient, plan_id: int) -> None:
    """Every workspace page and every asset it loads: none refers to an outside host."""
    base = f"/regulator/plans/{plan_id}"
    pages = ["/regulator", "/regulator/directories", "/regulator/directories/enterprises?q=测试",
             "/regulator/plan-editor", f"/regulator/charts?plan={plan_id}", base, f"{base}/ceremony",
             f"{base}/staffing", f"{base}/review", f"{base}/notice", "/regulator?lang=en"]  # fmt: skip
    assets = assets_served_here(client, pages)
    assert any("echarts" in a for a in assets) and any("workspace.css" in a for a in assets)


def _department_token(uow_factory: Callable[[], UnitOfWork]) -> str:
    with uow_factory() as uow:
        token = token_for(uow, add_account(uow, "zhao", "department", department="XF"))
        uow.commit()
    return token


def _wait(client: TestClient, job: str) -> None:
    page = finished(client, job)
    assert 'role="alert"' not in page, re.findall(r'role="alert">([^<]*)', page)


def _record_every_result(app: object, uow_factory: Callable[[], UnitOfWork], plan_id: int) -> None:
    """Each team's officers record their department's result through the inspector API."""
    api = TestClient(app)  # type: ignore[arg-type]
    with uow_factory() as uow:
        token = token_for(uow, uow.users.by_name("li"))  # type: ignore[arg-type]
        uow.commit()
    visits = api.get(
        f"/api/regulator/plans/{plan_id}/visits?limit=1000", headers={"Authorization": f"Bearer {token}"}
    ).json()["data"]
    officers = sorted({o.split(":")[1] for v in visits for o in v["officers"]})
    recorded: set[tuple[str, str]] = set()
    for officer in officers:
        with uow_factory() as uow:
            mine = token_for(uow, add_account(uow, officer.lower(), "inspector", officer=officer))
            uow.commit()
        auth = {"Authorization": f"Bearer {mine}"}
        for a in api.get("/api/inspector/assignments", headers=auth).json()["data"]:
            if (a["visit_id"], a["department"]) not in recorded:
                body = {"category": "no_problem", "findings": "未发现问题"}
                answer = api.post(
                    f"/api/inspector/assignments/{a['visit_id']}/result", headers=auth, json=body
                )
                assert answer.status_code == 201, answer.text
                if not recorded:  # the first result carries a photo the reviewer opens
                    files = [("files", ("现场照片.png", PNG, "image/png"))]
                    path = f"/api/inspector/assignments/{a['visit_id']}/result/attachments"
                    assert api.post(path, headers=auth, files=files).status_code == 201
                recorded.add((a["visit_id"], a["department"]))
