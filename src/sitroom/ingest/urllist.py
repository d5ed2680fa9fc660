"""Lists of addresses to fetch: what a researcher has instead of the articles themselves.

A `.urls` file holds one address per line (blank lines and `#` comments skipped). GDELT's files name articles
by address too: the 2.0 event exports (`*.export.CSV`, address in the last column, SOURCEURL), the mentions
tables (`*.mentions.CSV`, MentionIdentifier) and the GKG (`*.gkg.csv`, DocumentIdentifier), each tab-separated
and often zipped as GDELT serves them. In each row the first field that is an http(s) address is the article's
(the GKG's later columns hold image and video addresses). Addresses come out once each, in file order.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from sitroom.model import Rejection

_GDELT = (".export.csv", ".mentions.csv", ".gkg.csv")


def is_url_list(path: str | Path) -> bool:
    name = Path(path).name.lower().removesuffix(".zip")
    return name.endswith(".urls") or name.endswith(_GDELT)


def read_url_list(path: str | Path) -> Iterator[str | Rejection]:
    """Each address in the list, once; a Rejection naming the file when it cannot be read."""
    path = Path(path)
    try:
        lines = _lines(path)
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        yield Rejection(str(path), f"cannot read the list of addresses: {type(exc).__name__}: {exc}")
        return
    seen: set[str] = set()
    tabular = not path.name.lower().removesuffix(".zip").endswith(".urls")
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t") if tabular else [line]
        url = next((f.strip() for f in fields if f.strip().startswith(("http://", "https://"))), None)
        if url and url not in seen:
            seen.add(url)
            yield url


def _lines(path: Path) -> list[str]:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if not n.endswith("/")]
            if not names:
                raise OSError("the zip file holds no list")
            with z.open(names[0]) as f:
                return io.TextIOWrapper(f, encoding="utf-8", errors="replace").read().splitlines()
    return path.read_text(encoding="utf-8").splitlines()
