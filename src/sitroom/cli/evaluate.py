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
@click.option(
    "--extractor",
    "extractors",
    multiple=True,
    metavar="NAME",
    help="Extractor to evaluate (default rules.v1); give it more than once to compare extractors side by side.",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def eval_command(target: str, file: str | None, db: str | None, extractors: tuple[str, ...], fmt: str) -> None:
    """Score sitroom against gold data.

    TARGET is a corpus folder (with docs/ and/or raw/, and gold/claims.jsonl, gold/control.jsonl); or the
    word `geoparse` followed by an LGL/GeoWebNews-style XML file; or the word `scorer` followed by a file of
    labelled sentences (default tests/scorer-heldout/sentences.jsonl) to measure the learned sentence scorer. A corpus folder may hold `first-run.json`,
    the score it had at its first run, which is printed beside the score now.

    With several --extractor options each extractor reads the corpus into a store of its own and the figures
    are printed side by side (F1 overall and per type, attributes, must-not hits, control F1, articles/s).
    """
    if target == "geoparse":
        if not file:
            raise click.UsageError("sitroom eval geoparse needs the gold XML file: sitroom eval geoparse FILE.xml")
        from sitroom.cli.geo import eval_geoparse

        eval_geoparse.main([file, "--format", fmt], prog_name="sitroom eval geoparse", standalone_mode=False)
        return
    if target == "scorer":
        from sitroom.evaluate.sentences import score_sentences

        path = Path(file) if file else Path("tests/scorer-heldout/sentences.jsonl")
        if not path.is_file():
            raise click.BadParameter(f"{path}: no such file of labelled sentences", param_hint="FILE")
        try:
            report = score_sentences(path)
        except SitroomError as exc:
            raise click.ClickException(str(exc)) from exc
        emit_json(report.as_dict()) if fmt == "json" else click.echo(report.render_table())
        return
    if file:
        raise click.UsageError(f"unexpected argument {file!r}: sitroom eval CORPUS_DIR [--db URL]")
    from sitroom.evaluate.runner import evaluate_corpus, render_comparison

    corpus = Path(target)
    if not corpus.is_dir():
        raise click.BadParameter(f"{target}: not a folder", param_hint="CORPUS_DIR")
    from sitroom.extract.base import resolve_name

    try:
        names = list(dict.fromkeys(resolve_name(n) for n in extractors)) or ["rules.v1"]
    except SitroomError as exc:
        raise click.ClickException(str(exc)) from exc
    if db and len(names) > 1:
        raise click.UsageError("--db scores one extractor's claims in a store as it is; give one --extractor")
    try:
        if db:
            results = [evaluate_corpus(corpus, db=db, extractor=names[0], ingest=False)]
        else:
            results = []
            for name in names:
                with tempfile.TemporaryDirectory(prefix="sitroom-eval-") as tmp:
                    results.append(evaluate_corpus(corpus, db=str(Path(tmp) / "eval.db"), extractor=name))
    except SitroomError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        emit_json(
            results[0].as_dict() if len(results) == 1 else {"corpus": target, "results": [r.as_dict() for r in results]}
        )
    elif len(results) == 1:
        click.echo(results[0].render_table())
    else:
        click.echo(render_comparison(results))
