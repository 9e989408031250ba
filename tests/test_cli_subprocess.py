"""A few real runs of the installed command: exit codes and clean stdout across a process boundary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("newsprism")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "newsprism.cli"]
    return subprocess.run([*command, *args], input=stdin, capture_output=True, text=True, timeout=300)


def test_console_script_version() -> None:
    if not SCRIPT.exists():
        pytest.skip(f"console script not installed next to {sys.executable}")
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip().startswith("newsprism ")


def test_ingest_json_stdout_is_only_json(kursk_dir: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.html"
    result = run("ingest", str(kursk_dir), str(missing), "--db", str(tmp_path / "p.db"), "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)  # no progress bar or table mixed in
    assert data["new"] == 5 and data["failed"] == 1
    assert result.stderr.strip().splitlines() == [f"{missing}: {data['errors'][0]['reason']}"]


def test_stdin_and_usage_error(tmp_path: Path) -> None:
    text = "Title: Pier closed\n\nThe pier was closed on Friday after storm damage, the council said.\n"
    db = str(tmp_path / "s.db")
    result = run("ingest", "-", "--db", db, "--json", stdin=text)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["new"] == 1
    assert run("ingest", "-", "--db", db, "--bogus").returncode == 2
