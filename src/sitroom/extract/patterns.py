"""The patterns the rules reader matches and the small text tests built on them: how English writes a clause
break, an apposition, a destination, a speaker's place. Word lists are data (lang/en/); these are the
shapes around them."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sitroom import lang, ontology
from sitroom.model import ActorRef, Document, Place

if TYPE_CHECKING:
    from sitroom.extract.drafts import Frame, Mention
    from sitroom.extract.rules import RulesExtractor


# what each event type means for reading: one entry per type in the ontology (data/ontology.toml)
PHYSICAL = ontology.types_where("physical")

# done by forces, never by a ministry or an embassy: fighting, and what moves the control map
FIGHTING_OR_CONTROL = ontology.types_where("fighting") | ontology.control_types()

PAST_EVENTS = ontology.types_where("dated_back")  # dated by a range back from the report when no day is named

ANAPHOR_EVENTS = ontology.types_where("refers_back")  # "the city" in a later sentence can point to their place

NEEDS_PLACE = ontology.types_where("needs_place")

FIGURE_TYPES = ontology.metric_types()

AREA_KINDS = frozenset({"city", "town", "village", "admin1", "region"})

FACILITY_KINDS = frozenset({"airport", "border_crossing", "port", "military_base"})

_CHAIN_GAP = re.compile(
    r"^(?:[\s,&+]|and|or|as well as|along with|plus|then|later|also|the|nearby|neighbouring|neighboring|"
    r"strategically|located|key|city|cities|town|towns|village|villages|of|two|both|provincial|capital|"
    r"\w+['’]s|['’]s|second|third|fourth|largest|biggest|important|central|northern|southern|eastern|western)*$",
    re.IGNORECASE,
)

# "Singa, the capital of Sennar state": what follows describes the place before it, it is no second place taken
_APPOSITION_OF = re.compile(r"^\s*,\s*(?:the|a|an)\s+(?:(?!and\b|or\b)[\w'’-]+\s+){0,3}of\s*$", re.IGNORECASE)

_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|near|around|outside|across|on the outskirts of)\s+(?:the\s+)?(?:(?:neighbou?ring|nearby|northern|southern|eastern|"
    r"western|central|border|rural|besieged)\s+)?(?:(?:city|town|village|province|region)\s+of\s+)?$",
    re.I,
)

_CLAUSE_BREAK = re.compile(r";|\s[—–]\s|\.\s|:\s")

# a label and its status ("Hama city: under opposition control", "Aleppo airport — CLOSED"): the place is the label
_LABEL_GAP = re.compile(
    r"(?:\s+(?:city|town|province|governorate|countryside|\([^()]{1,30}\)))?\s*(?::|\s[—–])\s*$", re.I
)

# between a verb of a figure and its count: "killed at least 12", "displaced some 3,000", "injured 40"
_GOVERNS = re.compile(
    r"\s+(?:(?:at\s+least|at\s+most|about|around|some|nearly|almost|roughly|approximately|over|more\s+than|"
    r"fewer\s+than|less\s+than|up\s+to|an\s+estimated|a\s+further|another|a\s+total\s+of)\s+)?",
    re.IGNORECASE,
)

# a count followed by the speakers it counts and their verb: "two residents said", "three senior officials told"
_SPEAKER_WORDS = re.compile(r"(?:\s+[\w'’-]+){1,3}\s+")

# the object of a verb up to its head noun: "the main functioning hospital", "a camp for the displaced"
_OBJECT_HEAD = re.compile(
    r"\s+(?:the|a|an|its|their|several|two|three|\w+['’]s)\s+((?:[\w-]+\s+){0,3}?[\w-]+(?:\s+for\s+(?:the\s+)?displaced)?)"
    r"(?=\s+(?:in|at|of|near|on|outside|inside|north|south|east|west)\b|[,.;]|\s*$)",
    re.IGNORECASE,
)

# "Strikes were also reported in Tyre": the verb says that it happened, the place after it is where
_OCCURRED = re.compile(
    r"^\s+(?:were|was|have\s+been|has\s+been|had\s+been|are|is)\s+(?:also\s+|again\s+|now\s+|still\s+)?"
    r"(?:reported|recorded|carried\s+out|heard|observed|seen|documented|registered)\b",
    re.IGNORECASE,
)

# a reporting verb in the passive: "were reported", "has been confirmed", "is said"
_PASSIVE_REPORT = re.compile(
    r"\b(?:was|were|is|are|been|being|be)\s+(?:also\s+|now\s+|widely\s+|first\s+)?$", re.IGNORECASE
)

# "days after taking Aleppo", "weeks after the fall of Kabul", "two days since the capture of": an earlier event
_DAYS_AFTER = re.compile(
    r"\b(?:(?:a|one|two|three|four|five|six|several|few|a few|\d+)\s+)?(?P<unit>hours?|days?|weeks?|months?)\s+"
    r"(?:after|since)\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)

# "after claiming the capture of", "having claimed control of": the doer's own claim
_CLAIMING = re.compile(
    r"\b(?:claiming|having\s+claimed|claimed|claims|claim)\s+(?:the\s+|to\s+have\s+|full\s+)?$", re.I
)

# a table's row: "– Aleppo: about 1,50,000", "• Hama: over 130,000 (cumulative)"
_FIGURE_ROW = re.compile(
    r"\s*(?:[–•*·▪-]\s*)?[A-Z][\w'’ -]{1,30}:\s*(?:about|over|some|roughly|nearly|around|more than|at least|~)?\s*\d",
)

# a figure's place named with a locative: "killed 5 people in Gisenyi" (across a border from the report's country)
_AT_PLACE = re.compile(
    r"\b(?:in|at|near|around|inside)\s+(?:the\s+(?:town|city|village|camp|district)\s+of\s+)?$", re.I
)

# "in the city", "across the town": a figure's place named by its kind
_THE_PLACE_WORD = re.compile(
    r"\b(?:in|across|inside|around|throughout)\s+the\s+(?:city|town|capital|camp|village)\b", re.I
)

# "the city" standing for a place ("toward the eastern edge of the city"), not naming one ("the city of Hama")
_BARE_PLACE_WORD = re.compile(r"\bthe\s+(?:city|town|capital|village)\b(?!\s+of\b)", re.IGNORECASE)

# a flight: "fled", "retreated", "ran"
_FLIGHT = re.compile(r"\b(?:fled|flee|fleeing|retreat\w*|deserted|ran|collapsed)\b", re.IGNORECASE)

# "supported by", "backed by": the actor after it helps the subject, it is not the subject
_SUPPORTED_BY = re.compile(
    r"\b(?:supported|backed|aided|assisted|helped|accompanied|joined|reinforced|flanked|escorted)\s+by\s+(?:the\s+)?$",
    re.IGNORECASE,
)

# the acts of a force: a doer named but not listed in the lexicons is taken as written for these
_FORCE_ACTS = frozenset(
    {
        "territory_captured",
        "advance",
        "withdrawal",
        "armed_clash",
        "remote_violence",
        "offensive",
        "attack_on_civilians",
    }
)

# capitalised words that are not names of a doer
_NOT_A_NAME = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday|GMT|UTC|AM|PM|UN|U\.N\.|EU|NATO|[A-Z])",
)

# what a state does in its own land, at a place there: its forces leave, take, clash, strike
_AT_HOME = frozenset({"withdrawal", "territory_captured", "advance", "armed_clash", "remote_violence", "offensive"})

_BACKGROUND_DATE = re.compile(
    r"(?:first time (?:since|in)|since the (?:\w+ ){0,3}(?:war|conflict|uprising|revolution)|ever since|years? after)"
    r"[^.;]{0,60}$",
    re.IGNORECASE,
)

_SUBSET_AFTER = re.compile(r"^\s*(?:of them|of whom|were children|of those)", re.IGNORECASE)

_FROM_BEFORE = re.compile(r"\bfrom\s+(?:[\w'-]+\s+){0,4}$", re.IGNORECASE)

_DESCRIPTOR_BEFORE = re.compile(
    r"\b(?:a|an|another)\s+(?:\w+\s+)?(?:town|city|village|district|area)\s+(?:in|of)\s+$", re.I
)

_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+of|"
    r"\b(?:near|close to|outside|next to|beyond|across from|opposite)(?:\s+the)?(?:\s+[\w-]+)?|"
    r"\b(?:within|about|some|only|just)\s+(?:about\s+|some\s+|around\s+)?\d+\s*(?:km|kilometres|kilometers|miles)\s+(?:\w+\s+)?of)\s+$",
    re.IGNORECASE,
)

# Captures only: "pulled back from positions near X" is still news about X, and a denial of it even more so.
_TAKEN_NOT_NEAR = frozenset({"territory_captured"})

_DESTINATION = re.compile(r"\b(?:to|towards?|for|into)\s+$", re.IGNORECASE)

# the place after a trigger belongs to it only if no verb comes between ("its capture would leave Damascus")
_STOP_AFTER = re.compile(
    r";|\s[—–]\s|\.\s|\b(?:would|could|might|will|is|was|were|are|has|had|have|said|says|mean|means|that|which|who|where)\b"
)

_NIGHT = re.compile(
    r"\b(?:during the night|in the night|overnight|in the early hours|before dawn|at dawn|late at night)\b", re.I
)

# a bare state name acts when it opens a clause or a list ("Jordan shut ...", "among them China, India and ...")
_SUBJECT_BEFORE = re.compile(
    r"(?:^|[.;:!?\n\"“(—–-]\s*|,\s*|\b(?i:and|but|while|that|as|them|the|when|after|before|because|since|if)\s+)$"
)

_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|to|into|from|of|across|on|at|near|for|inside|throughout|against|with|toward|towards|over|out of)\s+$",
    re.I,
)

_DEMONYM_LIST = re.compile(r"\b[A-Z][a-z]+(?:n|i|ese|ish|an)\b(?:\s*(?:,|and|or)\s*[A-Z][a-z]+\b)*(?:\s+[\w-]+)?\s*$")

_FIGURE_REF = re.compile(r"\bthe\s+(?:total|number|numbers|figure|figures|toll|count|tally)\b", re.IGNORECASE)

# "across Idleb and Aleppo governorates": several provinces at once are the country, not their capitals
_REGIONS_AFTER = re.compile(r"\s+(?:governorates|provinces|regions)\b", re.IGNORECASE)

_FACILITY_AFTER = re.compile(
    rf"(?:['’]s)?\s+(?:{lang.alternation(lang.words('facilities', 'qualifiers'))}\s+)?"
    rf"(?P<kind>{lang.alternation(lang.words('facilities', 'after_name'), literal=False)})(?:\b|(?<=\.))",
    re.I,
)

_AIRPORT_CODES = re.compile(lang.grammar()["facilities"]["airport_codes"])

_FACILITY_BEFORE = re.compile(
    rf"\b(?P<kind>{lang.alternation(lang.words('facilities', 'before_name'), literal=False)})"
    r"\s+(?:in|of|at|near|outside)\s+$",
    re.I,
)

_PRESENT_TRIGGER = re.compile(
    r"^(?:seizes?|captures?|takes?|enters?|overruns?|retakes?|storms?|pounds?|strikes?|hits?|withdraws?|pulls?|closes?|"
    r"shuts?|reach(?:es)?|bombs?|shells?|launch(?:es)?|advances?|pushes|falls|comes under|passes to|"
    r"is (?:captured|taken|seized|overrun|retaken|handed)|are (?:captured|taken|seized|overrun|retaken|handed))\b",
    re.IGNORECASE,
)

_SUBSET_BEFORE = re.compile(r"\b(?:including|among them|among whom|of whom|of which)\s+(?:at least\s+|some\s+)?$", re.I)

_FLIGHTS = re.compile(
    r"\bflights?\s+(?:to|from|at|into|out of|in)\s+$|\bflights?\s+(?:to|from|at|into|out of|in)\s+", re.I
)

_UNTIL_BEFORE = re.compile(r"\b(?:until|till|through|thru)\s+(?:at\s+least\s+|the\s+end\s+of\s+)?$", re.I)

_CITY_FLIGHTS = re.compile(r"(?<=\w )(?:flights|services|routes?)\b", re.I)

_TRANSPORT_BREAK = re.compile(
    r";|\.\s"
)  # "Bab al-Salama: OPEN", "Airport (DAM) — CLOSED": boards use colons and dashes

_DESCRIPTION = re.compile(
    r"(?:^|,\s*|\b(?:a|an|the|some|several|two|three|four|five|many|other)\s+)"
    r"(?P<np>(?:[A-Za-z][\w'’-]*\s+){0,2}(?:officials?|sources?|agenc(?:y|ies)|officers?|workers?|groups?|journalists?|"
    r"spokes(?:man|woman|person)|residents?|witnesses|doctors|medics|rescuers|activists|diplomats|commanders?|"
    r"mayor|governor|emergency services|police|paramedics|hospital|health officials|"
    r"monitors?|reporters?|observers|staff|media|outlets?|channels?|networks?|operators?|carriers?|airlines?|"
    r"ministry|ministries|command|presidency|office|authorit(?:y|ies)))\s*$"
)

_OWN_VOICE = re.compile(
    r"\b(?:its|their)\s+(?:own\s+)?(?:official\s+)?(?:spokes(?:man|woman|person)|commanders?|leaders?|chief|"
    r"press office|media office|media centre|statement|channel|account)\s*$",
    re.I,
)

_OWN_MARK = re.compile(r"\b(?:its|their|our|we|it|they|his)\b", re.IGNORECASE)

# the medium a speaker used, right after its verb: "announced on state television that ...", "told state media that"
# (matched on the words between the verb and the mention)
_CHANNEL_BEFORE = re.compile(r"(?:\b(?:on|via|through|over|in|to)\s+|\A\s*)(?:the\s+|its\s+|their\s+|a\s+)?\Z", re.I)
_THAT = re.compile(r"\bthat\b", re.I)

# a war word for a game or a market: "captured the shield", "stormed to a 4-0 win"; "the DAX stormed"
_PRIZE_AFTER = re.compile(
    rf"\s+(?:to\s+)?(?:(?:the|a|an|its|their|his|her|this|last|next)\s+)?(?:[\w'’-]+\s+){{0,2}}?"
    rf"(?:{lang.alternation(lang.words('metaphor', 'prizes'))})\b",
    re.I,
)
_MARKET_BEFORE = re.compile(
    rf"\b(?:{lang.alternation(lang.words('metaphor', 'markets'))})\s+(?:[\w'’-]+\s+){{0,2}}\Z", re.I
)

# a doer described, not named: "(the) Druze groups", "local tribal fighters"; the head noun last
_DESCRIBED_FORCE = re.compile(
    rf"(?:the\s+)?(?P<mods>(?:[\w'’-]+\s+){{1,3}}?)?(?P<head>{lang.alternation(lang.words('organisations', 'force_nouns'))})",
    re.I,
)
# what sets described fighters apart after the noun: "factions in the south", "fighters from Daraa"
_FORCE_QUALIFIER = re.compile(
    r"\s+(?:in|from)\s+(?:the\s+)?(?:south|north|east|west|(?-i:[A-Z])[\w'’-]+)(?:\s+(?-i:[A-Z])[\w'’-]+)?\b", re.I
)

_NEGATED = re.compile(
    rf"\b{lang.alternation(lang.words('negation', 'negators'))}\s+"
    rf"(?:{lang.alternation(lang.words('negation', 'between'))}\s+){{0,2}}$|(?<![\w'’])no\s+\w+\s+$",
    re.I,
)

_FALSITY = re.compile(
    r"\b(?:(?:was|were|is|are|been)\s+(?:also\s+|simply\s+)?[\"“‘']?(?:\w+\s+)?"
    + lang.alternation(lang.words("falsity", "predicates"))
    + r"|(?:do|does|did)\s+not\s+(?:\w+\s+)?(?:correspond|conform)\s+to\s+(?:reality|the\s+truth|the\s+facts)"
    r"|(?:has|have)\s+no\s+(?:basis|foundation)\s+in\s+(?:fact|reality))\b",
    re.I,
)

# "We categorically deny ...": an issuer's document speaking in the first person
_WE_BEFORE = re.compile(r"(?:^|[\s,(“\"])(?:we|I)\s+(?:(?:\w+ly|also|again|hereby)\s+){0,2}$", re.I)

_MODAL = re.compile(rf"\b{lang.alternation(lang.words('modality', 'modals'))}\b", re.I)

_FIRST_PERSON = re.compile(r"\b(?:we|our|us|ours)\b", re.IGNORECASE)

_BOTH = re.compile(r"\b(?:both|the two)\s+(?:towns|cities|villages|places)\b", re.IGNORECASE)

# "The civil defence said the strikes killed four civilians": violence named again by a definite noun phrase
# is the violence just reported, where it was reported.
_EVENT_AGAIN = re.compile(
    r"\b(?:the|these|those|that|this|its|their)\s+(?:\w+\s+)?"
    r"(?:strikes?|air\s?strikes?|attacks?|raids?|shelling|bombardment|bombing|fighting|clashes|blasts?|"
    r"explosions?|assault|drone\s+strikes?|missile\s+strikes?)\b",
    re.IGNORECASE,
)

# "fled for Tabqa", "heading towards the coast": where people went, not where the figure is; but "in the fighting
# for Goma" is the place fought over
_DESTINATION_BEFORE = re.compile(
    r"(?<!fighting )(?<!battle )(?<!battles )(?<!fight )(?<!struggle )\b(?:for|to|towards?|into)\s+(?:the\s+)?$"
)

# "Government spokesman Patrick Muyaya, speaking in Kinshasa, denied ...", "told reporters in Dhaka that ...":
# where the speaker was, not where it happened
_SPEAKER_AT = re.compile(
    r"\b(?:speaking|briefing|writing|calling|talking)(?: (?:by|over|on) (?:the )?(?:tele)?phone| by video(?:[- ]?link)?)?"
    r" (?:in|from)\s+$|\b(?:by|over the|on the) (?:tele)?phone from\s+$|\b(?:said|says|announced|stated|declared) in\s+$"
    r"|\b(?:told|telling) (?:reporters|journalists|a news conference|"
    r"a press conference|parliament|lawmakers)(?: \w+)? in\s+$|\b(?:news|press) conference in\s+$"
)

_WITNESS_AT = re.compile(
    r"\b(?:residents|activists|witnesses|people|doctors|medics|rescuers|locals|sources|officials|families)\s+"
    r"(?:in|of|from|inside)\b[^,.;]*$",
    re.IGNORECASE,
)

_OF_NAME = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")

_VIOLENCE = frozenset({"remote_violence", "attack_on_civilians", "armed_clash", "casualties"})

_OUTLET_SPEAKS_WORDS = ("those who", "people who", "anyone")

_CAUSE_BEFORE = re.compile(
    r"\b(?:killed|wounded|injured|died|destroyed|damaged|hurt)\s+(?:\w+\s+){0,2}(?:in|by|during)\s+the\s+(?:\w+\s+)?$",
    re.I,
)

_CIRCUMSTANCE_TAIL = re.compile(r"\s*(?:in|on|at|via|through|during|late|early|earlier|later|after|before)\b", re.I)

_COORDINATION = re.compile(r",\s+(?:and|but|while|whereas)\b")

_BOARD_LABEL = re.compile(r"\s*(?:[•*·▪◦‣–-]\s*)?([A-Z][\w'’.]*(?:\s+[A-Z][\w'’.]*){0,3})\s*:\s")

_PERFECT = re.compile(r"(?:has|have)\s", re.I)

_PERFECT_BEFORE = re.compile(r"\b(?:has|have)\s+(?:now\s+|just\s+|finally\s+|also\s+)?(?:been\s+)?$", re.I)

_SPAN_WORDS = re.compile(
    r"\b(?:since|so far|over the (?:past|last)|in (?:recent|the past|the last)|this week|in a week|in days)\b", re.I
)

_EXCEPT = re.compile(r"\b(?:except|save|apart from|with the exception of|other than)\b", re.I)

_FALSITY_BEFORE = re.compile(
    r"\b(?:(?:is|was|are|were)\s+(?:\w+\s+)?(?:untrue|false|not true|incorrect|baseless|unfounded|a lie)|no truth (?:to|in))"
    r"\b[^.;]{0,50}?\b(?:that|(?:reports?|claims?|rumou?rs?|news|talk)\s+(?:of|about))\s+[^.;]*$",
    re.I,
)

# a sentence that goes on about the event just told: a log's field ("Fatalities: 7"), "They killed ...",
# "The strikes killed ..."
_CONTINUES_EVENT = re.compile(
    r"\s*(?:[A-Z][\w ]{0,24}:\s*\S|(?:they|it)\b|the\s+(?:strikes?|air\s?strikes?|attacks?|raids?|shelling|"
    r"bombardment|blast|explosions?|fighting|clashes|assault|barrage)\b|(?:in total|in all|overall|altogether)\b|\d)",
    re.I,
)

_SINCE = re.compile(r"\b(?:since|so far|to date)\b", re.I)  # "200,000 have fled since November": a total of its own

_THERE = re.compile(r"\bthere\b(?!\s+(?:is|are|was|were|has|have|had|will|would|may|might|could)\b)", re.I)

_COMBATANTS_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}(?:soldiers|troops|fighters|militants|officers|servicemen|gunmen|personnel)\b", re.I
)

_BRACKET_SOURCE = re.compile(r"(?:\((?P<src>[^()\n]{2,40})\)|\bper\s+(?P<src2>[^.;,()\n]{2,40}?))\s*[.;!]?\s*$")

_SOURCE_KINDS = frozenset(
    {"monitor", "international_organisation", "state", "government_body", "media", "population", "armed_group"}
)

_CRAFT_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}(?:ships?|vessels?|boats?|flights?|planes?|aircraft|helicopters?|buses|convoys?|"
    r"trucks?|lorries|vehicles|tanks?|warships?|frigates?)\b"
    r"(?!\s+(?:workers|drivers|crews?|passengers|staff|members|personnel|pilots|operators))",
    re.I,
)

# "Fatalities: 7", "Displaced since 27 Nov: ~280,000"
_FIELD_COLON = re.compile(
    r"(?:\s+(?:since|as of|on|by|to date|so far)(?:\s+[^:\n]{1,20})?)?\s*:\s*(?:about\s+|some\s+|at least\s+|approx\.?\s+|~\s*)?",
    re.I,
)

_POSITIONAL = re.compile(r"\b(?:approaches|outskirts|edges?|gates|walls|doors|doorstep|limits)\b", re.I)

_HOLDING_BEFORE = re.compile(
    r"\b(?:hold|holds|holding|held|defend|defends|defending|defended|remain|remains|remained|stationed|entrenched|"
    r"dug in|garrisoned)\b[^.;,]{0,40}$",
    re.I,
)

# what stands "on the northern edge of El Fasher" when it is no force: a place described ("the displacement camp on
# the edge of"), or a shell that landed there ("a bomb was dropped on the outskirts of Bilopillia")
_LOCATED_BEFORE = re.compile(
    r"(?:\b(?:camp|camps|village|villages|town|district|districts|neighbou?rhoods?|suburbs?|quarter|base|airport|"
    r"hospital|market|university|school|factory|plant|refinery|station|compound|area|zone)|"
    r"\b(?:landed|fell|dropped|exploded|hit|struck|impacted)(?:\s+\w+){0,2})\s*,?\s*$",
    re.I,
)

# "In Kalaban Coro, on the southern edge of the capital": a name set off by a comma, which the phrase locates
_NAMED_PLACE_BEFORE = re.compile(r"\b(?:[Ii]n|[Aa]t|[Nn]ear)\s+(?:[A-Z][\w'’-]*\s*){1,3},\s*$")

_MOVED_BEFORE = re.compile(
    r"\b(?:reach|enter|push|advanc|arriv|mov|storm|overr[au]n|seiz|captur|took|taken)\w*\b", re.I
)

# a communiqué's list: "liberated the following towns, villages and positions in the countryside of Aleppo: A, B"
_FOLLOWING = re.compile(r"\bthe\s+following\s+[^:.;\n]{0,90}?:", re.I)

# a capitalised noun that a number names: "air strikes on Ward 11", "Border Guard Police Battalion 5", "Base 46"
_NAMED_BY_NUMBER = re.compile(rf"\b(?:{lang.alternation(lang.words('numbers', 'named_by'))})\.?\s+$")

_CALLED_REPORTS = re.compile(
    r"\b(?:call(?:ed|s|ing)|label(?:l?ed|s)|brand(?:ed|s))\s+(?:the\s+|these\s+|such\s+|those\s+|all\s+)?"
    r"(?:reports?|claims?|rumou?rs?|allegations?|accounts?|footage|videos?)\b",
    re.I,
)

# "called \"unreliable\" the information, which is spread by ..., about the capture of X" (translated word order:
# the verdict before the report it is passed on)
_CALLED_FALSE_BEFORE = re.compile(
    r"\bcalled\s+[\"“‘']?(?:unreliable|false|untrue|fake|baseless|lies|a lie|fabricated|groundless)[\"”’']?\s+the\s+"
    r"(?:information|reports?|news|claims?|rumou?rs?)\b[^.;]{0,120}?\b(?:about|of|that)\s+[^.;]*$",
    re.I,
)

_FALSE_WORD = re.compile(rf"\b{lang.alternation(lang.words('falsity', 'words'), literal=False)}\b", re.I)

_REPORTS_THAT = re.compile(
    r"\b(?:reports?|claims?|rumou?rs?|allegations?|statements?|accounts?|suggestions?|news|posts?)\s+"
    r"(?:(?:[\w-]+\s+){0,6}(?:that|of)\b|[\"“‘])",  # "the news “Homs is liberated” is not true"
    re.I,
)

_ATTEMPT = re.compile(
    r"\b(?:attempts?|bids?|efforts?)\s+(?:by\s+[^,.;]{1,40}?\s+)?to\s+$|\b(?:failed|failing|unable)\s+to\s+$", re.I
)

_INTO = re.compile(r"(?:moved|swept|rolled|marched|pushed|poured|stormed) into", re.I)

_PART_OF = re.compile(
    r"\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}(?:suburbs?|outskirts|edges?|districts?|neighbou?rhoods?|parts|areas?|countryside|"
    r"(?:buffer|demilitari[sz]ed|separation|security)\s+zone)\b",
    re.I,
)

_ENTRY = re.compile(r"(?:have |has |had )?(?:entered|enters?|entering|moved in|swept in|rolled in)", re.I)

_UNITS = re.compile(
    r"\b(?:units|troops|forces|servicemen|soldiers|formations|assault groups|air defences?|aviation)\b", re.I
)

_TERRORIST = re.compile(r"\bterrorists?\b", re.I)

_KNOWN_EVENT = re.compile(
    r"(?:capture|fall|seizure|takeover|loss|liberation|withdrawal|retreat)\b(?!\s+(?:of|from)\b)", re.I
)

_OTHER_FATE = re.compile(
    r"\b(?:were|was|had been|have been|has been)\s+(?:\w+\s+)?(?:captured|arrested|detained|taken prisoner|abducted|"
    r"kidnapped|evacuated|rescued|freed|released|displaced|deported)\b",
    re.I,
)

_SUBSET_QUANT = re.compile(
    r"\b(?:some|many|most|several|a few|few|none|all)\s+of\s+(?:them|whom|those)\s+(?:\w+\s+)?$", re.I
)

_COPULA_AFTER = re.compile(
    r"\s+(?:has|have|had|is|was|remains?|remained|stays?)\s+(?:\w+\s+){0,2}(?:at|on|under|rated|listed|classed)\b", re.I
)

_APPOSITION = re.compile(r"(,\s[^,;]{3,80},)\s*(?:[\w'’-]+\s+){0,3}$")

_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who|whose|where)\b[^,;]*,")

_INCLUDING = re.compile(
    r"(?:\s+(?:province|governorate|region|countryside|district|area|areas))?,?\s+(?:including|among them|such as|notably)\s+(?:the\s+)?(?:(?:towns?|villages?|cities|city)\s+(?:of\s+)?)?",
    re.I,
)

_RELATIVE_OPEN = re.compile(r"\s*(?:which|who|whose|where)\b", re.I)


def _spoken_from(text: str, sent_start: int, pos: int) -> bool:
    """Whether the place at `pos` is where a speaker spoke ("speaking in Kinshasa", "told reporters in Dhaka")."""
    return _SPEAKER_AT.search(text, max(sent_start, pos - 30), pos) is not None


def _fronts_speaker(text: str, sent_start: int, p: tuple[int, int, Any, str], frame: Frame) -> bool:
    """ "In Geneva, the World Food Programme said 280,000 people had been displaced": a place fronted before the
    speaker of the sentence is where the speaker is, not where the figure is."""
    return (
        text[sent_start : p[0]].strip().lower() in ("in", "from")
        and frame.region[0] >= p[1]
        and re.fullmatch(r"[\s,]*(?:(?:the|a|an|its|their)\s+)?", text[p[1] : frame.region[0]]) is not None
    )


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _day_headings(text: str, dates: list[Any], published: date) -> list[tuple[int, date]]:
    """Lines that are only a day ("Friday 29 November", "30 Nov 2024"), in text order, with their day."""
    out: list[tuple[int, date]] = []
    for d in dates:
        day = d.span.exact
        if day is None or not (published - timedelta(days=31) <= day <= published):
            continue
        lo = text.rfind("\n", 0, d.start) + 1
        hi = text.find("\n", d.end)
        hi = len(text) if hi < 0 else hi
        if _HEADING_REST.fullmatch(text, lo, d.start) and _HEADING_REST.fullmatch(text, d.end, hi):
            out.append((d.start, day))
    return out


_HEADING_REST = re.compile(r"[\s#*•:—–-]*(?:(?:updated|update|live|entries)\b[\s:—–-]*)?", re.I)


def _as_of(doc: Document, text: str, dates: list[Any], pub: date) -> date:
    """A situation report "as of 3 December" speaks as of that day, not the day it was posted: what it says
    happened "since 27 November" ran to the 3rd."""
    head = text[:400]
    m = _AS_OF.search(head)
    if m is None:
        return pub
    for d in dates:
        if m.end() <= d.start <= m.end() + 2 and d.span.exact is not None:
            day: date = d.span.exact
            return day if pub - timedelta(days=7) <= day <= pub else pub
    return pub


_AS_OF = re.compile(r"\b(?:as of|as at|situation (?:on|at)|status (?:on|at))\s*$|\b(?:as of|as at)\b", re.I)


def _is_label(text: str, start: int, end: int, ts: int) -> bool:
    """A board line's label: the place opens its line (after a bullet) and the status follows its colon or dash."""
    line_lo = text.rfind("\n", 0, start) + 1
    return _BULLET.fullmatch(text, line_lo, start) is not None and _LABEL_GAP.match(text, end, ts) is not None


