"""A synthetic store of N claims for the benchmarks, generated from the demo corpus's patterns.

The claims follow the shapes the extractor produces on the demo corpus (captures, clashes, strikes,
advances, advisories, transport, figures, with asserted/announced/denied stances and several outlets per
happening) spread over many places and days, so fusion and queries meet realistic clustering: most
happenings are reported by 3-12 outlets, some are denied, control changes hands along a moving front.

    python bench/synthetic.py --db /tmp/bench.db --claims 1000000

Rows are written straight into the store's tables in large batches (the pipeline's one-document-per-
transaction path is measured by the ingest benchmark, not here).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

from sitroom.store import Store
from sitroom.store.grid import cell_of
from sitroom.store.schema import claims as claims_t
from sitroom.store.schema import documents as documents_t

TYPES = [
    ("territory_captured", 0.22),
    ("armed_clash", 0.2),
    ("remote_violence", 0.18),
    ("advance", 0.12),
    ("withdrawal", 0.06),
    ("displacement", 0.06),
    ("casualties", 0.06),
    ("travel_advisory", 0.04),
    ("transport_status", 0.04),
    ("statement", 0.02),
]
ACTORS = [
    ("hts", "Hayat Tahrir al-Sham"),
    ("sna", "Syrian National Army"),
    ("sdf", "Syrian Democratic Forces"),
    ("syrian_government", "Syrian government forces"),
    ("southern_operations_room", "Southern Operations Room"),
]
ISSUERS = [("russia", "Russia"), ("jordan", "Jordan"), ("china", "China"), ("united_states", "United States")]
OUTLETS = [f"Outlet {i:02d}" for i in range(40)]
START = date(2024, 11, 1)


def places(n: int, rng: random.Random) -> list[tuple[str, str, float, float, str]]:
    """n synthetic towns in a 6 x 6 degree box (the Levant's size), each with a stable key."""
    out = []
    for i in range(n):
        lat = 32.0 + rng.random() * 6
        lon = 35.5 + rng.random() * 6
        out.append((f"synthetic:{i}", f"Town {i}", round(lat, 4), round(lon, 4), "SY"))
    return out


def generate(db: str, n_claims: int, seed: int = 7, batch: int = 20_000) -> dict[str, float]:
    rng = random.Random(seed)
    store = Store.open(db)
    town_list = places(max(200, n_claims // 200), rng)
    kinds, weights = zip(*TYPES, strict=True)
    t0 = time.perf_counter()
    docs: list[dict] = []
    rows: list[dict] = []
    written = 0
    doc_pk = 0
    now = datetime.now(UTC).replace(tzinfo=None)
    with store.engine.begin() as conn:
        base_pk = conn.exec_driver_sql("SELECT COALESCE(MAX(pk), 0) FROM documents").scalar() or 0
    while written < n_claims:
        # One happening, reported by several outlets on consecutive days.
        kind = rng.choices(kinds, weights)[0]
        key, name, lat, lon, cc = rng.choice(town_list)
        day = START + timedelta(days=rng.randrange(120))
        actor = rng.choice(ACTORS)
        reports = rng.randint(3, 12)
        denied = rng.random() < 0.08
        quantity = float(rng.randrange(1, 300) * 1000) if kind in ("displacement", "casualties") else None
        for r in range(reports):
            if written >= n_claims:
                break
            doc_pk += 1
            pk = base_pk + doc_pk
            outlet = rng.choice(OUTLETS)
            published = datetime.combine(day + timedelta(days=rng.randint(0, 2)), datetime.min.time())
            doc_id = f"syn-{pk}"
            docs.append(
                {
                    "pk": pk, "id": doc_id, "revision": 1, "current": True,
                    "content_hash": hashlib.sha256(doc_id.encode()).hexdigest(), "title": f"{kind} {name}",
                    "url": f"https://example.org/{doc_id}", "outlet": outlet, "source_kind": "news", "language": "en",
                    "published_at": published, "published_precision": "day", "known_at": published,
                    "ingested_at": now, "text": f"Synthetic report {doc_id} on {name}.", "non_news": [],
                    "warnings": [], "format": "synthetic", "path": None,
                }
            )  # fmt: skip
            stance = (
                "denied"
                if denied and r == reports - 1
                else ("announced" if r == 0 and rng.random() < 0.3 else "asserted")
            )
            is_adv = kind == "travel_advisory"
            issuer = rng.choice(ISSUERS) if is_adv else None
            rows.append(
                {
                    "id": f"c{pk:x}", "document_pk": pk, "document_id": doc_id, "type": kind, "stance": stance,
                    "actor_id": issuer[0] if issuer else actor[0], "actor_name": issuer[1] if issuer else actor[1],
                    "target_id": None, "target_name": None,
                    "attributed_id": "syrian_government" if stance == "denied" else None,
                    "attributed_name": "Syrian government forces" if stance == "denied" else None,
                    "place_key": "geonames:163843" if is_adv else key, "place_name": "Syria" if is_adv else name,
                    "place_text": name, "geonameid": 163843 if is_adv else None,
                    "lat": 35.0 if is_adv else lat, "lon": 38.0 if is_adv else lon, "country": cc,
                    "place_kind": "country" if is_adv else "town", "admin1": None, "population": 0,
                    "cell": cell_of(35.0, 38.0) if is_adv else cell_of(lat, lon),
                    "date_earliest": day, "date_latest": day, "quantity": quantity,
                    "metric": {"displacement": "displaced", "casualties": "killed"}.get(kind),
                    "advice": "leave" if is_adv else None, "audience": "its nationals" if is_adv else None,
                    "means": None, "status": "closed" if kind == "transport_status" else None,
                    "evidence_text": f"Synthetic evidence for {kind} at {name}.", "evidence_start": 0,
                    "evidence_end": 40, "extractor": "rules.v1", "rule": "synthetic", "confidence": 0.7,
                    "cues": [], "known_at": published, "outlet": outlet,
                }
            )  # fmt: skip
            written += 1
        if len(rows) >= batch or written >= n_claims:
            with store.engine.begin() as conn:
                conn.execute(documents_t.insert(), docs)
                conn.execute(claims_t.insert(), rows)
            docs, rows = [], []
            if written % 100_000 < batch:
                print(f"  {written:,} claims written ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    elapsed = time.perf_counter() - t0
    store.close()
    return {"claims": written, "documents": doc_pk, "seconds": elapsed}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="SQLite path or postgresql:// URL (must be empty)")
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    stats = generate(args.db, args.claims, args.seed)
    print(f"synthetic store: {stats['claims']:,} claims in {stats['documents']:,} documents, {stats['seconds']:.1f} s")


if __name__ == "__main__":
    main()
