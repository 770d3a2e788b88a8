"""/api/public and what it must not say: nothing about an unpublished quarter's targets, seed or results."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from tests.e2e.conftest import FIRM_A, FIRM_B, PUBLIC_SEED, SECRET_SEED, World


def test_search_by_name_and_by_code(world: World) -> None:
    by_name = world.client.get("/api/public/enterprises", params={"q": "测试企业01"}).json()
    assert by_name["count"] == 1 and by_name["data"][0]["uscc"] == FIRM_A
    by_code = world.client.get("/api/public/enterprises", params={"q": FIRM_A.lower()}).json()
    assert [f["uscc"] for f in by_code["data"]] == [FIRM_A]
    assert set(by_code["data"][0]) == {"uscc", "name", "kind", "district", "industry", "status"}


def test_search_escapes_wildcards(world: World) -> None:
    assert world.client.get("/api/public/enterprises", params={"q": "%%"}).json()["count"] == 0


def test_unknown_firm_is_404_and_bad_code_422(world: World) -> None:
    assert world.client.get(f"/api/public/enterprises/{FIRM_B[:-1]}0").status_code in (404, 422)
    bad = world.client.get("/api/public/enterprises/91350200776049653B")
    assert bad.status_code == 422
    assert bad.json()["detail"] == "invalid input"


def test_plans_hide_the_draft_and_unpublished_figures(world: World) -> None:
    body = world.client.get("/api/public/plans").json()
    by_id = {p["id"]: p for p in body["data"]}
    assert world.plans["draft"] not in by_id
    inspecting = by_id[world.plans["inspecting"]]
    assert inspecting["published"] is False
    assert inspecting["stats"] is None and inspecting["seed"] is None and inspecting["audit_head"] is None
    assert inspecting["commitments"] and inspecting["plan"]["year"] == 2026  # public from the freeze on
    published = by_id[world.plans["published"]]
    assert published["seed"] == PUBLIC_SEED
    assert published["stats"]["visits"] == 1 and published["stats"]["coverage"]["exact"] == "1/12"


def test_draft_plan_is_404(world: World) -> None:
    assert world.client.get(f"/api/public/plans/{world.plans['draft']}").status_code == 404


@pytest.mark.parametrize("tail", ["visits", "results", "record", f"lottery/{FIRM_A}"])
def test_unpublished_details_are_404(world: World, tail: str) -> None:
    response = world.client.get(f"/api/public/plans/{world.plans['inspecting']}/{tail}")
    assert response.status_code == 404
    assert response.json()["detail"] == "not found"


def test_nothing_public_leaks_the_unpublished_quarter(world: World) -> None:
    inspecting = world.plans["inspecting"]
    paths = [
        "/",
        "/?q=测试企业",
        "/api/public/plans",
        f"/api/public/plans/{inspecting}",
        f"/plans/{inspecting}",
        f"/api/public/enterprises/{FIRM_A}/results",
        f"/api/public/enterprises/{FIRM_B}/results",
        f"/api/public/enterprises?q={FIRM_B}",
        "/openapi.json",
    ]
    for path in paths:
        text = world.client.get(path).text
        assert SECRET_SEED not in text, path
        assert "SECRET-FINDING" not in text, path
        assert world.visits["joint"] not in text and world.visits["solo"] not in text, path


def test_published_results_and_record(world: World) -> None:
    plan = world.plans["published"]
    results = world.client.get(f"/api/public/plans/{plan}/results").json()
    assert results["count"] == 1
    row = results["data"][0]
    assert (row["category"], row["category_en"]) == ("未发现问题", "no problem found")
    assert world.client.get(f"/api/public/enterprises/{FIRM_A}/results").json()["count"] == 1
    visits = world.client.get(f"/api/public/plans/{plan}/visits").json()
    assert visits["data"][0]["officers"] == []  # who inspected stays with the regulator
    record = world.client.get(f"/api/public/plans/{plan}/record")
    assert record.status_code == 200 and record.content.endswith(b"\n")
    assert record.json()["seed"]["reveals"]["SCJG"] == "1a" * 32


def test_lottery_matches_standard_library(world: World) -> None:
    expected = int.from_bytes(
        hashlib.sha256(bytes.fromhex(PUBLIC_SEED) + FIRM_A.encode()).digest()[:8], "big"
    )
    body = world.client.get(f"/api/public/plans/{world.plans['published']}/lottery/{FIRM_A}").json()
    assert body["number"] == str(expected)
    assert body["u"] == f"{expected}/{2**64}"
    free = world.client.get("/api/public/lottery", params={"seed": PUBLIC_SEED, "uscc": FIRM_A}).json()
    assert free["number"] == str(expected)
    # the snippet we hand out runs on a bare interpreter and prints the same number
    run = subprocess.run(
        [sys.executable, "-I", "-c", body["python"]], capture_output=True, text=True, check=True
    )
    assert run.stdout.split()[0] == str(expected)


def test_bad_seed_is_422_without_internals(world: World) -> None:
    response = world.client.get("/api/public/lottery", params={"seed": "zz" * 16, "uscc": FIRM_A})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "invalid input"
    assert "Traceback" not in response.text and "spotcheck/" not in response.text


def test_verify_explains_the_check(world: World) -> None:
    body = world.client.get("/api/public/verify").json()
    assert "SHA-256" in body["lottery"] and "spotcheck verify" in body["record"]