_CLAIM_LINE = re.compile(
    r"\s*(?:[•*·▪◦‣–—-]\s*)?(?:the\s+)?(?:claim|rumou?r|allegation|viral post)s?\s*:"
    # an interviewer's question ("Q: Human rights groups say ..."), a wire story's furniture ("(Corrects death toll
    # in paragraph 6 ...)", "UPDATE 2-Syria's Kurdish-led SDF take Deir el-Zor ...")
    r"|\s*(?:Q|Question)\s*[:.]\s"
    r"|\s*\((?:Adds|Corrects|Updates|Recasts|Changes|Rewrites|Fixes|Removes|Refiles|Writes through|Inserts|Clarifies)\b"
    r"|(?-i:\s*(?:CORRECTED-|REFILE-)?(?:UPDATE \d+|REFILE|RPT|WRAPUP(?: \d+)?|FACTBOX)-)",
    re.I,
)

_LOSS = re.compile(r"\bloss of$", re.I)

_TO_BEFORE = re.compile(r"\bto\s+(?:the\s+)?$", re.I)

_ON_LAND = ontology.types_where("on_land")

_OFFICIAL_LABEL = re.compile(
    r"\b(?:government|ministry|republic|presidency|president|embassy|consulate|armed forces|general staff|"
    r"military command|army command|prime minister|kingdom)\b",
    re.I,
)

