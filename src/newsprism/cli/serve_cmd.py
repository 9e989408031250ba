"""``newsprism serve`` (the web app and HTTP API) and ``newsprism tokens create|revoke|list``."""

from __future__ import annotations

from typing import Annotated

import typer

from newsprism.cli.common import DbOption, JsonOption, echo_json, fail, stderr, stdout

app = typer.Typer(help="API tokens for the HTTP API's write endpoints.", no_args_is_help=True)


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 8000,
    max_body_mb: Annotated[
        float, typer.Option("--max-body-mb", help="Largest request body accepted (413 above).", min=0.001)
    ] = 10.0,
    header_timeout: Annotated[float, typer.Option(
        "--header-timeout", help="Seconds a client has to send a request's headers (then 408 and close).",
        min=0.1)] = 10.0,
    keep_alive: Annotated[int, typer.Option(
        "--keep-alive", help="Seconds an idle connection is kept open between requests.", min=1)] = 30,
    max_connections: Annotated[int, typer.Option(
        "--max-connections", help="Connections at once; requests beyond it get 503.", min=1)] = 500,
    max_header_kb: Annotated[int, typer.Option(
        "--max-header-kb", help="Largest request head (request line and headers), KiB.", min=1)] = 16,
) -> None:
    """Serve the web app (stories, reports, articles) and the HTTP API under /api/v1.

    Reads are open to anyone who can reach the address; writes need a token from 'newsprism tokens create'.
    It listens on 127.0.0.1 unless --host says otherwise.
    """
    from newsprism.store import Store
    from newsprism.web.app import WebOptions, create_app
    from newsprism.web.server import ServerLimits, run

    Store.open(db, create=False).close()  # a mistyped path is refused, not served as an empty store
    web = create_app(db, WebOptions(max_body_bytes=int(max_body_mb * 1024 * 1024)))
    limits = ServerLimits(header_timeout, keep_alive, max_connections, max_header_kb * 1024)
    stderr().print(f"newsprism serving http://{host}:{port}/ "
                   "(API: /api/v1, docs: /docs, OpenAPI: /api/v1/openapi.json)")
    run(web, host, port, limits)


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="A label for the token, e.g. who uses it.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Create an API token. The secret is printed once; only its SHA-256 hash is stored."""
    from newsprism.store import Store
    from newsprism.web.tokens import create_token

    with Store.open(db) as store:
        token, info = create_token(store, name)
    if json_out:
        echo_json({**info.to_dict(), "token": token})
        return
    stdout().print(token, markup=False, highlight=False, soft_wrap=True)
    stderr().print(f"token {info.id} ({name}) created; store it now, it cannot be shown again")


@app.command("revoke")
def revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (see 'newsprism tokens list').")],
    db: DbOption = None,
) -> None:
    """Revoke a token by id; requests using it get 401 from then on."""
    from newsprism.store import Store
    from newsprism.web.tokens import revoke_token

    with Store.open(db, create=False) as store:
        if not revoke_token(store, token_id):
            raise fail(f"no active token with id {token_id!r}", 1)
    stderr().print(f"token {token_id} revoked")


@app.command("list")
def list_(db: DbOption = None, json_out: JsonOption = False) -> None:
    """List tokens (ids, names, dates; never the secrets)."""
    from rich.table import Table

    from newsprism.store import Store
    from newsprism.web.tokens import list_tokens

    with Store.open(db, create=False) as store:
        tokens = list_tokens(store)
    if json_out:
        echo_json([t.to_dict() for t in tokens])
        return
    table = Table(title="API tokens")
    for col in ("id", "name", "created", "status"):
        table.add_column(col)
    for t in tokens:
        table.add_row(t.id, t.name, t.created_at.isoformat(timespec="seconds"),
                      "active" if t.active else f"revoked {t.revoked_at:%Y-%m-%d}")
    stdout().print(table)
