"""A short situation summary of what a store holds: claims by type, captures, advisories, figures.

This is the text `make demo` prints. It reads claims only; the fused picture (events, control spans)
takes over as it becomes available.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sitroom.model import Claim
from sitroom.store import Store

ASSERTIVE = ("asserted", "announced")


def _day(c: Claim) -> str:
    if c.when.exact:
        return c.when.exact.isoformat()
    if c.when.earliest or c.when.latest:
        return f"{c.when.earliest or '…'}..{c.when.latest or '…'}"
    return "date unknown"


def situation_summary(store: Store) -> str:
    claims = store.claims()
    docs = store.documents()
    lines: list[str] = []
    first = min((d.known_at for d in docs), default=None)
    last = max((d.known_at for d in docs), default=None)
    span = f", published {first:%d %b} – {last:%d %b %Y}" if first and last else ""
    lines.append(f"{len(docs)} documents{span}; {len(claims)} claims")

    by_type = Counter(c.type for c in claims)
    if by_type:
        lines.append("\nClaims by type")
        lines += [f"  {t:<20} {n}" for t, n in by_type.most_common()]

    captures: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.type == "territory_captured" and c.stance in ASSERTIVE and c.place is not None:
            captures[c.place.name].append(c)
    if captures:
        lines.append("\nPlaces reported taken (earliest report first)")
        for name, cs in sorted(
            captures.items(), key=lambda kv: min(x.when.latest or x.when.earliest or _far() for x in kv[1])
        ):
            actors = sorted({c.actor.name for c in cs if c.actor})
            docs_n = len({c.document_id for c in cs})
            best = min(cs, key=lambda x: (x.when.exact is None, x.when.latest or _far()))
            lines.append(f"  {name:<24} {_day(best):<24} by {', '.join(actors) or '?'}  ({docs_n} reports)")

    advisories = [c for c in claims if c.type == "travel_advisory"]
    if advisories:
        lines.append("\nTravel advisories")
        for c in sorted(advisories, key=lambda x: x.when.earliest or _far()):
            who = c.actor.name if c.actor else "?"
            where = c.place.name if c.place else "?"
            lines.append(
                f"  {_day(c):<12} {who:<34} {c.advice or '?':<18} {where}" + (f" ({c.means})" if c.means else "")
            )

    transport = [c for c in claims if c.type == "transport_status"]
    if transport:
        lines.append("\nAirports, crossings, roads")
        for c in sorted(transport, key=lambda x: x.when.earliest or _far()):
            lines.append(f"  {_day(c):<12} {(c.place.name if c.place else c.place_text or '?'):<34} {c.status or '?'}")

    figures = [c for c in claims if c.quantity is not None and c.metric]
    if figures:
        lines.append("\nFigures")
        for c in sorted(figures, key=lambda x: x.when.earliest or _far()):
            tag = " (projection)" if c.stance == "projected" else ""
            who = c.attributed_to.name if c.attributed_to else (c.outlet or "outlet")
            lines.append(f"  {_day(c):<12} {c.metric:<10} {c.quantity:>12,.0f}{tag}  — {who}")

    contested = [c for c in claims if c.stance == "denied"]
    if contested:
        lines.append("\nDenials")
        for c in contested:
            who = c.attributed_to.name if c.attributed_to else "?"
            lines.append(f"  {_day(c):<12} {who}: {c.evidence.text[:110]}")
    return "\n".join(lines)


def _far():  # type: ignore[no-untyped-def]
    from datetime import date

    return date.max