_POSSESSIVE_FORCE = re.compile(
    r"['’]s?\s+(?:jets|warplanes|aircraft|planes|drones|forces|troops|militias|allies|proxies|envoy|ambassador|"
    r"diplomats|air force|navy|missiles|artillery|backing|support)\b",
    re.I,
)

# "will reopen", "is expected to be closed": a change to come ("will remain closed" is the status now)
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|shall|is to|are to|is set to|are set to|is expected to|are expected to)\s+(?:soon\s+)?(?:be\s+)?$", re.I
)

_NUMBERED_WORD = re.compile(
    r"(?:Level|Phase|Stage|Grade|Category|Article|Chapter|Section|Resolution|Gate|Terminal|Sector|Brigade|Division|"
    r"Regiment|Battalion|Corps|Unit|Route|Highway)",
)

_DIGIT_AFTER = re.compile(r"\s+\d")

_HEADING_AFTER = re.compile(r"\s+(?:\w+\s+)?(?:toward|towards|to|into|back to|north|south|east|west)\b", re.I)

_FACILITY_NOUN = re.compile(rf"\b{lang.alternation(lang.words('facilities', 'sites'), literal=False)}s?\b", re.I)

_QUESTION_END = re.compile(r"\?[\s\"”’')\]]*$")

_AREA_NOUN_AFTER = re.compile(
    r"\s+(?:region|oblast|province|governorate|countryside|suburbs?|outskirts|district|area|state|city)\b", re.I
)
# a force word that ends an organisation's name, and the capitalised words of the name before it
_ORG_TAIL = re.compile(lang.alternation(lang.words("organisations", "armed_tails")))
_MONITOR_TAIL = re.compile(lang.alternation(lang.words("organisations", "monitor_tails")))
# "• Sumy regional administration: ...": a line opened by a speaker's label
_SPEAKER_LABEL = re.compile(
    r"[ \t]*(?:[•*·▪◦‣–—-]\s*)?(?P<label>(?:[\w'’.()-]+[ \t]+){0,5}?"
    + lang.alternation(lang.words("organisations", "speaking_tails"))
    + r")[ \t]*:[ \t]+(?=\S)",
    re.I,
)
_NAME_BEFORE = re.compile(r"(?<![\w'’-])((?!The\b)(?:[A-Z][\w'’-]*\s+){1,4})$")
# a short form defined for a name: "the Military Operations Command (MOC)", a glossary's "MOC = Military ..."
_ABBREV_AFTER = re.compile(r"\s*\((?-i:([A-Z][A-Za-z]{0,2}[A-Z]{1,5}))\)")
_ABBREV_BEFORE = re.compile(r"(?<![\w-])(?-i:([A-Z][A-Za-z]{0,2}[A-Z]{1,5}))\s*=\s*(?:the\s+)?$")
# a report whose latest dated event lies more days than this before its publication looks back
_RETROSPECT_DAYS = 3
_RETROSPECT_MIN_DAYS = 3  # ... and names at least this many days
# the people on the move as a verb's subject: their "entered" and "headed for" are no advance of a front
# "four young men from Tafas fell in the battle of Daraa": people who fell died; the verb takes no town
_PEOPLE_FELL = re.compile(
    rf"\b{lang.alternation(lang.words('people', 'fallen'), literal=False)}\b"
    r"(?:\s+(?:from|of)\s+[\w'’ -]{1,30}?)?\s+(?:have\s+|has\s+|had\s+)?$",
    re.I,
)
_FELL = re.compile(r"(?:have |has |had )?(?:fell|fallen|falls)$", re.I)

