"""A store that cannot be opened, a store that does not exist, inputs that give nothing to analyze,
filters that are not dates: each is one line naming the problem and exit 2 (or HTTP 422)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient

from newsprism.cli.main import app
from newsprism.store import Store
from newsprism.web.app import create_app
from test_hardening_store import bad_databases, run_cli, write_inputs


def db_commands() -> dict[str, list]:
    """Every command that takes ``--db``, by its full name, with its required arguments."""
    found: dict[str, list] = {}

    def walk(command, prefix: tuple[str, ...]) -> None:  # noqa: ANN001 - Typer's (vendored) click
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, (*prefix, name))
        elif any("--db" in getattr(p, "opts", ()) for p in command.params):
            found[" ".join(prefix)] = [p for p in command.params
                                       if p.param_type_name == "argument" and p.required]

    walk(typer.main.get_command(app), ())
    return found


def test_the_commands_with_db_are_the_known_ones() -> None:
    # A new command with --db joins the checks below by itself; this says which exist today.
    assert set(db_commands()) == {
        "ingest", "analyze", "articles list", "articles show", "stories list", "stories show",
        "stories topics", "stories build", "serve", "tokens create", "tokens revoke", "tokens list", "search",
        "watch", "export"}


def _args(name: str, arguments: list, inputs: Path) -> list[str]:
    out = [*name.split(), *(str(inputs) if a.name in ("paths", "sources") else "x" for a in arguments)]
    return [*out, "-o", str(inputs.parent / "findings.csv")] if name == "export" else out


@pytest.mark.parametrize("name", sorted(db_commands()))
def test_every_db_command_refuses_a_bad_store_in_one_line(name, tmp_path, monkeypatch, capsys):
    write_inputs(tmp_path / "in", range(1), bad=False)
    args = _args(name, db_commands()[name], tmp_path / "in")
    for why, db in bad_databases(tmp_path).items():
        code, _, err = run_cli(monkeypatch, capsys, *args, "--db", db)
        lines = [line for line in err.splitlines() if line.strip()]
        assert code == 2 and len(lines) == 1 and lines[0].startswith("Error: --db "), (why, err)
        assert "s3cret" not in err, (why, err)


READS = ["articles list", "articles show", "stories list", "stories show", "stories topics", "stories build",
         "serve",
         "tokens list", "tokens revoke", "search"]


@pytest.mark.parametrize("name", READS)
def test_read_commands_do_not_create_a_store_at_a_mistyped_path(name, tmp_path, monkeypatch, capsys):
    import newsprism.web.server

    monkeypatch.setattr(newsprism.web.server, "run", lambda *a, **k: None)  # never listen in a test
    typo = tmp_path / "newsrom.db"
    args = _args(name, db_commands()[name], tmp_path)
    code, _, err = run_cli(monkeypatch, capsys, *args, "--db", str(typo))
    assert code == 2, err
    assert err.strip() == f"Error: --db sqlite:///{typo}: no store at {typo}"
    assert not typo.exists() and not Path(f"{typo}-wal").exists()


def test_read_commands_use_the_default_store_only_if_it_exists(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSPRISM_DB", raising=False)
    code, _, err = run_cli(monkeypatch, capsys, "articles", "list")
    assert code == 2 and "no store at newsprism.db" in err and not (tmp_path / "newsprism.db").exists()
    Store.open(tmp_path / "newsprism.db").close()
    assert run_cli(monkeypatch, capsys, "articles", "list")[0] == 0


def test_write_commands_still_create_the_store(tmp_path, monkeypatch, capsys):
    write_inputs(tmp_path / "in", range(1), bad=False)
    fresh = tmp_path / "fresh.db"
    code, _, err = run_cli(monkeypatch, capsys, "ingest", str(tmp_path / "in"), "--db", str(fresh), "--json")
    assert code == 0, err
    assert run_cli(monkeypatch, capsys, "articles", "list", "--db", str(fresh))[0] == 0
    tokens = tmp_path / "tokens.db"
    assert run_cli(monkeypatch, capsys, "tokens", "create", "ci", "--db", str(tokens))[0] == 0
    assert run_cli(monkeypatch, capsys, "tokens", "list", "--db", str(tokens))[0] == 0


def test_analyze_of_nothing_is_a_usage_error(tmp_path, monkeypatch, capsys):
    missing = tmp_path / "nonexistent"
    out = tmp_path / "r.json"
    code, stdout, err = run_cli(monkeypatch, capsys, "analyze", str(missing), "-o", str(out), "--json")
    lines = err.strip().splitlines()
    assert code == 2 and stdout == "", err
    assert lines[0].startswith(f"{missing}: ") and lines[-1].startswith("Error: nothing to analyze")
    assert not out.exists()
    (tmp_path / "empty").mkdir()
    assert run_cli(monkeypatch, capsys, "analyze", str(tmp_path / "empty"))[0] == 2


def test_an_unknown_field_in_analyze_is_a_usage_error(tmp_path, monkeypatch, capsys):
    write_inputs(tmp_path / "in", range(1), bad=False)
    code, _, err = run_cli(monkeypatch, capsys, "analyze", str(tmp_path / "in"), "--field", "bogus=body")
    assert code == 2 and "bogus" in err


def test_since_and_until_must_be_dates(tmp_path):
    db = tmp_path / "web.db"
    Store.open(db).close()
    with TestClient(create_app(db)) as client:
        for path in ("/api/v1/stories", "/stories"):
            for key in ("since", "until"):
                bad = client.get(path, params={key: "yesterday", "format": "json"})
                assert bad.status_code == 422 and "yesterday" in bad.text, (path, key, bad.text)
            good = client.get(path, params={"since": "2024-05-01", "until": "2024-05-02T10:00Z",
                                            "format": "json"})
            assert good.status_code == 200, good.text
