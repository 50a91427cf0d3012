"""The stance lexicon: phrases that introduce a stance (GUIDE's eight) or a topic.

Each cue is a regular expression; the stance's object (its issue) starts where the cue ends.
``strength`` orders overlapping cues: a specific phrase ("reaffirmed support for") beats a
bare verb ("reaffirmed"), which beats a modal ("will"). Cues marked ``swallow`` take a
complement ("hopes that ...", "agreed that ...", "urged X to ...") in which weaker cues are
part of the object, not stances of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ADV = (
    r"(?:(?:also|further|again|once\s+again|fully|firmly|strongly|actively|always|highly|deeply|"
    r"sincerely|warmly|resolutely|consistently|continuously|steadfastly|unequivocally|equally|"
    r"jointly|both|all|together|greatly|particularly|especially|personally|publicly|repeatedly)\s+)"
)
POSS = r"(?:(?:his|her|their|its|our|the|a|an|my|your)\s+)"
MOD = r"(?:(?:[\w.’'\-]+,?\s+){0,8}?)"  # up to four modifier words ("the United States' unwavering")

Stance = str


@dataclass(frozen=True)
class Cue:
    stance: Stance  # one of the eight, or "topic", or "speech"
    pattern: re.Pattern[str]
    strength: int
    swallow: bool = False
    before: bool = False  # the issue is the clause's subject, before the cue ("X is essential to ...")


def _c(stance: str, rx: str, strength: int, swallow: bool = False, before: bool = False) -> Cue:
    """A cue; its pattern is written case-insensitively and run on lower-cased text (twice as fast)."""
    lowered = re.sub(r"\[A-Z\]", "[a-z]", rx).replace("|I|", "|i|")
    return Cue(stance, re.compile(lowered), strength, swallow, before)


CUES: list[Cue] = [
    # --- noun phrases with a light verb: most specific
    _c(
        "support",
        rf"\b(?:express|expressed|expresses|reaffirm(?:ed|s)?|reiterat(?:ed|es|e)|affirm(?:ed|s)?|"
        rf"convey(?:ed|s)?|underscor(?:ed|es|e)|emphasi[sz](?:ed|es|e)|pledg(?:ed|es|e)|voic(?:ed|es)|"
        rf"offer(?:ed|s)?|extend(?:ed|s)?|stress(?:ed|es)?|highlight(?:ed|s)?|confirm(?:ed|s)?|"
        rf"declar(?:ed|es)|detail(?:ed|s)?|outlin(?:ed|es)|provide[sd]?|"
        rf"shar(?:ed|es)|renew(?:ed|s)?|discuss(?:ed|es)\s+(?:their|his|her|our|its)(?:\s+shared)?)\s+{MOD}"
        rf"(?:support|solidarity|backing)\s+(?:for|to|with)\b",
        9,
    ),
    _c(
        "support",
        r"\b(?:in\s+support\s+of|solidarity\s+with|continue\s+(?:the|their|its|our)\s+(?:\w+\s+)?support\s+of)\b",
        6,
    ),
    _c("oppose", r"\b(?:opposition|objections?)\s+to\b", 6),
    _c("agree", r"\b(?:have\s+|has\s+)?(?:signed|finali[sz]ed|concluded|initiall?ed)\b(?!\s+(?:by|into))", 6),
    _c(
        "commit",
        r"\bshar(?:e|es|ed)\s+(?:the|a|their|our|its)\s+(?:\w+\s+)?(?:goal|objective|aim|vision|determination|ambition)\s+"
        r"(?:of|to|that)\b",
        8,
    ),
    _c("appreciate", r"\b(?:take|takes|took)\s+(?:great\s+)?pride\s+in\b", 8),
    _c(
        "appreciate",
        r"\bnot(?:ed|es)\s+(?:the\s+)?(?:\w+\s+)?(?=(?:progress|advances|achievements|success|accomplishments)\b)",
        8,
    ),
    _c("call", r"\bpa(?:id|ys?)\s+(?:special\s+|particular\s+|close\s+)?attention\s+to\b", 7),
    _c("call", r"\b(?:remains|is|was)\s+a\s+(?:top\s+|key\s+|high\s+)?priority\s+(?:to|for)\b", 7),
    _c("oppose", r"\b(?:not|never)\s+(?:and\s+will\s+never\s+)?recogni[sz]e\b", 7),
    _c("support", r"\b(?:steadfast\s+|strong\s+|staunch\s+|firm\s+)?supporters?\s+of\b", 6),
    _c(
        "support",
        r"\b(?:reaffirm(?:ed|s)?|affirm(?:ed|s)?|underscor(?:ed|es|e)|highlight(?:ed|s)?|emphasi[sz](?:ed|es)|"
        r"stress(?:ed|es)|celebrat(?:ed|es)|hail(?:ed|s)|recogni[sz](?:ed|es)|reiterat(?:ed|es))\s+(?:that\s+)?(?:the\s+)?"
        r"(?:\w+\s+){0,3}?"
        r"(?=(?:strength|friendship|bonds?|ties|solidity|vitality)\s+(?:of|between)\b)",
        8,
    ),
    _c("support", r"\bencourag(?:e|es|ed|ing)\b", 6),
    _c(
        "support",
        r"\b(?:reaffirm(?:ed|s)?|affirm(?:ed|s)?|underscor(?:ed|es|e)|recogni[sz](?:ed|es|e)|stress(?:ed|es)|"
        r"emphasi[sz](?:ed|es)|reiterat(?:ed|es))\s+(?:[\w.’'\-]+\s+){0,3}?(?:inherent\s+)?right\s+to\b",
        8,
    ),
    _c(
        "commit",
        r"\b(?:commitments?|dedication|determination|readiness|resolve|intention|intent|pledge)\s+"
        r"(?:to|of|for)\b",
        7,
    ),
    _c(
        "appreciate",
        rf"\b(?:express(?:ed|es)?|convey(?:ed|s)?|extend(?:ed|s)?|offer(?:ed|s)?|voic(?:ed|es)|"
        rf"reiterat(?:ed|es)|shar(?:ed|es))\s+{MOD}(?:gratitude|appreciation|thanks|"
        rf"congratulations|admiration|satisfaction|relief|pride)\b(?:\s+(?:to|for|with|at|over|on|in))?",
        9,
    ),
    _c(
        "concern",
        rf"\b(?:express(?:ed|es)?|convey(?:ed|s)?|voic(?:ed|es)|rais(?:ed|es)|shar(?:ed|es)\s+(?:their|his|her|its|our)|"
        rf"underscor(?:ed|es)|reiterat(?:ed|es)|not(?:ed|es)|stress(?:ed|es)|emphasi[sz](?:ed|es)|"
        rf"highlight(?:ed|s)?|register(?:ed|s)?|offer(?:ed|s)?|extend(?:ed|s)?|"
        rf"discuss(?:ed|es)\s+(?:their|mutual|shared|common))\s+{MOD}"
        rf"(?:concerns?|alarm|regret|condolences|sympathy|sympathies|dismay|disappointment|"
        rf"sorrow|grief|worries|worry)\b(?:\s+(?:about|over|at|regarding|on(?!\s+behalf)|with|for|to))?",
        9,
    ),
    _c("concern", r"\b(?:concerns?|alarm)\s+(?:about|over|regarding)\b", 5),
    _c(
        "concern",
        r"\b(?:not(?:ed|es)|highlight(?:ed|s)|underscor(?:ed|es)|stress(?:ed|es))\s+(?:the\s+)?(?:[\w\-]+\s+){0,2}?"
        r"(?=(?:impact|consequences|harm|damage|toll|threat|dangers?|risks?)\s+(?:of|posed|that))",
        8,
    ),
    _c(
        "oppose",
        rf"\b(?:express(?:ed|es)?|reiterat(?:ed|es)|voic(?:ed|es)|stat(?:ed|es))\s+{MOD}"
        rf"(?:opposition|objections?|condemnation|rejection)\s+(?:to|of)\b",
        9,
    ),
    _c(
        "hope",
        rf"\b(?:express(?:ed|es)?|voic(?:ed|es)|reiterat(?:ed|es))\s+{MOD}(?:confidence|hopes?|optimism|desire|wish|aspiration|"
        rf"expectation)\b(?:\s+(?:that|in|for))?",
        9,
        True,
    ),
    _c("hope", r"\b(?:best|well|good|warm)\s+wishes\b(?:\s+(?:to|for))?|\bgreetings\b(?:\s+(?:to|for))?", 8),
    _c(
        "call",
        rf"\b(?:stress(?:ed|es|ing)?|emphasi[sz](?:ed|es|ing|e)|underscor(?:ed|es|ing|e)|highlight(?:ed|s|ing)?|"
        rf"underlin(?:ed|es|ing|e)|reiterat(?:ed|es|ing|e)|reaffirm(?:ed|s|ing)?|affirm(?:ed|s|ing)?|"
        rf"recogni[sz](?:ed|es|ing|e)|not(?:ed|es|ing|e)|point(?:ed|s)?\s+out|restat(?:ed|es|e)|"
        rf"acknowledg(?:ed|es|e))\s+{POSS}?{MOD}"
        rf"(?:need|importance|necessity|urgency|imperative|significance|value|centrality|"
        rf"critical\s+importance)\s+(?:of|for|to|in)\b",
        10,
    ),
    _c("call", r"\b(?:the\s+)?(?:need|necessity)\s+(?:for|to)\b", 4, True),
    _c(
        "call",
        r"\bit\s+(?:is|was|remains)\s+(?:\w+\s+)?(?:essential|important|necessary|imperative|vital|"
        r"crucial|critical|urgent)\s+(?:for\s+[^,.;]{1,60}?\s+)?(?:to|that)\b",
        8,
        True,
    ),
    _c(
        "call",
        r"\b(?:is|are|was|were|remains?)\s+(?:\w+\s+)?(?:essential|important|necessary|imperative|"
        r"vital|crucial|critical|key|indispensable)\s+(?:to|for|that)\b",
        5,
        True,
        True,
    ),
    # --- verbs
    _c(
        "support",
        r"\b(?:support(?:s|ed|ing)?|back(?:s|ed)|endors(?:e|es|ed)|champion(?:s|ed)?|"
        r"stands?\s+(?:firmly\s+)?(?:with|by|behind)|stood\s+(?:firmly\s+)?(?:with|by|behind)|stand\s+up\s+for)\b",
        6,
    ),
    _c(
        "oppose",
        r"\b(?:oppos(?:e|es|ed|ing)|reject(?:s|ed|ing)?|condemn(?:s|ed|ing)?|denounc(?:e|es|ed)|"
        r"objected\s+to|(?:(?:is|are|was|were|stands?|remains?|firmly|resolutely)\s+)+against|"
        r"will\s+(?:never|not)\s+(?:accept|tolerate|allow|permit)|(?:cannot|can\s+not)\s+accept|"
        r"do(?:es)?\s+not\s+(?:accept|recognize|support)|refus(?:e|es|ed)\s+to\s+accept)\b",
        7,
    ),
    _c(
        "concern",
        r"\b(?:concerned\s+(?:about|over|at|by|with|that)|deplor(?:e|es|ed)|regrett?(?:ed|s)?|"
        r"lament(?:s|ed)?|mourn(?:s|ed)?|caution(?:s|ed)?\s+against|warn(?:s|ed)?\s+(?:against|of|about|that)|"
        r"alarmed\s+(?:at|by|over)|troubled\s+by|worried\s+(?:about|over|by))\b",
        7,
    ),
    _c(
        "hope",
        r"\b(?:hop(?:e|es|ed|ing)(?:\s+and\s+(?:believ|expect|trust)\w*)?|hopeful|look(?:s|ed|ing)?\s+forward\s+to|wish(?:es|ed)?|"
        r"expect(?:s|ed)?(?=\s+(?:that|the|to|a|an|[A-Z]))|confident\s+(?:that|in)|"
        r"invit(?:e|es|ed)|is\s+convinced\s+that|trust(?:s|ed)?\s+that)\b",
        7,
        True,
    ),
    _c(
        "appreciate",
        r"\b(?:thank(?:s|ed)?|appreciat(?:e|es|ed)|welcom(?:e|es|ed)|prais(?:e|es|ed)|"
        r"commend(?:s|ed)?|congratulat(?:e|es|ed)|applaud(?:s|ed)?|laud(?:s|ed)?|hail(?:s|ed)?|"
        r"salut(?:e|es|ed)|celebrat(?:e|es|ed)|paid\s+tribute\s+to|pays?\s+tribute\s+to|"
        r"honou?r(?:s|ed)|not(?:ed|es)\s+with\s+(?:appreciation|satisfaction)|valued|"
        r"recogni[sz](?:ed|es|e)|acknowledg(?:ed|es|e)|admired?|grateful\s+(?:to|for))\b",
        6,
    ),
    _c(
        "commit",
        r"\b(?:committed\s+to|commits?\s+to|resolved\s+to|pledg(?:e|es|ed)(?:\s+to)?|vow(?:s|ed)?(?:\s+to)?|"
        r"promis(?:e|es|ed)(?:\s+to)?|(?:(?:is|are|was|were|stands?|stood|remains?|remained)\s+)"
        r"(?:\w+\s+)?(?:willing|ready|prepared|determined|resolved|eager|keen|open)\s+to|"
        r"(?:stands?|stood)\s+ready\s+to|intend(?:s|ed)?\s+to|aim(?:s|ed)?\s+to|"
        r"seek(?:s)?\s+to|sought\s+to|undert(?:ook|akes?)\s+to|decided\s+to|will\s+continue\s+to|"
        r"continu(?:e|es|ed)\s+to|plans?\s+to|guarantee[sd]?|ensur(?:e|es|ed))\b",
        5,
    ),
    _c(
        "call",
        r"\b(?:call(?:s|ed|ing)?\s+(?:on|upon|for)|urg(?:e|es|ed|ing)|press(?:es|ed)\s+(?:for|on)|"
        r"demand(?:s|ed)?|appeal(?:s|ed)?\s+(?:to|for)|ask(?:s|ed)\s+(?:\w+\s+){0,3}?to|"
        r"advocat(?:e|es|ed)\s+for|insist(?:s|ed)?\s+(?:on|that)|request(?:s|ed)\s+(?:that|the|to)|"
        r"should|must|need(?:s|ed)?\s+to|ought\s+to)\b",
        5,
        True,
    ),
    _c(
        "agree",
        r"\b(?:agre(?:e|es|ed)(?:\s+(?:to|on|upon|that|with|in))?|reached\s+(?:an?\s+|broad\s+)?(?:agreement|"
        r"consensus|understanding)s?(?:\s+(?:on|to|that))?|concurr?(?:ed|s)?(?:\s+(?:that|on))?|"
        r"shared\s+the\s+view\s+that|"
        r"consensus\s+(?:on|that))\b",
        7,
        True,
    ),
    _c("commit", r"\btasked\s+(?:their|the\s+two|both)?\s*(?:\w+\s+){0,3}?to\b", 7, True),
    _c("commit", r"\b(?:reaffirm(?:ed|s|ing)?|affirm(?:ed|s|ing)?|reiterat(?:ed|es|ing|e)|renew(?:ed|s)?)\b", 3),
    _c(
        "call",
        r"\b(?:stress(?:ed|es|ing)?|emphasi[sz](?:ed|es|ing|e)|underscor(?:ed|es|ing|e)|"
        r"highlight(?:ed|s|ing)?|underlin(?:ed|es|ing|e)|restat(?:ed|es|e))\b",
        3,
    ),
    _c("commit", r"\bwill\b(?!\s+(?:be\s+held|take\s+place))", 2),
    # --- topics and speech
    _c(
        "topic",
        r"\b(?:discuss(?:ed|es|ing)?|exchang(?:ed|es|ing)\s+(?:\w+\s+){0,2}?(?:views|opinions|"
        r"ideas|information)(?:\s+(?:on|about|regarding|over))?|exchange\s+of\s+(?:\w+\s+)?views\s+"
        r"(?:on|about|regarding)|review(?:ed|s|ing)?|touch(?:ed|es)?\s+(?:up)?on|touch(?:ed|es)?\s+base\s+on|talk(?:ed|s)?\s+about|"
        r"spoke\s+about|focus(?:ed|es)?\s+on|focused\s+primarily\s+on|consult(?:ed)?\s+on|"
        r"conferred\s+on|covered|addressed|compared\s+notes\s+on|assessed|took\s+stock\s+of|"
        r"brief(?:ed|s)?\s+(?:\w+\s+){0,4}?(?:on|about|regarding)|updated?\s+(?:\w+\s+){0,3}?on)\b",
        4,
    ),
    _c(
        "speech",
        r"\b(?:said|says|stated|states|added|noted|notes|pointed\s+out|stressed|stresses|"
        r"emphasi[sz]ed|emphasi[sz]es|underscored|underscores|indicated|explained|told\s+\w+|"
        r"observed|remarked|expressed|highlighted|reiterated|reaffirmed|affirmed|(?<!and\s)believ(?:e|es|ed)|"
        r"maintain(?:ed|s)|held|conveyed|made\s+clear|shared)\s*(?:,\s*)?(?:that\b|:|"
        r"(?=\s+(?:he|she|they|we|it|I|both|the\s+two)\b))|\b(?:said|says|stated|added|pointed\s+out)\b",
        10,
    ),
]

# Where any cue can start: one pass over the text instead of one per cue (five times faster).
_ANY_CUE = re.compile(r"\b(?=[a-z])(?:" + "|".join(f"(?:{cue.pattern.pattern})" for cue in CUES) + ")")


def scan(low: str) -> list[tuple[int, int, Cue, str]]:
    """Every match of every cue in the lower-cased ``low``, as (start, end, cue, words), by start, then
    in lexicon order: exactly what each cue's ``finditer`` finds, overlaps between cues included."""
    found: list[tuple[int, int, Cue, str]] = []
    ends = [0] * len(CUES)  # where each cue's last match ended: its next one starts no earlier
    search = _ANY_CUE.search
    m = search(low)
    while m is not None:
        start = m.start()
        for i, cue in enumerate(CUES):
            if start >= ends[i]:
                hit = cue.pattern.match(low, start)
                if hit is not None:
                    found.append((start, hit.end(), cue, hit.group(0)))
                    ends[i] = hit.end()
        m = search(low, start + 1)
    return found
