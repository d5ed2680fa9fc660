"""Tables in text: incident logs and lists laid out in columns ("DATE | PLACE | EVENT | SOURCE", tab-separated
exports). A row is read like a sentence, with what its columns say: the date column dates its events, the place
column places an event whose words name no place ("HTS-led factions capture town"), the source column says who
reports it. A table whose rows name only places ("SETTLEMENTS NAMED") takes its event from the line above it
("the settlements the ministry said were 'liberated'").

Which column holds what is read from the header's words (lang/<code>/grammar.toml [tables]).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sitroom import lang
from sitroom.extract.drafts import DocState, Draft, Mention, StepBase
from sitroom.extract.patterns import _written_ref
from sitroom.extract.text import Sentence
from sitroom.model import ActorRef, DateSpan, Place
from sitroom.time import find_dates

ROLES = ("source", "date", "place", "actor", "event")
_ROLE_WORDS = {role: re.compile(rf"\b{lang.alternation(lang.words('tables', role))}\b", re.I) for role in ROLES}
_SHORT_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?")
_CAPTION_REACH = 600  # characters above a table where its caption may sit


@dataclass
class Table:
    start: int
    end: int
    roles: dict[int, str]  # column index -> role
    rows: list[Row] = field(default_factory=list)


@dataclass
class Row:
    start: int
    end: int
    cells: list[tuple[int, int]]
    table: Table | None = None

    def cell(self, role: str) -> tuple[int, int] | None:
        assert self.table is not None
        for i, r in self.table.roles.items():
            if r == role and i < len(self.cells):
                return self.cells[i]
        return None


def _split(text: str, lo: int, hi: int) -> list[tuple[int, int]] | None:
    """A line's cells (trimmed offsets), when it is laid out in columns: two or more "|" or tabs."""
    line = text[lo:hi]
    sep = "|" if line.count("|") >= 2 else "\t" if line.count("\t") >= 2 else None
    if sep is None:
        return None
    cells = []
    pos = lo
    for part in line.split(sep):
        s = pos + (len(part) - len(part.lstrip()))
        e = pos + len(part.rstrip())
        if e > s:
            cells.append((s, e))
        pos += len(part) + 1
    return cells if len(cells) >= 3 else None


def _header_roles(text: str, cells: list[tuple[int, int]]) -> dict[int, str] | None:
    words = [text[s:e] for s, e in cells]
    if any(ch.isdigit() for w in words for ch in w):
        return None
    roles: dict[int, str] = {}
    for i, w in enumerate(words):
        for role in ROLES:
            if role not in roles.values() and _ROLE_WORDS[role].search(w):
                roles[i] = role
                break
    return roles if len(roles) >= 2 else None


def find_tables(text: str, pub: date | None) -> dict[int, Row]:
    """Every table row of the text, by the start of its line."""
    rows: dict[int, Row] = {}
    lines = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        cells = _split(text, *lines[i])
        if cells is None:
            i += 1
            continue
        j = i
        block = []
        while j < len(lines) and (c := _split(text, *lines[j])) is not None:
            block.append((lines[j], c))
            j += 1
        if len(block) >= 2:
            roles = _header_roles(text, block[0][1])
            body = block[1:] if roles else block
            if roles is None:
                roles = _guess_roles(text, [c for _, c in body], pub)
            table = Table(block[0][0][0], block[-1][0][1], roles)
            for (lo, hi), c in body:
                row = Row(lo, hi, c, table)
                table.rows.append(row)
                rows[lo] = row
        i = j
    return rows


def _guess_roles(text: str, rows: list[list[tuple[int, int]]], pub: date | None) -> dict[int, str]:
    """Without a header: a column whose every cell is a date is the date column."""
    roles: dict[int, str] = {}
    if pub is None:
        return roles
    width = min(len(r) for r in rows)
    for i in range(width):
        if all(cell_date(text[r[i][0] : r[i][1]], pub) is not None for r in rows):
            roles[i] = "date"
            break
    return roles


