"""The store's alert tables: alerts sent (persisted dedupe), watch state, API subscriptions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from sitroom.store.schema import alerts_sent, subscriptions, watch_state
from sitroom.store.store import Store


def _now(store: Store) -> datetime:
    now = datetime.now(UTC)
    return now.replace(tzinfo=None) if store.is_sqlite else now


def already_sent(store: Store, subscription_id: str, item_key: str, status: str) -> bool:
    t = alerts_sent.c
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(t.pk).where(t.subscription_id == subscription_id, t.item_key == item_key, t.status == status)
        ).first()
    return row is not None


def already_sent_any(store: Store, subscription_id: str, item_keys: Sequence[str], status: str) -> bool:
    """Whether an alert with this status went out for any of these keys (an item known by several names)."""
    if not item_keys:
        return False
    t = alerts_sent.c
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(t.pk).where(
                t.subscription_id == subscription_id, t.item_key.in_(list(item_keys)), t.status == status
            )
        ).first()
    return row is not None


def last_status(store: Store, subscription_id: str, item_key: str) -> str | None:
    """The status of the latest alert sent for this subscription and item (None: none sent yet)."""
    t = alerts_sent.c
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(t.status)
            .where(t.subscription_id == subscription_id, t.item_key == item_key)
            .order_by(t.pk.desc())
            .limit(1)
        ).first()
    return row[0] if row is not None else None


def record_sent(store: Store, subscription_id: str, item_key: str, status: str, alert: dict[str, Any]) -> bool:
    """Record a delivered alert; False when it was recorded already (another process got there first)."""
    try:
        with store.engine.begin() as conn:
            conn.execute(
                alerts_sent.insert().values(
                    subscription_id=subscription_id,
                    item_key=item_key[:256],
                    status=status[:128],
                    sent_at=_now(store),
                    alert=alert,
                )
            )
    except sa.exc.IntegrityError:
        return False
    return True


def sent_alerts(store: Store, subscription_id: str | None = None) -> list[dict[str, Any]]:
    q = sa.select(alerts_sent).order_by(alerts_sent.c.pk)
    if subscription_id is not None:
        q = q.where(alerts_sent.c.subscription_id == subscription_id)
    with store.engine.connect() as conn:
        return [dict(r.alert) for r in conn.execute(q)]


def load_state(store: Store, source: str) -> dict[str, Any]:
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(watch_state.c.state).where(watch_state.c.source == source)).first()
    return dict(row.state) if row is not None else {}


def save_state(store: Store, source: str, state: dict[str, Any]) -> None:
    with store.engine.begin() as conn:
        updated = conn.execute(
            watch_state.update().where(watch_state.c.source == source).values(state=state, updated_at=_now(store))
        ).rowcount
        if not updated:
            conn.execute(watch_state.insert().values(source=source, state=state, updated_at=_now(store)))


def stored_subscriptions(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(r.spec) for r in conn.execute(sa.select(subscriptions).order_by(subscriptions.c.created_at))]


def add_subscription(store: Store, spec: dict[str, Any]) -> bool:
    """Store (or replace) a subscription; True when it is new."""
    with store.engine.begin() as conn:
        gone = conn.execute(subscriptions.delete().where(subscriptions.c.id == spec["id"])).rowcount
        conn.execute(subscriptions.insert().values(id=spec["id"], spec=spec, created_at=_now(store)))
    return not gone


def delete_subscription(store: Store, subscription_id: str) -> bool:
    with store.engine.begin() as conn:
        return bool(conn.execute(subscriptions.delete().where(subscriptions.c.id == subscription_id)).rowcount)
