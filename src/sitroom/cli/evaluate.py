"""`sitroom eval CORPUS_DIR` (claims and control against gold) and `sitroom eval geoparse FILE.xml`."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from sitroom.cli.common import emit_json
from sitroom.errors import SitroomError


@click.command("eval")
@click.argument("target")
@click.argument("file", required=False)
@click.option("--db", metavar="URL", help="Score this store as it is, instead of ingesting into a temporary one.")
@click.option("--extractor", default="rules.v1", show_default=True, help="Extractor to evaluate.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def eval_command(target: str, file: str | None, db: str | None, extractor: str, fmt: str) -> None:
    """Score sitroom against gold data.

    TARGET is a corpus folder (with docs/ and/or raw/, and gold/claims.jsonl, gold/control.jsonl), or the
    word `geoparse` followed by an LGL/GeoWebNews-style XML file.
    """
    if target == "geoparse":
        if not file:
            raise click.UsageError("sitroom eval geoparse needs the gold XML file: sitroom eval geoparse FILE.xml")
        from sitroom.cli.geo import eval_geoparse

        eval_geoparse.main([file, "--format", fmt], prog_name="sitroom eval geoparse", standalone_mode=False)
        return
    if file:
        raise click.UsageError(f"unexpected argument {file!r}: sitroom eval CORPUS_DIR [--db URL]")
    from sitroom.evaluate.runner import evaluate_corpus

    corpus = Path(target)
    if not corpus.is_dir():
        raise click.BadParameter(f"{target}: not a folder", param_hint="CORPUS_DIR")
    try:
        if db:
            result = evaluate_corpus(corpus, db=db, extractor=extractor, ingest=False)
        else:
            with tempfile.TemporaryDirectory(prefix="sitroom-eval-") as tmp:
                result = evaluate_corpus(corpus, db=str(Path(tmp) / "eval.db"), extractor=extractor, ingest=True)
    except SitroomError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        emit_json(result.as_dict())
    else:
        click.echo(result.render_table())