# what a capture, withdrawal or advance takes as its object, named: "occupied Bweremana", "took the control of
# the locality of Minova" - the proper name right after the verb
_NAMED_OBJECT = re.compile(
    r"\s+(?:the\s+)?(?:(?:town|village|locality|city|settlement|hamlet|district|area|township|base|hill)\s+of\s+)?"
    r"((?-i:[A-Z][\w'’-]+)(?:[\s-](?-i:[A-Z][\w'’-]+))?)",
    re.I,
)
_FRONT_TYPES = frozenset({"territory_captured", "withdrawal", "advance"})

_PEOPLE_MOVING = re.compile(
    rf"\b{lang.alternation(lang.words('people', 'moving'), literal=False)}\b(?:\s+[\w'’-]+){{0,3}}?\s+"
    r"(?:have\s+|had\s+)?(?:also\s+|then\s+|since\s+)?$",
    re.I,
)
_ATTRIBUTED_TO = re.compile(r"\s+(?:widely\s+|largely\s+)?(?:attributed\s+to|blamed\s+on)\s+(?:the\s+)?", re.I)
_BLAMING = re.compile(r",\s+(?:blaming|accusing|who\s+blamed|which\s+blamed)\s+(?:the\s+)?", re.I)
_LIST_END = re.compile(r"\b(?:and|or)\s+$")

