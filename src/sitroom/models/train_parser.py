"""Reproduce sitroom's English parser: tagger (UPOS + morphology), dependency parser and lemmatiser.

Trained with spaCy's own `spacy train` from Universal Dependencies English EWT (CC BY-SA 4.0), the copy at
`../shared/data/ud-english-ewt/`; nothing is downloaded. Run from the repository root:

    .venv/bin/python -m sitroom.models.train_parser --ud ../shared/data/ud-english-ewt [--steps 6000]

It converts the treebank, trains (about an hour on two cores), scores the best model on the EWT *test* split,
strips what the runtime does not need, and writes the pipeline to `src/sitroom/models/parser-en/` with
`SHA256SUMS` and `metrics.json` beside it. The loader (`sitroom.extract.syntax`) checks the sums.

The config is spaCy's "efficiency" preset with two changes made for speed at run time: no separate PTB tagger
(the morphologizer gives UPOS and features, which is what the rules read), and a narrower hash embedding. The
seed is fixed; spaCy's training is deterministic on one CPU thread for a given seed and spaCy version, close
to it otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "parser-en"
SPLITS = {"train": "en_ewt-ud-train.conllu", "dev": "en_ewt-ud-dev.conllu", "test": "en_ewt-ud-test.conllu"}

CONFIG = """
[paths]
train = null
dev = null

[system]
gpu_allocator = null
seed = 0

[nlp]
lang = "en"
pipeline = ["tok2vec", "morphologizer", "parser", "trainable_lemmatizer"]
batch_size = 1000

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = ${components.tok2vec.model.encode.width}
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
rows = [5000, 1000, 2500, 2500]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3

[components.morphologizer]
factory = "morphologizer"
label_smoothing = 0.05
overwrite = true
extend = false

[components.morphologizer.model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = false

[components.morphologizer.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${components.tok2vec.model.encode.width}
upstream = "*"

[components.parser]
factory = "parser"
learn_tokens = false
min_action_freq = 30
update_with_oracle_cut_size = 100

[components.parser.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "parser"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.parser.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${components.tok2vec.model.encode.width}
upstream = "*"

[components.trainable_lemmatizer]
factory = "trainable_lemmatizer"
backoff = "orth"
min_tree_freq = 3
overwrite = false
top_k = 1

[components.trainable_lemmatizer.model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = false

[components.trainable_lemmatizer.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${components.tok2vec.model.encode.width}
upstream = "*"

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}
max_length = 0

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${system.seed}
dropout = 0.1
accumulate_gradient = 1
patience = 2000
max_epochs = 0
max_steps = 6000
eval_frequency = 400

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001

[training.optimizer]
@optimizers = "Adam.v1"
learn_rate = 0.001
L2 = 0.01
grad_clip = 1.0

[training.score_weights]
pos_acc = 0.15
morph_acc = 0.1
dep_uas = 0.15
dep_las = 0.4
lemma_acc = 0.2

[initialize]
"""


def run(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "spacy", *args], check=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_sums(model_dir: Path) -> None:
    lines = [
        f"{sha256(p)}  {p.relative_to(model_dir).as_posix()}"
        for p in sorted(model_dir.rglob("*"))
        if p.is_file() and p.name != "SHA256SUMS"
    ]
    (model_dir / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--ud", type=Path, default=Path("../shared/data/ud-english-ewt"), help="folder of EWT .conllu files"
    )
    ap.add_argument("--steps", type=int, default=6000, help="training steps (batches)")
    ap.add_argument("--work", type=Path, help="keep intermediate files here (default: a temporary folder)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="sitroom-parser-"))
    work.mkdir(parents=True, exist_ok=True)
    for split, name in SPLITS.items():
        src = args.ud / name
        if not src.is_file():
            ap.error(f"{src}: not found (point --ud at a copy of UD English EWT)")
        dst = work / split
        dst.mkdir(exist_ok=True)
        if any(dst.iterdir()):
            continue
        run("convert", str(src), str(dst), "--converter", "conllu", "--n-sents", "10", "--merge-subtokens")

    base = work / "base.cfg"
    base.write_text(CONFIG.replace("max_steps = 6000", f"max_steps = {args.steps}"), encoding="utf-8")
    cfg = work / "config.cfg"
    run("init", "fill-config", str(base), str(cfg))  # spaCy's defaults for everything the base leaves out
    run(
        "train",
        str(cfg),
        "--output",
        str(work / "trained"),
        "--paths.train",
        str(work / "train"),
        "--paths.dev",
        str(work / "dev"),
    )

    best = work / "trained" / "model-best"
    scores = work / "test-scores.json"
    run("evaluate", str(best), str(work / "test"), "--output", str(scores))
    test = json.loads(scores.read_text(encoding="utf-8"))

    if args.out.exists():
        shutil.rmtree(args.out)
    shutil.copytree(best, args.out)
    meta_path = args.out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(
        name="sitroom_parser",
        version="1.0.0",
        license="CC BY-SA 4.0",
        sources=[
            {
                "name": "Universal Dependencies English EWT",
                "license": "CC BY-SA 4.0",
                "url": "https://universaldependencies.org/treebanks/en_ewt/",
            }
        ],
    )
    meta.pop("performance", None)
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    metrics = {
        "treebank": "UD English EWT (test split)",
        "steps": args.steps,
        "spacy": meta.get("spacy_version"),
        **{
            k: round(float(v) * 100, 2)
            for k, v in test.items()
            if k in ("dep_uas", "dep_las", "pos_acc", "morph_acc", "lemma_acc", "sents_f") and v is not None
        },
    }
    (HERE / "parser-en.metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    write_sums(args.out)
    print(json.dumps(metrics, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
