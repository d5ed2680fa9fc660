"""A short situation summary of what a store holds: what `make demo` prints.

It reads the fused picture — control changes with their evidence, advisories in force, airports and
crossings, the latest figures, contradictions — so every line stands for many reports, not one sentence.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sitroom.report.sitrep import latest_figures, name_of
from sitroom.state import Picture
from sitroom.store import Store


def situation_summary(store: Store) -> str:
    picture = Picture(store)
    docs = store.documents()
    claims = store.claims()
    lines: list[str] = []
    first = min((d.known_at for d in docs), default=None)
    last = max((d.known_at for d in docs), default=None)
    span = f", published {first:%d %b} – {last:%d %b %Y}" if first and last else ""
    lines.append(f"{len(docs)} documents{span}; {len(claims)} claims")

    by_type = Counter(c.type for c in claims)
    if by_type:
        lines.append("\nClaims by type")
        lines += [f"  {t:<20} {n}" for t, n in by_type.most_common()]

    events = {e["id"]: e for e in picture.events()}
    changes = sorted(picture.control_changes(), key=lambda c: (c["since"] or "", name_of(c["place"])))
    if changes:
        lines.append("\nControl changes (who took which place, since when, on how many independent sources)")
        for c in changes:
            sources = max((events[e]["sources"] for e in c["events"] if e in events), default=0)
            lines.append(
                f"  {c['since']}  {name_of(c['place']):<28} {name_of(c['controller']):<30} "
                f"{sources} source(s), confidence {c['confidence']:.2f}"
            )

    end = last.date() if last else date.today()
    in_force = [a for a in picture.advisories(end) if not a["superseded_by"]]
    if in_force:
        lines.append(f"\nTravel advisories in force on {end:%d %b %Y}")
        for a in sorted(in_force, key=lambda a: (a["issued"] or "", name_of(a["issuer"]))):
            means = f" ({a['means']})" if a["means"] else ""
            lines.append(
                f"  {a['issued'] or '?':<11} {name_of(a['issuer']):<22} {', '.join(a['levels']):<28} "
                f"{name_of(a['area'])}{means}"
            )

    transport = picture.transport(end)
    if transport:
        lines.append(f"\nAirports, crossings, roads on {end:%d %b %Y}")
        for t in sorted(transport, key=lambda t: name_of(t["facility"])):
            lines.append(f"  {name_of(t['facility']):<36} {t['status']:<10} since {t['since'] or '?'}")

    latest = latest_figures(picture.figures())
    if latest:
        lines.append("\nFigures (latest of each)")
        for f in sorted(latest, key=lambda f: (f["metric"], f["projection"], f["as_of"] or "")):
            tag = " (projection)" if f["projection"] else ""
            lines.append(
                f"  {f['as_of'] or '?':<11} {f['metric']:<10} {f['value']:>12,.0f}{tag}  "
                f"{name_of(f['area'], '')} — {name_of(f['source'], 'the outlet')}"
            )

    contested = [e for e in events.values() if e["status"] in ("contested", "denied")]
    if contested:
        lines.append("\nContradictions (claims and denials kept side by side)")
        for e in sorted(contested, key=lambda e: e["date"] or e["date_earliest"] or ""):
            when = e["date"] or f"{e['date_earliest']}..{e['date_latest']}"
            lines.append(f"  {when:<22} {e['type']:<18} {name_of(e['place']):<20} {e['status']}")
    lines.append(
        "\nEvery line above traces to its claims: `sitroom control --format json`, `sitroom claims --explain`."
    )
    return "\n".join(lines)
