"""``hybrid.v1``: the rules, and the learned sentence scorer where no rule fires.

Every sentence is read by the rules first (`sitroom.extract.rules`). A sentence on which no rule fired (no
trigger word, no figure, advisory or transport status) and that names a place is given to the sentence scorer
(`sitroom.extract.scorer`); when it is confident that the sentence reports an event of a type the rules can
fill in, the rules read the sentence again as if its main verb were that type's trigger: the same steps find the
actor, place, date, source and stance, and the same checks (intentions, attempts, near misses, history, a place
that is only where something lies) can still throw the proposal out. A proposal keeps a lower confidence, its
rule is ``<type>.scorer`` and its cues give the scorer's probability and the ACLED sub-event it read.

Where the rules fired, the scorer does not overrule them. It reads their sentences too: where it is confident of
a finer ACLED sub-event of the same kind ("Abduction/forced disappearance" for an attack on civilians, "Air/drone
strike" for a strike the rules' words leave vague) the ACLED export uses it, and where it reads another type the
disagreement is written into the claim's cues for `--explain`, not acted on.
"""

from __future__ import annotations

from typing import Any

from sitroom.extract.drafts import DocState, Frame, Mention
from sitroom.extract.rules import RulesExtractor
from sitroom.extract.scorer import NONE, SentenceScorer, default_scorer
from sitroom.extract.text import Sentence
from sitroom.model import Claim

NAME = "hybrid.v1"
THRESHOLD = 0.75  # the scorer's probability a proposal needs
SUB_EVENT_P = 0.5  # the probability its ACLED sub-event needs to be recorded
DISCOUNT = 0.6  # a proposal's confidence, as a share of what the rules would give the same reading
MIN_WORDS = 5
# the types whose arguments the rules fill from a trigger word (figures, advisories and transport statuses have
# readers of their own that need their own words: a number, an advice, a status)
PROPOSABLE = frozenset(
    {
        "offensive",
        "armed_clash",
        "advance",
        "territory_captured",
        "withdrawal",
        "remote_violence",
        "attack_on_civilians",
        "protest",
        "evacuation",
        "military_exercise",
    }
)


# proposals of these types need a doer the rules can name
NEEDS_DOER = frozenset({"offensive", "advance", "territory_captured", "withdrawal"})


class HybridExtractor(RulesExtractor):
    name = NAME

    def __init__(self, scorer: SentenceScorer | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._scorer = scorer
        self._groups: dict[str, Any] = {}
        for t in self.m.triggers:
            self._groups.setdefault(t.group.type, t.group)

    @property
    def scorer(self) -> SentenceScorer:
        if self._scorer is None:
            self._scorer = default_scorer()
        return self._scorer

    def _unread(self, st: DocState, idx: int, sent: Sentence, actors: list[Mention], frames: list[Frame]) -> None:
        text = st.text[sent.start : sent.end]
        if len(text.split()) < MIN_WORDS or not self._in(st, sent.start, sent.end, "places"):
            return
        score = self.scorer.score([text])[0]
        if score.type == NONE or score.type not in PROPOSABLE or score.p < THRESHOLD:
            return
        group = self._groups.get(score.type)
        anchor = self._anchor(st, sent)
        if group is None or anchor is None:
            return
        ts, te = anchor
        drafted = len(st.drafts)
        self._event(st, idx, sent, actors, frames, ts, te, group, st.text[ts:te], [])
        if score.type in NEEDS_DOER and any(d.actor is None for d in st.drafts[drafted:]):
            # "most have reached Kassala", "the front moved to Sake": without a force named, a movement word the
            # rules do not know is as likely people or a front line as an advance
            del st.drafts[drafted:]
            return
        for d in st.drafts[drafted:]:
            d.rule = f"{d.type}.scorer"
            d.confidence = round(d.confidence * DISCOUNT, 3)
            note = f"scorer: {score.type} p={score.p:.2f}"
            if score.acled:
                note += f"; ACLED {score.acled} p={score.acled_p:.2f}"
            d.cues.insert(0, note)

    def _finish(self, st: DocState) -> list[Claim]:
        """Before the claims are made, the scorer's reading of each sentence the rules read: its ACLED
        sub-event where it is confident (the export uses it where the rules' words name no finer kind), and a
        disagreement on the type, recorded in the cues and never a veto."""
        sents = {d.sent.start: d.sent for d in st.drafts if not d.rule.endswith(".scorer")}
        if sents:
            texts = [st.text[s.start : s.end] for s in sents.values()]
            scores = dict(zip(sents, self.scorer.score(texts), strict=True))
            for d in st.drafts:
                sc = scores.get(d.sent.start)
                if sc is None or d.rule.endswith(".scorer"):
                    continue
                if sc.type != d.type and sc.p >= THRESHOLD:
                    d.cues.append(f"scorer: reads {sc.type} p={sc.p:.2f}, not {d.type}")
                elif sc.type == d.type and sc.acled and sc.acled_p >= SUB_EVENT_P:
                    d.cues.append(f"scorer: ACLED {sc.acled} p={sc.acled_p:.2f}")
        return super()._finish(st)

    @staticmethod
    def _anchor(st: DocState, sent: Sentence) -> tuple[int, int] | None:
        """The sentence's main verb (the clause a reporting verb governs, if it is one), as document offsets."""
        if st.syntax is None:
            return None
        doc = st.syntax.parse(sent.start, sent.end)
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        if root is None:
            return None
        said = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")), None)
        head = said or root
        start = sent.start + head.idx
        return start, start + len(head.text)
