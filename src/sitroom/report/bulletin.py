"""A bulletin: what changed in the last hours, as plain text short enough for SMS, Signal or a Telegram channel.

    text = bulletin(store, since=timedelta(hours=6), max_chars=1000)

The changes that matter come first - control changes, then advisories, then exits closing, then events that
became contested or corroborated - one line each with its confidence and short source references; a footer
maps each reference to its outlet and link. The window ends at --known-at, else at the newest report in the
store (so a replayed archive is read on its own days). Lines that do not fit in `max_chars` are left out,
least important first, and the bulletin says how many.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sitroom.alerts.delta import Change, diff, picture_items
from sitroom.alerts.engine import ACTIVE_EXIT_STATUSES, CONTRADICTED, headline
from sitroom.fuse import CONTROL_TYPES, load_baseline
from sitroom.geo.select import place_selector
from sitroom.model import Actor, Claim, Document, Event
from sitroom.store import ClaimQuery, Store

# What a reader must see first; a lower rank is more important.
_RANK = {"control": 0, "advisory": 1, "transport": 2, "event": 3}
_MARK = {"control": "■", "advisory": "!", "transport": "✈", "event": "•"}
_PLACE_KEY = {"event": "place", "control": "place", "advisory": "area", "transport": "facility"}  # in the JSON


@dataclass(frozen=True)
class BulletinLine:
    rank: tuple[int, int]
    text: str
    documents: tuple[str, ...]  # the reports behind it, most relevant first


def _confidence(ch: Change, claims: Mapping[str, Claim]) -> float | None:
    own = getattr(ch.obj, "confidence", None)
    if isinstance(own, float | int):
        return float(own)
    said = [claims[c].confidence for c in ch.evidence if c in claims]
    return max(said) if said else None


def _matters(ch: Change) -> int | None:
    """How much a change matters within its kind (lower first), or None when a bulletin leaves it out."""
    if ch.previous == ch.status:
        return None  # the same status again (another source joined): no change to tell
    if ch.kind == "transport":
        return 0 if ch.status in ACTIVE_EXIT_STATUSES else 1
    if ch.kind == "event":
        if not isinstance(ch.obj, Event) or ch.status == "reported":
            return None  # one source's word: the claims and events commands hold it
        return 0 if ch.status in CONTRADICTED else 1
    return 0


def bulletin_lines(
    changes: Sequence[Change], claims: Mapping[str, Claim], place: str | None = None
) -> list[BulletinLine]:
    wanted = place_selector(place).matches if place else None
    moved = {ch.place.key for ch in changes if ch.kind == "control" and ch.place is not None}
    out = []
    for ch in changes:
        within = _matters(ch)
        if within is None:
            continue
        if isinstance(ch.obj, Event) and within and ch.obj.type in CONTROL_TYPES and ch.place and ch.place.key in moved:
            continue  # a corroborated capture the control line already tells
        if wanted is not None and (ch.place is None or not wanted(ch.data.get(_PLACE_KEY[ch.kind]))):
            continue
        conf = _confidence(ch, claims)
        text = f"{_MARK[ch.kind]} {headline(ch, claims)}" + (f" · {conf:.0%}" if conf is not None else "")
        # the latest reports first: they are what confirmed the change most recently
        behind = sorted((claims[c] for c in ch.evidence if c in claims), key=_newest_first)
        docs = tuple(dict.fromkeys(c.document_id for c in behind))
        out.append(BulletinLine((_RANK[ch.kind], within), text, docs))
    out.sort(key=lambda line: line.rank)
    return out


def _newest_first(c: Claim) -> tuple[float, str]:
    return (-(c.published_at.timestamp() if c.published_at else 0.0), c.document_id)


def render(
    title: str, lines: Sequence[BulletinLine], documents: Mapping[str, Document], max_chars: int | None = None
) -> str:
    """The bulletin's text: title, one line per change with [n] references, the references' footer. With
    `max_chars`, the least important lines are left out until it fits, and a last line says how many."""
    for keep in range(len(lines), -1, -1):
        text = _render(title, lines[:keep], documents, len(lines) - keep)
        if max_chars is None or len(text) <= max_chars or keep == 0:
            return text
    return title  # not reached


def _render(title: str, lines: Sequence[BulletinLine], documents: Mapping[str, Document], left_out: int) -> str:
    refs: dict[str, int] = {}
    body = []
    for line in lines:
        numbers = []
        for doc_id in line.documents[:3]:
            refs.setdefault(doc_id, len(refs) + 1)
            numbers.append(refs[doc_id])
        body.append(line.text + (" " + "".join(f"[{n}]" for n in numbers) if numbers else ""))
    if not lines:
        body.append("No change in this window.")
    if left_out:
        body.append(f"+{left_out} more change{'s' if left_out != 1 else ''} (sitroom bulletin on a larger screen)")
    footer = []
    for doc_id, n in refs.items():
        doc = documents.get(doc_id)
        who = (doc.outlet if doc and doc.outlet else None) or doc_id
        url = doc.url if doc and doc.url and doc.url.lower().startswith(("http://", "https://")) else None
        # without a link, the document's id finds it (`sitroom claims --document ID`)
        footer.append(f"[{n}] {who}" + (f" {url}" if url else f" ({doc_id})" if who != doc_id else ""))
    return "\n".join([title, *body, *(["", *footer] if footer else [])]) + "\n"


def bulletin(
    store: Store,
    since: timedelta,
    known_at: datetime | None = None,
    place: str | None = None,
    max_chars: int | None = None,
    actors: Mapping[str, Actor] | None = None,
) -> str:
    if actors is None:
        from sitroom.extract import actors as lexicon_actors

        actors = lexicon_actors()
    end = known_at or store.latest_known_at() or datetime.now(UTC)
    start = end - since
    baseline = load_baseline()
    before = picture_items(store.claims(ClaimQuery(known_at=start)), actors, baseline)
    after = picture_items(store.claims(ClaimQuery(known_at=end)), actors, baseline)
    lines = bulletin_lines(diff(before, after), after.claims, place)
    wanted = {d for line in lines for d in line.documents[:3]}
    documents = {s.document.id: s.document for s in store.documents(ids=sorted(wanted))} if wanted else {}
    hours = since.total_seconds() / 3600
    window = f"{hours:g} h" if hours < 72 else f"{hours / 24:g} days"
    where = f" — {place}" if place else ""
    title = f"sitroom bulletin{where}: changes in the {window} to {end.strftime('%d %b %Y %H:%M')} UTC"
    return render(title, lines, documents, max_chars)
