"""``llm.v1``: claims from a language model behind any OpenAI-compatible chat endpoint.

Configuration, from the environment (nothing is sent anywhere unless SITROOM_LLM_URL is set):

    SITROOM_LLM_URL        base URL of the endpoint, e.g. http://127.0.0.1:8080/v1 (llama.cpp's llama-server,
                           vLLM, Ollama's /v1, or a hosted service)
    SITROOM_LLM_MODEL      the model name the endpoint expects (default "default")
    SITROOM_LLM_KEY_ENV    the name of the variable holding the API key (default SITROOM_LLM_API_KEY); the key
                           itself is never read from a file or written to one
    SITROOM_LLM_TIMEOUT    seconds per request (default 120)
    SITROOM_LLM_CACHE      cache folder (default ~/.cache/sitroom/llm)

The model is asked for JSON that follows `CLAIMS_SCHEMA` (sent as the request's ``response_format``; servers
that cannot constrain output still get the schema in the prompt). Its answer is validated: a claim of an unknown
type or stance, or whose evidence quote is not in the document, is dropped and counted. Places are resolved by
sitroom's own gazetteer, actors by its lexicon, so the claims join the same picture as the rules' claims.
Answers are cached by document hash, extractor version, model and endpoint: a second run costs nothing.
Tokens, requests, cache hits, drops and seconds are counted in `LLMExtractor.stats`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitroom.errors import ConfigError, Rejected
from sitroom.extract.base import claim_id
from sitroom.extract.patterns import _written_ref
from sitroom.model import STANCES, ActorRef, Claim, DateSpan, Document, Evidence, Place
from sitroom.ontology import kinds

log = logging.getLogger(__name__)
NAME = "llm.v1"
CONFIDENCE = 0.5  # a model's claim has no rule behind it; fusion weighs it like a weak rule's

CLAIMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["claims"],
    "properties": {
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["type", "stance", "evidence"],
                "properties": {
                    "type": {"type": "string", "enum": sorted(kinds())},
                    "stance": {"type": "string", "enum": list(STANCES)},
                    "evidence": {"type": "string", "description": "the sentence of the document, copied exactly"},
                    "actor": {"type": ["string", "null"], "description": "who did it, as written"},
                    "source": {"type": ["string", "null"], "description": "who says so; null for the outlet"},
                    "place": {"type": ["string", "null"], "description": "the most specific place, as written"},
                    "country": {"type": ["string", "null"], "description": "the place's country"},
                    "date": {"type": ["string", "null"], "description": "YYYY-MM-DD the event happened"},
                    "earliest": {"type": ["string", "null"]},
                    "latest": {"type": ["string", "null"]},
                    "quantity": {"type": ["number", "null"]},
                    "advice": {"type": ["string", "null"]},
                    "status": {"type": ["string", "null"]},
                },
            },
        }
    },
}

_SYSTEM = """You extract claims from one crisis report for a situation room. A claim is one event the text
reports: who did what, where, when, and who says so. Types: {types}. Stances: asserted (told as fact), denied,
announced (a party claims its own action), projected (forecast), hypothetical (if, could, vowed, near miss).
For casualties and displacement give the figure as quantity. For transport_status give status (open, closed,
suspended, restricted, resumed). For travel_advisory give advice (leave, do_not_travel, reconsider_travel,
shelter_in_place, other). Dates are the day the event happened, not the publication day, as YYYY-MM-DD.
Copy the evidence sentence from the text exactly. Answer with JSON only, following this schema:
{schema}"""


@dataclass
class LLMStats:
    requests: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    claims: int = 0
    dropped: dict[str, int] = field(default_factory=dict)

    def drop(self, why: str) -> None:
        self.dropped[why] = self.dropped.get(why, 0) + 1

    def line(self) -> str:
        drops = ", ".join(f"{k} {v}" for k, v in sorted(self.dropped.items())) or "none"
        return (
            f"llm.v1: {self.requests} requests ({self.cache_hits} from cache), {self.prompt_tokens} prompt and "
            f"{self.completion_tokens} completion tokens, {self.seconds:.1f} s waiting; {self.claims} claims kept, "
            f"dropped: {drops}"
        )


class LLMExtractor:
    name = NAME

    def __init__(
        self,
        url: str | None = None,
        model: str | None = None,
        key: str | None = None,
        cache: Path | None = None,
        timeout: float | None = None,
    ) -> None:
        url = url or os.environ.get("SITROOM_LLM_URL")
        if not url:
            raise ConfigError(
                "llm.v1 needs an OpenAI-compatible endpoint: set SITROOM_LLM_URL (e.g. http://127.0.0.1:8080/v1)"
            )
        self.url = url.rstrip("/")
        self.model = model or os.environ.get("SITROOM_LLM_MODEL", "default")
        key_env = os.environ.get("SITROOM_LLM_KEY_ENV", "SITROOM_LLM_API_KEY")
        self.key = key if key is not None else os.environ.get(key_env)
        self.timeout = timeout or float(os.environ.get("SITROOM_LLM_TIMEOUT", "120"))
        default_cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "sitroom" / "llm"
        self.cache = cache or Path(os.environ.get("SITROOM_LLM_CACHE", default_cache))
        self.stats = LLMStats()
        self._actors: dict[str, ActorRef] | None = None

    # --- reading ---------------------------------------------------------------------------------------------

    def extract(self, doc: Document) -> list[Claim]:
        answer = self._answer(doc)
        try:
            rows = json.loads(answer)["claims"]
            if not isinstance(rows, list):
                raise TypeError("claims is not a list")
        except (ValueError, KeyError, TypeError) as exc:
            raise Rejected(f"llm.v1: the model's answer is not claims JSON ({exc})") from exc
        claims: list[Claim] = []
        seen: set[str] = set()
        for row in rows:
            claim = self._claim(doc, row) if isinstance(row, dict) else None
            if claim is None:
                if not isinstance(row, dict):
                    self.stats.drop("not an object")
                continue
            if claim.id not in seen:
                seen.add(claim.id)
                claims.append(claim)
        self.stats.claims += len(claims)
        return claims

    def _claim(self, doc: Document, row: dict[str, Any]) -> Claim | None:
        typ, stance = row.get("type"), row.get("stance")
        if not isinstance(typ, str) or typ not in kinds():
            self.stats.drop("unknown type")
            return None
        if not isinstance(stance, str) or stance not in STANCES:
            self.stats.drop("unknown stance")
            return None
        span = _find(doc.text, str(row.get("evidence") or ""))
        if span is None:
            self.stats.drop("evidence not in the document")
            return None
        start, end = span
        place = self._place(row.get("place"), row.get("country"))
        when = _when(row)
        quantity = row.get("quantity")
        quantity = float(quantity) if isinstance(quantity, int | float) and not isinstance(quantity, bool) else None
        actor = self._actor(row.get("actor"))
        source = self._actor(row.get("source"))
        key = (typ, place.key if place else None, stance, quantity, row.get("advice"), row.get("status"))
        return Claim(
            id=claim_id(doc.id, NAME, start, end, *key, actor.id if actor else None),
            document_id=doc.id,
            type=typ,
            stance=stance,
            evidence=Evidence(doc.text[start:end], start, end),
            extractor=NAME,
            rule=f"{typ}.llm",
            confidence=CONFIDENCE,
            actor=actor,
            attributed_to=source,
            place=place,
            place_text=row.get("place") or None,
            when=when,
            quantity=quantity,
            metric=kinds()[typ].metrics[0] if quantity is not None and kinds()[typ].metrics else None,
            advice=row.get("advice") or None,
            status=row.get("status") or None,
            cues=(f"model {self.model}",),
            published_at=doc.published_at,
            outlet=doc.outlet,
            language=doc.language,
        )

    def _place(self, name: Any, country: Any) -> Place | None:
        if not isinstance(name, str) or not name.strip():
            return None
        from sitroom.geo.geoparser import Geoparser

        gp = Geoparser.default()
        cc = country if isinstance(country, str) and country.strip() else None
        return gp.resolve(name, cc) or (gp.resolve(cc) if cc else None)

    def _actor(self, name: Any) -> ActorRef | None:
        if not isinstance(name, str) or not name.strip():
            return None
        if self._actors is None:
            from sitroom.extract.lexicon import default_lexicons

            self._actors = {}
            for entry in default_lexicons().actors.values():
                a = entry.actor
                for n in (a.name, *a.aliases):
                    self._actors.setdefault(n.casefold(), ActorRef(a.id, a.name))
        found = self._actors.get(name.strip().casefold())
        if found is not None:
            return found
        return _written_ref(name.strip())  # named as written, the way the rules name an unlisted actor

    # --- the endpoint ----------------------------------------------------------------------------------------

    def _answer(self, doc: Document) -> str:
        key = hashlib.sha256(
            "\x1f".join([NAME, self.url, self.model, doc.content_hash or "", doc.text]).encode("utf-8")
        ).hexdigest()
        cached = self.cache / f"{key}.json"
        if cached.is_file():
            self.stats.cache_hits += 1
            return cached.read_text(encoding="utf-8")
        answer = self._ask(doc)
        self.cache.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(answer, encoding="utf-8")
        tmp.replace(cached)  # never a half-written cache entry
        return answer

    def _ask(self, doc: Document) -> str:
        published = doc.published_at.date().isoformat() if doc.published_at else "unknown"
        body = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {
                    "role": "system",
                    "content": _SYSTEM.format(types=", ".join(sorted(kinds())), schema=json.dumps(CLAIMS_SCHEMA)),
                },
                {
                    "role": "user",
                    "content": f"Title: {doc.title or ''}\nPublished: {published}\nOutlet: {doc.outlet or ''}\n\n"
                    f"{doc.text}",
                },
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "claims", "schema": CLAIMS_SCHEMA, "strict": True},
            },
        }
        req = urllib.request.Request(
            self.url + "/chat/completions",
            data=json.dumps(body).encode("utf-8"),
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {self.key}"} if self.key else {}),
            },
        )
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                reply = json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise Rejected(f"llm.v1: the endpoint {self.url} answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise Rejected(f"llm.v1: the endpoint {self.url} could not be reached ({exc})") from exc
        except ValueError as exc:
            raise Rejected(f"llm.v1: the endpoint {self.url} did not answer JSON") from exc
        finally:
            self.stats.seconds += time.perf_counter() - t0
        self.stats.requests += 1
        usage = reply.get("usage") or {}
        self.stats.prompt_tokens += int(usage.get("prompt_tokens") or 0)
        self.stats.completion_tokens += int(usage.get("completion_tokens") or 0)
        try:
            content = reply["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise Rejected(f"llm.v1: the endpoint {self.url} sent no message content") from exc
        return _unfence(str(content))


def _unfence(content: str) -> str:
    """A model's JSON, without the ```json fence some servers wrap it in."""
    m = re.match(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", content, re.S)
    return m.group(1) if m else content


def _find(text: str, quote: str) -> tuple[int, int] | None:
    """The span of `quote` in `text`: exact, or with runs of whitespace matched loosely. None when absent."""
    quote = quote.strip()
    if len(quote) < 8:
        return None
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    pattern = r"\s+".join(re.escape(w) for w in quote.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def _day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _when(row: dict[str, Any]) -> DateSpan:
    exact = _day(row.get("date"))
    if exact is not None:
        return DateSpan(exact, exact)
    lo, hi = _day(row.get("earliest")), _day(row.get("latest"))
    if lo and hi and lo > hi:
        lo, hi = hi, lo
    return DateSpan(lo, hi)
