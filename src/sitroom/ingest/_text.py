"""Text helpers the readers share: finding the paragraphs that are not news (captions, related-article
lines, credits, bylines), unwrapping markdown, turning HTML fragments into paragraphs, and the cheap
guesses (source kind, language) that a reader can make without a model.

The non-news paragraphs stay in Document.text — nothing is lost — and are listed as Spans so the
extractor can skip them: "Related article: Rebels seize Hama" is a headline, not a new report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from sitroom.model import Span

# --- paragraphs that are not news -----------------------------------------------------------------

_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]*\S[^\n]*)*")  # runs of non-blank lines

_RELATED = re.compile(
    r"^\W{0,3}(?:related(?: articles?| stories| story| reading| content| coverage)?|read more|read also|"
    r"also read|see also|more on this(?: story)?|recommended|further reading|most read)\s*:",
    re.IGNORECASE,
)
_CAPTION_PREFIX = re.compile(
    r"^\W{0,3}(?:photo|photograph|picture|pictured|image|caption|video|file photo|top photo|main photo)"
    r"(?: credit)?\s*:",
    re.IGNORECASE,
)
# "... on Friday. Photo: AP" / "(Reuters/Jane Doe)" / "(AP Photo/John Doe)" closing a short paragraph.
_CAPTION_SUFFIX = re.compile(
    r"(?:(?:^|[.!?)]\s+|\s[-–—|]\s)(?:photo|photograph|image|picture)(?: credit)?\s*:\s*[^.:\n]{1,60}\.?"
    r"|\((?:[A-Z][\w.]*\s)?photo\s*/\s*[^)\n]{1,60}\))\s*$",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^\W{0,3}(?:"
    r"(?:additional |with )?(?:reporting|writing|editing|research|compiled|written|edited|translated)"
    r"(?: and \w+)? by\b"
    r"|[\w ,.&'/-]{1,80}\b(?:contributed|contributing)\b(?: (?:to )?(?:this|the))?(?: report(?:ing)?| story| article)"
    r"|(?:this|the) (?:story|article|report) (?:was|has been) (?:updated|corrected|amended|written|produced)"
    r"|(?:©|\(c\)|copyright)\s"
    r"|all rights reserved"
    r"|with (?:afp|ap|reuters|tass|dpa|agencies|wire services)\.?\W{0,3}$"
    r")",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\W{0,3}[Bb][Yy]\s+[A-Z][\w.'-]+(?:\s+(?:[A-Z][\w.'-]+|and|&|,))*\W{0,3}$")

# Paragraphs longer than this are reporting, whatever words they start with.
_MAX_NON_NEWS_CHARS = 300


def classify_paragraph(text: str) -> str | None:
    """ "caption", "related", "credit", "byline" for a paragraph that is not news, else None."""
    p = text.strip()
    if not p:
        return None
    if _RELATED.match(p):
        return "related"
    if len(p) > _MAX_NON_NEWS_CHARS:
        return None
    if _CAPTION_PREFIX.match(p) or _CAPTION_SUFFIX.search(p):
        return "caption"
    if _CREDIT.match(p):
        return "credit"
    if len(p) < 80 and _BYLINE.match(p):
        return "byline"
    return None


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """[start, end) of each paragraph (a run of non-blank lines), trailing whitespace excluded."""
    for m in _PARAGRAPH.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            yield start, end


def non_news_spans(text: str) -> tuple[Span, ...]:
    """Spans of the paragraphs of `text` that classify as not news."""
    spans = []
    for start, end in paragraphs(text):
        kind = classify_paragraph(text[start:end])
        if kind:
            spans.append(Span(start, end, kind))
    return tuple(spans)


def join_paragraphs(parts: Iterable[tuple[str, str | None]]) -> tuple[str, tuple[Span, ...]]:
    """Join (paragraph, kind-or-None) pairs with blank lines; paragraphs without a kind are classified.
    Returns the text and the non-news spans indexing it."""
    out: list[str] = []
    spans: list[Span] = []
    pos = 0
    for para, preset in parts:
        para = para.strip()
        if not para:
            continue
        if out:
            pos += 2
        kind = preset or classify_paragraph(para)
        if kind:
            spans.append(Span(pos, pos + len(para), kind))
        out.append(para)
        pos += len(para)
    return "\n\n".join(out), tuple(spans)


# --- markdown ---------------------------------------------------------------------------------------

_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_ITALIC_STAR = re.compile(r"(?<![*\w\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*\\])\*(?![*\w])")
_MD_ITALIC_UNDER = re.compile(r"(?<![_\w\\])_(?=[^\s_])([^_\n]+?)(?<=[^\s_\\])_(?![_\w])")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")


def unwrap_markdown(text: str) -> str:
    """Readable text of a markdown paragraph: links unwrapped to their words, images dropped, bold and
    italic markers and heading hashes removed, escapes resolved. Square brackets that are not links
    ("the SAR [Syrian Arab Republic]") are left alone."""
    if _MD_RULE.match(text):
        return ""
    s = text
    # Each pattern only runs when its marker is present: most paragraphs have none, and this is per paragraph.
    if "[" in s:
        s = _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", s))
    if "<" in s:
        s = _MD_AUTOLINK.sub(r"\1", s)
    if "#" in s:
        s = _MD_HEADING.sub(r"\1", s)
    if "*" in s:
        s = _MD_ITALIC_STAR.sub(r"\1", _MD_BOLD.sub(r"\2", s))
    if "_" in s:
        s = _MD_ITALIC_UNDER.sub(r"\1", _MD_BOLD.sub(r"\2", s))
    if "\\" in s:
        s = _MD_ESCAPE.sub(r"\1", s)
    return "\n".join(line.strip() for line in s.split("\n") if line.strip())


# --- HTML fragments (feed items) -------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
    ]
)
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"])


class _FragmentParser(HTMLParser):
    """Collects paragraphs from an HTML fragment; figcaption text is marked as a caption."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str | None]] = []
        self._buf: list[str] = []
        self._skip = 0
        self._caption = 0

    def _flush(self) -> None:
        raw = "".join(self._buf)
        self._buf = []
        lines = [" ".join(line.split()) for line in raw.split("\n")]
        para = "\n".join(line for line in lines if line)
        if para:
            self.parts.append((para, "caption" if self._caption else None))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "br":
            self._buf.append("\n")
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "figcaption":
                self._caption += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._buf.append("\n")
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "figcaption":
                self._caption = max(0, self._caption - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buf.append(data.replace("\n", " "))

    def close(self) -> None:
        super().close()
        self._flush()


_LOOKS_LIKE_HTML = re.compile(
    r"<(?:[a-zA-Z][a-zA-Z0-9]*\b[^>]*|/[a-zA-Z][a-zA-Z0-9]*\s*)>|&(?:#\d+|#x[0-9a-f]+|\w+);", re.I
)


def html_to_text(fragment: str) -> tuple[str, tuple[Span, ...]]:
    """Plain text of an HTML fragment (tags removed, entities decoded, block elements as paragraphs),
    with its non-news spans. Text without markup is returned with its paragraphs kept."""
    if not _LOOKS_LIKE_HTML.search(fragment):
        paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", unescape(fragment))]
        return join_paragraphs((p, None) for p in paras)
    parser = _FragmentParser()
    parser.feed(fragment)
    parser.close()
    return join_paragraphs(parser.parts)


# --- cheap guesses ----------------------------------------------------------------------------------

_OFFICIAL = re.compile(
    r"\b(?:embassy|embassies|consulate|ministry|ministère|ministerio|foreign office|state department|"
    r"department of state|government|presidency|prime minister'?s office|official channel|press office|"
    r"mfa|mission of|permanent mission|посольство|министерство|мид|правительство|سفارة|وزارة|الحكومة)\b",
    re.IGNORECASE,
)
_UN = re.compile(
    r"\b(?:UN|U\.N\.|United Nations|OCHA|UNHCR|UNICEF|WFP|World Food Programme|IOM|UNRWA|WHO|"
    r"World Health Organization|ReliefWeb|ООН|الأمم المتحدة)\b"
)
_MONITOR = re.compile(r"\b(?:observatory|monitor|monitoring group|ACLED|Airwars|war monitor|المرصد)\b", re.IGNORECASE)
_OFFICIAL_HOSTS = re.compile(r"(?:^|\.)(?:gov|gouv|gob|mil|mid\.ru|mfa\.[a-z.]+|gov\.[a-z]{2})$")
_UN_HOSTS = re.compile(
    r"(?:^|\.)(?:un\.org|unocha\.org|reliefweb\.int|unhcr\.org|wfp\.org|unicef\.org|who\.int|iom\.int)$"
)


def host_of(url: str | None) -> str | None:
    """The URL's host without "www.", e.g. "themoscowtimes.com"."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def infer_source_kind(outlet: str | None, url: str | None) -> str | None:
    """ "official", "un" or "monitor" when the outlet's name or the URL's host says so; None otherwise
    (the reader's default then applies: "news", or "social" for Telegram)."""
    host = host_of(url) or ""
    name = outlet or ""
    if _UN_HOSTS.search(host) or (name and _UN.search(name)):
        return "un"
    if _OFFICIAL_HOSTS.search(host) or (name and _OFFICIAL.search(name)):
        return "official"
    if name and _MONITOR.search(name):
        return "monitor"
    return None


_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ar", re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")),
    ("ru", re.compile(r"[\u0400-\u04FF]")),
    ("he", re.compile(r"[\u0590-\u05FF]")),
)


def guess_language(text: str) -> str:
    """A script-based guess when nothing declares the language: mostly Arabic letters -> "ar", Cyrillic ->
    "ru", Hebrew -> "he"; otherwise "en" (the extractor's language). Cheap, and only a guess: Persian is
    written in Arabic script and Ukrainian in Cyrillic; a declared language always wins over this."""
    sample = text[:2000]
    if sample.isascii():
        return "en"
    letters = sum(1 for c in sample if c.isalpha())
    if letters == 0:
        return "en"
    for code, pattern in _SCRIPTS:
        if len(pattern.findall(sample)) > letters / 2:
            return code
    return "en"
