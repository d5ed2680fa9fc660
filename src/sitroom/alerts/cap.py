"""An alert as a CAP 1.2 message (Common Alerting Protocol, urn:oasis:names:tc:emergency:cap:1.2).

Elements appear in the order the CAP schema requires. Times use CAP's form (no fractional seconds, UTC
written "-00:00", never "Z"); a circle is "lat,lon radius-km".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

from sitroom import ontology

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"

_CATEGORY = {"advisory": "Safety", "transport": "Transport", "control": "Security", "event": "Security"}
_CERTAINTY = {"corroborated": "Likely", "reported": "Possible", "contested": "Possible", "denied": "Unlikely"}
_SEVERE_TYPES = ontology.types_where("fighting")


def cap_time(iso: str | None) -> str:
    ts = datetime.fromisoformat(iso) if iso else datetime.now().astimezone()
    ts = ts.replace(microsecond=0)
    text = ts.isoformat()
    return text[:-6] + "-00:00" if text.endswith("+00:00") else text


def _grading(alert: dict[str, Any]) -> tuple[str, str, str]:
    """(urgency, severity, certainty) from what changed."""
    kind, item = alert["kind"], alert.get("item") or {}
    if kind == "advisory":
        leave = "leave" in (item.get("levels") or [])
        return ("Immediate" if leave else "Expected", "Severe" if leave else "Moderate", "Observed")
    if kind == "transport":
        closed = item.get("status") in ("closed", "suspended")
        return ("Immediate" if closed else "Expected", "Moderate", "Observed")
    if kind == "control":
        return ("Immediate", "Severe", "Likely")
    status = item.get("status", "reported")
    severity = "Severe" if item.get("type") in _SEVERE_TYPES else "Moderate"
    return ("Immediate" if status != "denied" else "Unknown", severity, _CERTAINTY.get(status, "Possible"))


def _area(alert: dict[str, Any]) -> tuple[str, float | None, float | None]:
    item = alert.get("item") or {}
    for key in ("place", "area", "facility"):
        p = item.get(key)
        if isinstance(p, dict):
            return p.get("name") or "unknown", p.get("lat"), p.get("lon")
    return "unknown", None, None


def to_cap(alert: dict[str, Any], sender: str = "sitroom@localhost", radius_km: float = 10.0) -> str:
    """The CAP 1.2 XML text of an alert dict (as the engine builds them)."""
    ET.register_namespace("", CAP_NS)
    q = f"{{{CAP_NS}}}"
    root = ET.Element(q + "alert")

    def sub(parent: ET.Element, tag: str, text: str | None) -> ET.Element:
        el = ET.SubElement(parent, q + tag)
        if text is not None:
            el.text = text
        return el

    sub(root, "identifier", alert["id"])
    sub(root, "sender", sender)
    sub(root, "sent", cap_time(alert.get("sent")))
    sub(root, "status", "Actual")
    sub(root, "msgType", "Update" if alert.get("previous_status") else "Alert")
    sub(root, "scope", "Public")
    sub(root, "note", f"subscription {alert['subscription']}: {alert['why']}")
    info = sub(root, "info", None)
    sub(info, "language", "en-US")
    sub(info, "category", _CATEGORY.get(alert["kind"], "Other"))
    sub(info, "event", (alert.get("item") or {}).get("type") or alert["kind"])
    urgency, severity, certainty = _grading(alert)
    sub(info, "urgency", urgency)
    sub(info, "severity", severity)
    sub(info, "certainty", certainty)
    sub(info, "senderName", "sitroom")
    sub(info, "headline", alert["headline"][:160])
    lines = [f"Why: {alert['why']}."]
    for ev in alert.get("evidence", []):
        said = f" ({ev['said_by']})" if ev.get("said_by") else ""
        if ev.get("text"):
            lines.append(f"- {ev.get('outlet') or ev.get('document')}{said}: {ev['text']}")
    sub(info, "description", "\n".join(lines))
    urls = [ev["url"] for ev in alert.get("evidence", []) if ev.get("url")]
    if urls:
        sub(info, "web", urls[0])
    for ev in alert.get("evidence", []):
        if ev.get("claim"):
            param = sub(info, "parameter", None)
            sub(param, "valueName", "sitroom:claim")
            sub(param, "value", f"{ev['claim']} {ev.get('document') or ''}".strip())
    name, lat, lon = _area(alert)
    area = sub(info, "area", None)
    sub(area, "areaDesc", name)
    if lat is not None and lon is not None:
        sub(area, "circle", f"{lat:.4f},{lon:.4f} {radius_km:g}")
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