_FIGHT_FOR_PLACE = frozenset({"territory_captured", "advance", "armed_clash"})

_IT_OBJECT = re.compile(r"(?<=\w )it\b(?!['’])")

_HEADING = re.compile(r"\b(?:to|towards?|for|into|toward)\s+(?:the\s+)?$", re.I)

_WH_QUESTION = re.compile(r"\s*(?:who|what|which|where|when|how|why|whose)\b", re.I)

_PREVENT = re.compile(r"\b(?:will|would|shall) not (?:allow|let|permit)\b[^.;]{0,60}?\bto\s+$", re.I)

_UNCONFIRMED = re.compile(
    r"\b(?:(?:cannot|can't|could not|couldn't|(?:was|were|is|are) unable to|(?:has|have) not been able to)\s+"
    r"(?:independently\s+)?(?:confirm|verify)\s+(?:the\s+)?(?:reports?|claims?|rumou?rs?|accounts?|that|whether)|"
    r"(?:found\s+|there\s+(?:is|was)\s+)?no\s+(?:evidence|sign|indication|confirmation)\s+that)\b",
    re.I,
)

_HEADER = re.compile(r"[ \t]*\[[^\]\n]{2,80}\]")

_ENTRY_PREFIX = re.compile(
    r"\s*(?:\[[^\]\n]{1,30}\]\s*|\d{1,2}[:.]\d{2}\s*(?:GMT|UTC|local(?: time)?)?\s*(?:[—–-]|:)?\s*)?"
    r"(?:[•*·▪◦‣–—-]\s*)?#?(?:the\s+)?",
    re.I,
)

