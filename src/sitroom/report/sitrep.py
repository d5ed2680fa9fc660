"""A situation report for one day: control changes, key events with sources and contradictions, advisories,
transport and figures — every line linked to the reports behind it.

Rendered as Markdown (for a chat or an e-mail) or as a self-contained HTML page. Report text is untrusted:
in HTML every piece of it is escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sitroom import ontology
from sitroom.geo.select import place_selector
from sitroom.serialize import control_to_dict
from sitroom.state import Picture
from sitroom.store import Store
from sitroom.store.store import ClaimSource


@dataclass
class Line:
    text: str
    sources: list[tuple[str, str | None]] = field(default_factory=list)  # (label, url)
    flag: str | None = None  # e.g. "contested: denied by ..."


@dataclass
class Section:
    title: str
    lines: list[Line]


def name_of(obj: dict[str, Any] | None, default: str = "?") -> str:
    return str(obj["name"]) if obj else default


def latest_figures(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The latest figure of each metric, area and kind (count or projection)."""
    latest: dict[tuple[str, str, bool], dict[str, Any]] = {}
    for f in figures:
        key = (f["metric"], name_of(f["area"], ""), f["projection"])
        if key not in latest or (f["as_of"] or "") >= (latest[key]["as_of"] or ""):
            latest[key] = f
    return list(latest.values())


class _Sources:
    """Claim ids -> (outlet, url) links, one per document: only the claims a report cites are looked up, and
    only where they come from."""

    def __init__(self, store: Store, known_at: datetime | None) -> None:
        self.store = store
        self.known_at = known_at
        self.claims: dict[str, ClaimSource | None] = {}

    def read(self, claim_ids: list[str]) -> None:
        missing = [c for c in claim_ids if c not in self.claims]
        if missing:
            found = self.store.claim_sources(missing, self.known_at)
            self.claims.update({c: found.get(c) for c in missing})

    def links(self, claim_ids: list[str]) -> list[tuple[str, str | None]]:
        self.read(claim_ids)
        seen: dict[str, tuple[str, str | None]] = {}
        for cid in claim_ids:
            claim = self.claims.get(cid)
            if claim is None or claim.document_id in seen:
                continue
            seen[claim.document_id] = (claim.outlet or claim.document_id, claim.url)
        return list(seen.values())

    def denials(self, claim_ids: list[str]) -> list[str]:
        self.read(claim_ids)
        out = []
        for cid in claim_ids:
            claim = self.claims.get(cid)
            if claim is not None and claim.stance == "denied":
                out.append(claim.speaker or claim.outlet or claim.document_id)
        return sorted(set(out))


