"""`sitroom serve`: the REST API and the web page over the store, with uvicorn."""

from __future__ import annotations

import click

from sitroom.cli.common import db_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--token",
    envvar="SITROOM_API_TOKEN",
    metavar="TOKEN",
    help="Bearer token for POST /documents (env SITROOM_API_TOKEN); without one the server is read-only.",
)
@db_option
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, token: str | None) -> None:
    """Serve the web page (map, timeline, claims and sources) and the REST API (/docs) over the store."""
    import uvicorn

    from sitroom.api import create_app
    from sitroom.errors import SitroomError

    db = (ctx.obj or {}).get("db")
    try:
        app = create_app(db, token=token or "")
    except SitroomError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"sitroom: serving http://{host}:{port}/ (API docs at /docs); Ctrl-C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")