_LABEL_AFTER = re.compile(r"(?:\s+(?:city|town|province|governorate|countryside))?\s*(?::|\s[—–-])\s", re.I)

_DATE_LABEL_GAP = re.compile(r"\s*(?:\([^()]{1,20}\)\s*)?(?::|[—–-])\s")

_BULLET = re.compile(r"\s*(?:[•*·▪◦‣–—-]|\d{1,2}[.)])?\s*(?:the\s+)?", re.I)


def _overlaps_any(start: int, end: int, mentions: Sequence[Mention], starts: Sequence[int]) -> bool:
    i = bisect.bisect_right(starts, start) - 1
    return any(0 <= j < len(mentions) and mentions[j].start < end and start < mentions[j].end for j in (i, i + 1))


def _in_relative_clause(text: str, s0: int, pos: int, trigger: int) -> bool:
    """ "Deraa, the southern city where the uprising began in 2011, is in rebel hands": a date inside a
    relative clause the trigger is not part of belongs to that clause."""
    comma = text.rfind(",", s0, pos)
    seg_start = comma + 1 if comma >= 0 else s0
    if seg_start <= trigger < pos:
        return False
    nxt = text.find(",", pos)
    if seg_start <= trigger and (nxt < 0 or trigger < nxt):
        return False
    return bool(re.search(r"\b(?:where|which|who|whose)\b", text[seg_start:pos]))


