"""The demo corpus that ships in sitroom.demo: its shape, its dates, and that it is written in its own words.

The files are parsed here with the standard library only, so these tests pin the corpus itself and do not
move when the readers in sitroom.ingest change.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from sitroom.demo import demo_dir, demo_files

REPO = Path(__file__).resolve().parents[1]
SHARED_DEV = REPO / ".." / "shared" / "corpus" / "dev"

FIRST_DAY = date(2024, 11, 26)
LAST_DAY = date(2024, 12, 9)
JSON_FIELDS = ("id", "title", "date", "url", "outlet", "text")
FICTIONAL_HOSTS = ("example.org", "example.net")


@dataclass(frozen=True)
class DemoDoc:
    fmt: str
    path: Path
    id: str
    title: str
    published: date
    url: str
    text: str


# --- stdlib readers, one per format ------------------------------------------------------------------

SEED_DATE = re.compile(
    r"^(January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{2}, \d{4}$"
)


def read_article(path: Path) -> DemoDoc:
    lines = path.read_text(encoding="utf-8").splitlines()
    filled = [line for line in lines if line.strip()]
    if not filled[0].startswith("# "):
        raise ValueError(f"{path.name}: first line is not '# Title'")
    if not SEED_DATE.match(filled[1]):
        raise ValueError(f"{path.name}: second line is not a date like 'December 06, 2024': {filled[1]!r}")
    footer = filled.index("Original url:")
    url_line = filled[footer + 1]
    if not (url_line.startswith("<https://") and url_line.endswith(">")):
        raise ValueError(f"{path.name}: no <https://...> line after 'Original url:'")
    return DemoDoc(
        "article",
        path,
        path.stem,
        filled[0][2:],
        datetime.strptime(filled[1], "%B %d, %Y").date(),
        url_line[1:-1],
        "\n".join(filled[2:footer]),
    )


def doc_from_json(fmt: str, path: Path, obj: dict[str, object]) -> DemoDoc:
    missing = [f for f in JSON_FIELDS if not isinstance(obj.get(f), str) or not str(obj[f]).strip()]
    if missing:
        raise ValueError(f"{path.name}: missing or empty fields {missing}")
    return DemoDoc(
        fmt,
        path,
        str(obj["id"]),
        str(obj["title"]),
        date.fromisoformat(str(obj["date"])),
        str(obj["url"]),
        str(obj["text"]),
    )


class _TextOf(HTMLParser):
    """Text of an HTML fragment or page, with the <meta> properties kept aside."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = found.get("property") or found.get("name")
            if key:
                self.meta[key] = found.get("content", "")
        elif tag == "link" and "rel" in found:
            self.links[found["rel"]] = found.get("href", "")
        elif tag in ("head", "nav", "footer", "script", "style"):
            self._skip += 1
        elif tag in ("p", "h1", "h2", "li", "br"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "nav", "footer", "script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"\n\s*\n+", "\n", "".join(self.parts)).strip()


def html_text(fragment: str) -> _TextOf:
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    return parser


def read_html(path: Path) -> DemoDoc:
    page = html_text(path.read_text(encoding="utf-8"))
    published = datetime.fromisoformat(page.meta["article:published_time"]).date()
    return DemoDoc("html", path, path.stem, page.meta["og:title"], published, page.links["canonical"], page.text())


def read_feed(path: Path) -> Iterator[DemoDoc]:
    channel = ET.parse(path).getroot().find("channel")
    if channel is None:
        raise ValueError(f"{path.name}: not an RSS 2.0 file")
    for item in channel.findall("item"):
        fields = {
            tag: (item.findtext(tag) or "").strip() for tag in ("guid", "title", "link", "pubDate", "description")
        }
        missing = [tag for tag, value in fields.items() if not value]
        if missing:
            raise ValueError(f"{path.name}: item without {missing}")
        yield DemoDoc(
            "rss",
            path,
            fields["guid"],
            fields["title"],
            parsedate_to_datetime(fields["pubDate"]).date(),
            fields["link"],
            html_text(fields["description"]).text(),
        )


def telegram_text(text: object) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(part if isinstance(part, str) else str(part["text"]) for part in text)
    raise ValueError(f"message text is neither a string nor a list: {text!r}")


def read_telegram(path: Path) -> Iterator[DemoDoc]:
    export = json.loads(path.read_text(encoding="utf-8"))
    for message in export["messages"]:
        text = telegram_text(message["text"])
        if message["type"] != "message" or not text.strip():
            continue
        yield DemoDoc(
            "telegram",
            path,
            f"{export['id']}/{message['id']}",
            "",
            datetime.fromisoformat(message["date"]).date(),
            "",
            text,
        )


def read_demo(path: Path) -> list[DemoDoc]:
    if path.suffix == ".txt":
        return [read_article(path)]
    if path.suffix == ".html":
        return [read_html(path)]
    if path.suffix == ".xml":
        return list(read_feed(path))
    if path.suffix == ".jsonl":
        lines = path.read_text(encoding="utf-8").splitlines()
        return [doc_from_json("jsonl", path, json.loads(line)) for line in lines if line.strip()]
    if path.suffix == ".json":
        obj = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(obj, dict) and "messages" in obj:
            return list(read_telegram(path))
        return [doc_from_json("json", path, obj)]
    raise ValueError(f"{path}: not a demo corpus format")


@pytest.fixture(scope="module")
def corpus() -> list[DemoDoc]:
    return [doc for path in demo_files() for doc in read_demo(path)]


# --- shape ---------------------------------------------------------------------------------------


def test_demo_corpus_holds_20_to_30_documents_across_every_input_format(corpus: list[DemoDoc]) -> None:
    assert 20 <= len(corpus) <= 30
    assert {doc.fmt for doc in corpus} == {"article", "json", "jsonl", "rss", "telegram", "html"}


def test_demo_document_ids_are_unique(corpus: list[DemoDoc]) -> None:
    ids = [doc.id for doc in corpus]
    assert len(ids) == len(set(ids))


def test_demo_files_lists_reports_only() -> None:
    names = {path.name for path in demo_files()}
    assert "README.md" not in names
    assert "__init__.py" not in names
    assert all(path.is_relative_to(demo_dir()) for path in demo_files())


def test_every_json_document_is_valid_and_carries_the_required_fields() -> None:
    json_paths = [p for p in demo_files() if p.suffix in (".json", ".jsonl")]
    assert json_paths
    for path in json_paths:
        for doc in read_demo(path):  # raises on invalid JSON or a missing field
            assert doc.id and doc.text


def test_telegram_export_has_desktop_export_shape() -> None:
    exports = [p for p in demo_files() if p.name == "result.json"]
    assert exports
    for path in exports:
        export = json.loads(path.read_text(encoding="utf-8"))
        assert export["type"] == "public_channel"
        assert isinstance(export["id"], int)
        assert export["name"]
        for message in export["messages"]:
            assert {"id", "type", "date", "date_unixtime", "text", "text_entities"} <= message.keys()
            # Telegram Desktop keeps the same text twice: as `text` and as the flat list of entities.
            assert telegram_text(message["text"]) == "".join(e["text"] for e in message["text_entities"])
            stamp = datetime.fromisoformat(message["date"]).timestamp()
            local_as_utc = datetime.fromisoformat(message["date"] + "+00:00").timestamp()
            assert int(message["date_unixtime"]) in (int(stamp), int(local_as_utc))


def test_every_document_is_dated_within_the_offensive(corpus: list[DemoDoc]) -> None:
    outside = [(doc.id, doc.published) for doc in corpus if not FIRST_DAY <= doc.published <= LAST_DAY]
    assert outside == []


def test_every_report_is_80_to_300_words(corpus: list[DemoDoc]) -> None:
    lengths = {doc.id: len(doc.text.split()) for doc in corpus}
    assert {k: n for k, n in lengths.items() if not 80 <= n <= 300} == {}


def test_urls_point_at_reserved_example_domains(corpus: list[DemoDoc]) -> None:
    for doc in corpus:
        if doc.url:
            host = urlparse(doc.url).hostname or ""
            assert host.endswith(FICTIONAL_HOSTS), doc.url


def test_readme_lists_every_demo_file() -> None:
    readme = (demo_dir() / "README.md").read_text(encoding="utf-8")
    for path in demo_files():
        assert str(path.relative_to(demo_dir())) in readme, path


# --- own words -----------------------------------------------------------------------------------

WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("’", "'"))