def cell_date(cell: str, pub: date) -> DateSpan | None:
    """A date column's cell: any date the date reader knows that fills the cell ("Sat 8 Mar", "2024-12-24"), or
    a bare day/month ("01/12"), read the way that falls within two months before publication."""
    cell = cell.strip()
    m = _SHORT_DATE.fullmatch(cell)
    if m is not None:
        a, b = int(m.group(1)), int(m.group(2))
        years = [int(m.group(3)) + (2000 if len(m.group(3)) == 2 else 0)] if m.group(3) else [pub.year, pub.year - 1]
        for year in years:
            for month, day in ((b, a), (a, b)):  # day first, as most of the world writes it
                try:
                    d = date(year, month, day)
                except ValueError:
                    continue
                if m.group(3) or pub - timedelta(days=62) <= d <= pub + timedelta(days=1):
                    return DateSpan.day(d)
        return None
    found = [d for d in find_dates(cell, pub) if d.end - d.start >= len(cell) // 2]
    return found[0].span if found else None


def _is_area(sentence: str, d: Draft) -> bool:
    """A draft placed at an area: a region, a province, a country, or a name written as one ("Kursk region")."""
    if d.place is None:
        return False
    if d.place.kind in ("admin1", "region", "country"):
        return True
    written = re.escape(d.place_text or d.place.name)
    return (
        re.search(rf"{written}\s+(?:region|province|governorate|oblast|district|state)\b", sentence, re.I) is not None
    )


class TableStep(StepBase):
    """Table rows: a step of `RulesExtractor`."""

    def _row(self, st: DocState, pos: int) -> Row | None:
        return st.tables.get(st.text.rfind("\n", 0, pos) + 1) if st.tables else None

    def _row_place(self, st: DocState, sent: Sentence) -> tuple[Place, str] | None:
        row = self._row(st, sent.start)
        cell = row.cell("place") if row is not None else None
        if cell is None:
            return None
        for p in self._in(st, cell[0], cell[1], "places"):
            if p[2].kind != "country":
                return (p[2], p[3])
        return None

    def _row_date(self, st: DocState, sent: Sentence) -> DateSpan | None:
        row = self._row(st, sent.start)
        cell = row.cell("date") if row is not None else None
        if cell is None or st.pub is None:
            return None
        span = cell_date(st.text[cell[0] : cell[1]], st.pub)
        return span if span is not None and span.latest is not None and span.latest <= st.pub else None

    def _row_source(self, st: DocState, start: int) -> ActorRef | None:
        """Who the source column names first ("Basira Obs.; hospital staff" -> Basira Obs.)."""
        row = self._row(st, start)
        cell = row.cell("source") if row is not None else None
        if cell is None:
            return None
        first = re.split(r"\s*[;,/]\s*|\s+and\s+", st.text[cell[0] : cell[1]].strip())[0].strip(" .")
        if not first or first in ("-", "–", "—"):
            return None
        lo = cell[0] + st.text[cell[0] : cell[1]].find(first)
        known = [a for a in self._in(st, lo, lo + len(first), "actors") if a.role in ("actor", "source")]
        if known:
            return known[0].ref
        return _written_ref(first)

    def _caption_drafts(self, st: DocState) -> None:
        """Rows that name only places, under a caption that says what happened to them: one draft per place."""
        done: set[int] = set()
        for row in st.tables.values():
            table = row.table
            assert table is not None
            if id(table) in done:
                continue
            done.add(id(table))
            cap = self._caption(st, table)
            if cap is None:
                continue
            etype, stance, speaker, actor, at = cap
            before = len(st.drafts)
            for r in table.rows:
                cell = r.cell("place")
                if cell is None or any(d.sent.start >= r.start and d.sent.end <= r.end + 1 for d in st.drafts):
                    continue
                when = self._row_date(st, Sentence(r.start, r.end))
                for p in self._in(st, cell[0], cell[1], "places"):
                    if p[2].kind == "country":
                        continue
                    st.drafts.append(
                        Draft(
                            type=etype,
                            stance=stance,
                            sent=Sentence(r.start, r.end),
                            rule=f"{etype}.table",
                            cues=["table: the caption's event, the row's place", f"place: '{p[3]}' in the row"],
                            confidence=0.6,
                            actor=actor,
                            speaker=speaker,
                            place=p[2],
                            place_text=p[3],
                            when=when or DateSpan(None, st.pub),
                        )
                    )
            if len(st.drafts) > before:
                # the caption's own event at the area the list covers ("were 'liberated' in Kursk region") is the
                # rows' events, told once each
                st.drafts = [d for d in st.drafts if not (d.type == etype and d.sent.start <= at < d.sent.end
                             and _is_area(st.text[d.sent.start : d.sent.end], d))]  # fmt: skip

    def _caption(self, st: DocState, table: Table) -> tuple[str, str, ActorRef | None, ActorRef | None, int] | None:
        """The event a caption above the table gives its rows, with its stance, speaker and doer."""
        lo = max(0, table.start - _CAPTION_REACH)
        para = st.text.rfind("\n\n", lo, table.start - 1)
        lo = para + 2 if para >= 0 else lo
        for t in self.m.triggers:
            if t.group.type not in ("territory_captured", "withdrawal"):
                continue
            for x in self._hits(st, t.regex, lo, table.start):
                frames = [f for start, fs in st.frames.items() if lo <= start < table.start for f in fs
                          if f.scope[0] <= x.start() < f.scope[1]]  # fmt: skip
                speaker: Mention | None = frames[0].speaker if frames else None
                doer = speaker
                if doer is not None and doer.kind in ("state", "government_body"):
                    doer = self._acting_force(doer)
                stance = "announced" if speaker is not None and speaker.role == "actor" else "asserted"
                return (
                    t.group.type,
                    stance,
                    speaker.ref if speaker else None,
                    doer.ref if doer is not None and doer.role == "actor" else None,
                    x.start(),
                )
        return None