def _country_of(ex: RulesExtractor, m: Mention) -> str | None:
    st = ex.lex.states.get(m.state or "")
    return st.country if st else None


def _is_origin(text: str, lo: int, pos: int, etype: str) -> bool:
    """ "launched from Idlib and western Aleppo": where an offensive or advance comes from is not its place;
    nor, for a strike, where the shells were fired from ("shells fired from the DRC side hit Gisenyi")."""
    if etype == "remote_violence":
        return bool(_FIRED_FROM.search(text, max(lo, pos - 40), pos))
    return (
        etype in ("offensive", "advance")
        and bool(_FROM_BEFORE.search(text[max(lo, pos - 40) : pos]))
        and not _DISTANCE_FROM.search(text, max(lo, pos - 40), pos)
    )


_FIRED_FROM = re.compile(
    r"\b(?:fired|launched|shot|lobbed)\s+(?:[\w-]+\s+){0,2}from\s+(?:the\s+)?(?:[\w'’-]+\s+)?$", re.IGNORECASE
)

_FORCE_ONLY = re.compile(
    r"^reach(?:ed|es)?$|\binside$|^(?:mov|head|march|roll|press)(?:ed|ing|es|s)?\b|^(?:encircl|surround|besieg)", re.I
)

FORCE_KINDS = frozenset({"armed_group", "government_body"})