def control_entries(
    store: Store, day: date, known_at: datetime | None = None, place: str | None = None
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Who holds each place on `day` as known then (with freshness), and each actor's map colour."""
    picture = Picture(store)
    at_place = place_selector(place).matches if place else (lambda _p: True)
    entries = [c for c in picture.control(day, picture.knowledge_time(day, known_at)) if at_place(c["place"])]
    colours = {a["id"]: a["colour"] for a in picture.actor_list() if a["colour"]}
    return entries, colours


def build_sitrep(
    store: Store, day: date, known_at: datetime | None = None, place: str | None = None
) -> tuple[str, list[Section]]:
    """The sections of a day's report; with `place`, only what is at that place (any spelling, an id or a
    country code, as `--place` everywhere)."""
    picture = Picture(store)
    at_place = place_selector(place).matches if place else (lambda _p: True)
    moment = picture.knowledge_time(day, known_at)
    sources = _Sources(store, moment)

    changes = [
        c
        for c in map(control_to_dict, picture.control_changes_known(moment, day - timedelta(days=1), day))
        if at_place(c["place"])
    ]
    key = [
        e
        for e in picture.events(known_at=moment, since=day, until=day)
        if e["type"] not in ("travel_advisory",) and at_place(e["place"])
    ]
    key.sort(key=lambda e: (-(e["sources"] or 0), e["type"]))
    key = key[:25]
    advisories = [a for a in picture.advisories(day, moment) if not a["superseded_by"] and at_place(a["area"])]
    transport = [t for t in picture.transport(day, moment) if at_place(t["facility"])]
    figures = sorted(
        latest_figures([f for f in picture.figures(moment, until=day) if at_place(f["area"])]),
        key=lambda f: (f["metric"], f["projection"]),
    )
    # every claim the report cites, read at once
    sources.read(
        [cid for rows, k in ((changes, "evidence"), (key, "claims"), (advisories, "evidence"),
                             (transport, "evidence"), (figures, "evidence")) for r in rows for cid in r[k]]
    )  # fmt: skip

    sections: list[Section] = [
        Section(
            "Control changes (this day and the day before)",
            [
                Line(
                    f"{name_of(c['place'])}: {name_of(c['controller'])} since {c['since']} (confidence {c['confidence']:.2f})",
                    sources.links(c["evidence"]),
                )
                for c in sorted(changes, key=lambda c: (c["since"], name_of(c["place"])))
            ],
        )
    ]
    event_lines = []
    for e in key:
        when = e["date"] or f"{e['date_earliest']}..{e['date_latest']}"
        actor = f"{name_of(e['actor'])} " if e["actor"] else ""
        what = ontology.label(e["type"])
        where = name_of(e["place"], "unknown place")
        text = f"{actor}{what} {where} ({when}) — {e['status']}, {e['sources']} independent source(s)"
        denied_by = sources.denials(e["claims"])
        flag = f"contradicted: denied by {', '.join(denied_by)}" if denied_by else None
        event_lines.append(Line(text, sources.links(e["claims"]), flag))
    sections.append(Section("Key events", event_lines))

    adv_lines = []
    for a in advisories:
        new = " (new)" if a["issued"] == day.isoformat() else ""
        means = f", via {a['means']}" if a["means"] else ""
        adv_lines.append(
            Line(
                f"{name_of(a['issuer'])} → {a['audience'] or 'all travellers'}: {', '.join(a['levels'])} "
                f"({name_of(a['area'])}, issued {a['issued']}{means}){new}",
                sources.links(a["evidence"]),
            )
        )
    sections.append(Section("Travel advisories in force", adv_lines))

    sections.append(
        Section(
            "Airports, crossings and roads",
            [
                Line(
                    f"{name_of(t['facility'])}: {t['status']} since {t['since']} (last confirmed {t['last_confirmed'] or '?'})",
                    sources.links(t["evidence"]),
                )
                for t in transport
            ],
        )
    )

    sections.append(
        Section(
            "Figures (latest as of this day)",
            [
                Line(
                    f"{f['metric']}: {f['value']:,.0f}{' (projection)' if f['projection'] else ''} — "
                    f"{name_of(f['area'], 'area unknown')}, as of {f['as_of']}, source {name_of(f['source'], 'the outlet')}",
                    sources.links(f["evidence"]),
                )
                for f in figures
            ],
        )
    )
    when = moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "now"
    where = f" — {place}" if place else ""
    return f"Situation report{where} — {day.isoformat()} (as known at {when})", sections


def _safe_url(url: str | None) -> str | None:
    """Only web links are links: a report may carry any URL (javascript:, data:), and a sitrep is opened by
    people who trust it."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "[]<>`"})  # what makes links, tags and code


def _md(text: str) -> str:
    """Report text as Markdown text, never as markup (a link, an emphasis, an HTML tag)."""
    return text.translate(_MD_SPECIAL)


def render_markdown(title: str, sections: list[Section]) -> str:
    out = [f"# {title}", ""]
    for s in sections:
        out += [f"## {s.title}", ""]
        if not s.lines:
            out.append("_Nothing reported._")
        for line in s.lines:
            links = ", ".join(
                f"[{_md(label)}](<{url}>)" if (url := _safe_url(raw)) else _md(label) for label, raw in line.sources
            )
            flag = f" **{_md(line.flag)}**" if line.flag else ""
            out.append(f"- {_md(line.text)}{flag}" + (f" — sources: {links}" if links else ""))
        out.append("")
    return "\n".join(out)


def render_html(title: str, sections: list[Section], map_svg: str = "", print_css: str = "") -> str:
    e = html.escape
    body = [f"<h1>{e(title)}</h1>"]
    if map_svg:  # drawn by sitroom (report.mapsvg), every name in it escaped there
        body.append(f'<figure class="map">{map_svg}<figcaption>Who holds each place on this day</figcaption></figure>')
    for s in sections:
        body.append(f"<h2>{e(s.title)}</h2>")
        if not s.lines:
            body.append("<p><em>Nothing reported.</em></p>")
            continue
        body.append("<ul>")
        for line in s.lines:
            links = ", ".join(
                f'<a href="{e(url, quote=True)}">{e(label)}</a>' if (url := _safe_url(raw)) else e(label)
                for label, raw in line.sources
            )
            flag = f' <strong class="flag">{e(line.flag)}</strong>' if line.flag else ""
            body.append(f"<li>{e(line.text)}{flag}" + (f" — sources: {links}" if links else "") + "</li>")
        body.append("</ul>")
    style = (
        "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}.flag{color:#b00}"
        ".map{margin:1rem 0}.map svg{max-width:100%;height:auto}figcaption{font-size:12px;color:#555}" + print_css
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>"
    )


# Paged media for the printable brief: A4, page numbers, and each link's address printed after it
PRINT_CSS = (
    "@page{size:A4;margin:18mm 16mm 20mm;@bottom-right{content:'page ' counter(page) ' of ' counter(pages);"
    "font:9px sans-serif;color:#555}@bottom-left{content:string(title);font:9px sans-serif;color:#555}}"
    "body{font:10.5pt/1.4 'DejaVu Sans',sans-serif;max-width:none;margin:0;padding:0}"
    "h1{font-size:15pt;string-set:title content()}h2{font-size:12pt;break-after:avoid}li{break-inside:avoid}"
    "a{color:#124a8a}a[href^='http']::after{content:' <' attr(href) '>';font-size:7.5pt;color:#555;"
    "word-break:break-all}"
)


def render_pdf(title: str, sections: list[Section], map_svg: str = "") -> bytes:
    """The sitrep as a printable PDF (WeasyPrint, the `pdf` extra): the map, 'as known at' in the title,
    page numbers, every line with its sources linked and their addresses printed."""
    try:
        from weasyprint import HTML
    except ImportError as exc:  # the extra is not installed
        raise PdfUnavailable(
            "PDF needs WeasyPrint: pip install 'sitroom[pdf]' (it uses the system's Pango library)"
        ) from exc
    page = render_html(title, sections, map_svg, PRINT_CSS)
    pdf: bytes = HTML(string=page).write_pdf()
    return pdf


class PdfUnavailable(RuntimeError):
    """WeasyPrint (the `pdf` extra) is not installed."""


def sitrep(store: Store, day: date, known_at: datetime | None = None, fmt: str = "md", place: str | None = None) -> str:
    title, sections = build_sitrep(store, day, known_at, place)
    if fmt == "html":
        return render_html(title, sections, _map(store, day, known_at, place))
    return render_markdown(title, sections)


def sitrep_pdf(store: Store, day: date, known_at: datetime | None = None, place: str | None = None) -> bytes:
    title, sections = build_sitrep(store, day, known_at, place)
    return render_pdf(title, sections, _map(store, day, known_at, place))


def _map(store: Store, day: date, known_at: datetime | None, place: str | None) -> str:
    from sitroom.report.mapsvg import control_map

    entries, colours = control_entries(store, day, known_at, place)
    return control_map(entries, colours)
