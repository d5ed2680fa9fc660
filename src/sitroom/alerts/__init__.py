"""Alerts: subscriptions (YAML or API), the picture's changes after each document, matching, sinks, CAP.

load_subscriptions(path, resolve=None, actors=None) -> SubscriptionFile
LocalDelta(store, actors) / SnapshotDelta(store, actors)   # PictureDelta: begin(claims) / end(token, claims)
AlertEngine(store, subscriptions, sinks, actors).process(changes, claims) -> list[alert dict]
build_sinks(cfgs) -> {name: Sink};  to_cap(alert) -> CAP 1.2 XML
"""

from sitroom.alerts.cap import to_cap
from sitroom.alerts.delta import Change, LocalDelta, PictureDelta, SnapshotDelta
from sitroom.alerts.engine import AlertEngine, match
from sitroom.alerts.sinks import SIGNATURE_HEADER, SinkError, build_sinks, sign, verify_signature
from sitroom.alerts.subscriptions import (
    Subscription,
    SubscriptionFile,
    load_subscriptions,
    parse_subscription_spec,
    parse_subscriptions,
)

__all__ = [
    "SIGNATURE_HEADER",
    "AlertEngine",
    "Change",
    "LocalDelta",
    "PictureDelta",
    "SinkError",
    "SnapshotDelta",
    "Subscription",
    "SubscriptionFile",
    "build_sinks",
    "load_subscriptions",
    "match",
    "parse_subscription_spec",
    "parse_subscriptions",
    "sign",
    "to_cap",
    "verify_signature",
]