# "5 km from Homs": a distance to the place, not where the move starts
_DISTANCE_FROM = re.compile(r"\b(?:km|kilomet(?:re|er)s?|miles?)\s+from\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)


def _is_descriptor(text: str, lo: int, pos: int, end: int | None = None) -> bool:
    """ "a town in Idlib province", "Saraqib, Idlib governorate": the province describes the town named
    before, it is no place of its own."""
    if _DESCRIPTOR_BEFORE.search(text[max(lo, pos - 30) : pos]):
        return True
    return (
        end is not None
        and _QUALIFIER_AFTER.match(text, end) is not None
        and re.search(r"[\w)]\s*,\s*$", text[max(lo, pos - 4) : pos]) is not None
    )


_QUALIFIER_AFTER = re.compile(
    r"\s+(?:governorate|province|region|oblast|state|district|county|prefecture|department)\b(?!\s+(?:of|capital))",
    re.I,
)


def _is_reference(text: str, lo: int, place: Any) -> bool:
    """ "west of Aleppo", "near Hama", "within 30 km of Homs": the place locates something else."""
    return bool(_REFERENCE_BEFORE.search(text[max(lo, place[0] - 20) : place[0]]))


def _prefer_not_reference(text: str, lo: int, places: list[Any]) -> list[Any]:
    """ "In Sweida, east of Deraa, ...": a place used as a reference point yields to one that is not."""
    plain = [p for p in places if not _is_reference(text, lo, p)]
    return plain or places


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:60] or "unknown"


def _written_ref(name: str) -> ActorRef:
    """An actor no lexicon lists, named as the text writes it ("source:" + its slug, so the same words in two
    reports are the same actor)."""
    return ActorRef("source:" + _slug(name), name)


def _kind_fits(word: str, m: Mention) -> bool:
    w = word.lower()
    if any(k in w for k in ("ministry", "embassy", "mission", "government", "authorities", "office", "spokes")):
        return m.kind in ("state", "government_body")
    if any(k in w for k in ("army", "military", "command")):
        return m.kind in ("government_body", "state")
    if any(k in w for k in ("agency", "organi")):
        return m.kind == "international_organisation"
    if any(k in w for k in ("monitor", "observatory")):
        return m.kind == "monitor"
    if any(k in w for k in ("alliance", "coalition", "group", "factions", "militia")):
        return m.kind == "armed_group"
    return True


_BREAK = re.compile(r"[,;.]|\s[—–]\s")

_COMMA_BREAK = re.compile(r"[,;]|\s[—–]\s|\.\s*$")

# a reported clause ends at a semicolon, a dash, or a non-restrictive relative clause (", from which the army
# withdrew"), which is the outlet's background rather than the speaker's words
_FRAME_END = re.compile(r";|\s[—–]\s|,\s+(?:\w+\s+)?(?:which|where|whose)\b")


def _next_break(text: str, pos: int, end: int, commas_only: bool = False) -> int:
    m = (_COMMA_BREAK if commas_only else _BREAK).search(text, pos, end)
    return m.start() if m else end


def _next_frame_end(text: str, pos: int, end: int) -> int:
    m = _FRAME_END.search(text, pos, end)
    return m.start() if m else end


def _clause_start(text: str, s0: int, pos: int) -> int:
    """Where the clause holding `pos` begins: after the last ";" or sentence-internal dash."""
    best = s0
    for m in re.compile(r";\s*|\s[—–]\s").finditer(text, s0, pos):
        best = m.end()
    return best


def _post_subject_start(text: str, s0: int, vs: int) -> int:
    """For "..., the monitor's director, Rami Abdel Rahman, told reporters": the start of the speaker phrase,
    reaching back over one appositive name."""
    c1 = text.rfind(",", s0, vs)
    if c1 < 0:
        return s0
    seg = text[c1 + 1 : vs].strip()
    words = seg.split()
    if words and len(words) <= 4 and all(w[:1].isupper() for w in words):
        c2 = text.rfind(",", s0, c1)
        if c2 >= 0:
            return c2 + 1
    return c1 + 1


def _year_only(d: Any) -> bool:
    e, l_ = d.span.earliest, d.span.latest
    return e is not None and l_ is not None and (l_ - e).days >= 300


def _small_number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return lang.numbers("numbers", "units").get(word.lower()) or lang.numbers("numbers", "tens").get(word.lower())


def _near(a: Place, b: Place, km: float) -> bool:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return a.key == b.key
    from math import asin, cos, radians, sin, sqrt

    dlat, dlon = radians(b.lat - a.lat), radians(b.lon - a.lon)
    h = sin(dlat / 2) ** 2 + cos(radians(a.lat)) * cos(radians(b.lat)) * sin(dlon / 2) ** 2
    return 2 * 6371.0 * asin(sqrt(h)) <= km


def _confidence(stance: str, framed: bool, has_actor: bool) -> float:
    base = {"asserted": 0.7, "announced": 0.6, "denied": 0.6, "projected": 0.5, "hypothetical": 0.3}[stance]
    return round(base + (0.1 if framed else 0.0) + (0.05 if has_actor else -0.05), 3)


# what may stand between a group's name and a description of its people: "M23/AFC fighters", "ELN rebels"
_NAME_JOIN = re.compile(r"[ /–-]*(?:[A-Z][\w]*[ /–-]*)?")