def sentences(text: str) -> Iterator[str]:
    for piece in re.split(r"(?<=[.!?])\s+|\n+", text):
        found = words(piece)
        if len(found) >= 8:
            yield " ".join(found)


def strings_in(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def dev_texts(root: Path) -> Iterator[str]:
    for path in sorted(root.rglob("*")):
        if path.suffix == ".json":
            yield from strings_in(json.loads(path.read_text(encoding="utf-8")))
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    yield from strings_in(json.loads(line))
        elif path.suffix in (".txt", ".md"):
            yield path.read_text(encoding="utf-8")


def shingles(tokens: list[str], n: int = 10) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


@pytest.fixture(scope="module")
def dev_corpus() -> list[str]:
    if not SHARED_DEV.is_dir():
        pytest.skip(f"../shared not found: {SHARED_DEV.resolve()}")
    return list(dev_texts(SHARED_DEV))


def demo_text(doc: DemoDoc) -> str:
    return f"{doc.title}\n{doc.text}"


def copied_sentences(texts: dict[str, str], dev: list[str]) -> list[tuple[str, str]]:
    """(document id, sentence) for each sentence of 8+ words found word for word in the dev corpus."""
    dev_flat = " " + " ".join(" ".join(words(text)) for text in dev) + " "
    return [(key, s) for key, text in texts.items() for s in sentences(text) if f" {s} " in dev_flat]


def shared_runs(texts: dict[str, str], dev: list[str]) -> set[tuple[str, str]]:
    """(document id, run) for each run of 10 words that also occurs in the dev corpus."""
    dev_runs: set[tuple[str, ...]] = set()
    for text in dev:
        dev_runs |= shingles(words(text))
    return {(key, " ".join(run)) for key, text in texts.items() for run in shingles(words(text)) & dev_runs}


def test_own_words_checks_catch_a_planted_copy(dev_corpus: list[str]) -> None:
    # Without this the two tests below could pass on a broken tokenizer and prove nothing.
    dev_sentence = next(s for text in dev_corpus for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 12)
    planted = {"planted": f"A fresh opening line of our own.\n{dev_sentence}\nAnd a closing line."}
    assert copied_sentences(planted, dev_corpus)
    assert shared_runs(planted, dev_corpus)
    assert not shared_runs(
        {"fresh": "Nothing in this short line was ever written by the dev corpus authors."}, dev_corpus
    )


def test_no_demo_sentence_appears_verbatim_in_the_dev_corpus(corpus: list[DemoDoc], dev_corpus: list[str]) -> None:
    assert copied_sentences({doc.id: demo_text(doc) for doc in corpus}, dev_corpus) == []


def test_no_ten_word_run_is_shared_with_the_dev_corpus(corpus: list[DemoDoc], dev_corpus: list[str]) -> None:
    assert shared_runs({doc.id: demo_text(doc) for doc in corpus}, dev_corpus) == set()
