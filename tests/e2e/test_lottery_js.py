"""The page's lottery box (spotcheck/web/static/lottery.js) computes the same number as the standard library.

The script runs in Node with a minimal stand-in for the page (three inputs, a form, an output); Web Crypto and
BigInt are Node's own. Skipped where Node is not installed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

import spotcheck.web

SCRIPT = Path(spotcheck.web.__file__).parent / "static" / "lottery.js"
SEED = "0b11c5" + "cd" * 29
CODE = "91350200776049653A"

HARNESS = """
const fs = require("fs");
const elements = {};
function element(id, value) { elements[id] = { value: value, textContent: "", listeners: {},
  addEventListener(kind, fn) { this.listeners[kind] = fn; } }; }
element("lottery"); element("lottery-out"); element("seed", process.argv[3]); element("uscc", process.argv[4]);
globalThis.document = { getElementById: (id) => elements[id] || null };
globalThis.window = globalThis;
eval(fs.readFileSync(process.argv[2], "utf8"));
elements["lottery"].listeners["submit"]({ preventDefault() {} });
setTimeout(() => console.log(JSON.stringify(elements["lottery-out"].textContent)), 200);
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_page_script_matches_hashlib(tmp_path: Path) -> None:
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    run = subprocess.run(
        ["node", str(harness), str(SCRIPT), SEED.upper(), CODE.lower()],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    shown = json.loads(run.stdout.strip().splitlines()[-1])
    expected = int.from_bytes(hashlib.sha256(bytes.fromhex(SEED) + CODE.encode()).digest()[:8], "big")
    assert f"整数 number {expected}" in shown
    assert CODE in shown and SEED in shown  # normalised as the Python snippet needs them


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_page_script_refuses_a_bad_code(tmp_path: Path) -> None:
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    run = subprocess.run(
        ["node", str(harness), str(SCRIPT), SEED, "91350200776049653O"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "18" in json.loads(run.stdout.strip().splitlines()[-1])
