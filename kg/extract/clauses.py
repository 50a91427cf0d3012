"""From a sentence to stance clauses and issue items.

In: a sentence span. Out: :class:`Clause` records (cue, stance, object span, quote span) and,
for an object, the list items it names ("Taiwan, Xinjiang, Tibet and Hong Kong" -> four items;
"shared security concerns, including Afghanistan, Iraq, and Russia" -> three).
"""

from __future__ import annotations

import re
from itertools import pairwise
from bisect import bisect_left
from dataclasses import dataclass

from kg.extract.cues import AND_IMPORTANCE, CUES, PARTICIPLE_PRAISE, Cue, scan
from kg.extract.morph import is_base_verb, only_verb, parts_of_speech
from kg.extract.text import ABBREVIATION_END

_NOUN_AFTER = re.compile(
    r"\s*(?:for|of|from|during|in|to|and|or|by|that|which|is|are|was|were|provided|"
    r"given|extended|offered|[,.;:)])(?:\W|$)",
    re.IGNORECASE,
)
_HOSTING = re.compile(
    r"\s*(?:(?:His|Her)\s+(?:Majesty|Highness|Excellency),?\s+)?(?:President|Prime Minister|"
    r"Chancellor|King|Queen|Crown Prince|Emir|Amir|Foreign Minister|Secretary|Taoiseach|"
    r"Premier|Sheikh|Director|Minister)\b[^,.;]{0,60}?\bto\s+(?:the\s+)?(?:White House|"
    r"Washington|Beijing|Moscow|London|Camp David|Oval Office|State Department|[A-Z])",
    re.DOTALL,
)
# a passive verb of saying with no agent ("was noted", "were also stressed")
_PASSIVE_VERB = (
    r"(?:was|were|has\s+been|have\s+been)\s+(?:also\s+|\w+ly\s+)?(?:noted|stressed|emphasi[sz]ed|underlined|"
    r"underscored|highlighted|pointed\s+out|recogni[sz]ed|affirmed|reaffirmed|mentioned|expressed|voiced|raised)\b"
)
# a circumstance fronted in a clause ("amid the changing situation, ...")
FRONT_CIRCUMSTANCE = r"(?:amid|given|in\s+view\s+of|in\s+light\s+of|against\s+the\s+backdrop\s+of)"
BOUNDARY = re.compile(r"\s*(?:;|,\s*(?:and|but|while|whereas)\b|\s(?:and|but|while|whereas)\b|,)\s*", re.IGNORECASE)
_CUT = re.compile(
    r"\s*(?:;|,\s*(?:noting|adding|stressing|underscoring|emphasi[sz]ing|saying|recalling|underlining|highlighting|"
    r"pointing\s+out|indicating|asserting|affirming|confirming|explaining|"
    r"recognizing|acknowledging|reaffirming|reiterating)\b|,\s*which\b|,\s*who\b|\s+while\b|\s+whereas\b|,\s*but\b|\s+when\s+it\b|"
    r"\s+in\s+(?:a|his|her|their)\s+(?:phone|telephone)\s+call\b|\s+where\b|\(|,\s*as\s+(?!well\b)|"
    # the passive verb after a fronted noun cue ("The importance of X was noted"): the object ends before it
    r"\s+" + _PASSIVE_VERB + "|"
    # a purpose after the object (", to ensure that ...", ", in order to ...", ", so that ...")
    r",\s*(?:(?:in\s+order\s+|so\s+as\s+)?to\s+(?:ensure|guarantee|enable|allow|make\s+sure)\b|in\s+order\s+to\b|so\s+that\b)|"
    # a trailing attribution (", Battsetseg said.", ", the minister added")
    r",\s*(?:(?:the|he|she|they|[\w.’'\-]+)\s+){1,4}?(?:said|says|added|stated|reports|reported|told\s+\w+)(?=\s*[.,;:]|\s*$)|"
    # a closing quotation mark ends it ('"... cooperation," noted the press service')
    r"(?<=[\w.!?)])(?:[,.][”\"]|[”\"][,.])(?=\s|$)|"
    # a spaced dash ends the clause, except between two names ("Kenya – Austria relations")
    r"\s+[-–—]\s+(?![A-Z][\w.’'\-]*\s+(?:relations|relationship|ties|cooperation|partnership|dialogue|summit|talks|"
    r"border|trade|commission|committee|council|forum|agreement|treaty|joint|business|friendship|strategic|"
    r"comprehensive|investment|consultations?|meeting|working|intergovernmental|inter-governmental)\b))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Clause:
    cue: Cue
    cue_start: int
    cue_end: int
    obj_end: int
    clause_start: int  # where this clause's own text begins (after the previous clause)

    @property
    def stance(self) -> str:
        return self.cue.stance


_memo: tuple[str, list[tuple[int, int, Cue, str]]] | None = None


def _all_cues(text: str) -> list[tuple[int, int, Cue, str]]:
    """Every raw cue match in ``text`` (scanned once per text and remembered)."""
    global _memo
    memo = _memo
    if memo is None or memo[0] is not text:
        low = text.lower()
        if len(low) != len(text):  # a few characters lower-case to two: keep offsets exact
            low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
        memo = (text, scan(low))
        _memo = memo
    return memo[1]


def _start(t: tuple[int, int, Cue, str]) -> int:
    return t[0]


_OPPOSE = next(c for c in CUES if c.stance == "oppose" and not c.before and not c.swallow)
_ON_BEHALF = re.compile(r"\s*,?\s*on\s+behalf\s+of\b", re.IGNORECASE)
_AFTER_BEHALF = re.compile(r"\s(?=(?:to|for|over|at|on|regarding|following|after)\s)", re.IGNORECASE)
_BEFORE_VERB = re.compile(r"\b(?:to|will|would|and|,)\s*$")
_BEFORE_NOUN = re.compile(r"\b(?:its|his|her|their|our|the|and|of|for|with|U\.S\.|continued|strong)\s+$", re.IGNORECASE)


def _rank(cue: Cue) -> int:
    """Overlap priority: a stance phrase beats the bare speech verb it starts with ("reiterated that the bond")."""
    return 5 if cue.stance == "speech" else cue.strength


_BASE_VERB = re.compile(
    r"(?:agree|concur|call|urge|welcome|reaffirm|commit|stress|emphasi[sz]e|note|condemn|support|oppose|pledge|"
    r"underscore|recogni[sz]e|encourage|affirm|reiterate|express)\b",
    re.I,
)


def find_cues(text: str, a: int, b: int) -> list[tuple[int, int, Cue]]:
    """The cues in ``text[a:b]``, overlaps resolved by strength, in order."""
    found: list[tuple[int, int, Cue]] = []
    raw = _all_cues(text)
    for i in range(bisect_left(raw, a, key=_start), len(raw)):  # no slice: a copy of the rest costs O(n)
        s, e, cue, word = raw[i]
        if s >= b:
            break
        if e > b:
            continue
        if cue.stance == "support" and cue.strength == 6 and word.startswith(("support", "back")):
            if _NOUN_AFTER.match(text, e) and (
                not _BEFORE_VERB.search(text[max(a, s - 12) : s]) or _NOUN_AND.search(text, max(a, s - 60), s)
            ):
                continue  # a noun: "support for X"; "Australia's endorsement and support for X" (not "and support X")
            if _BEFORE_NOUN.search(text[max(a, s - 14) : s]) and _NOUN_AFTER.match(text, e):
                continue
        if cue.stance == "commit" and "interest" in word and _EVERYONE.search(text, max(a, s - 50), s):
            cue = _SHARED_INTEREST  # "the world has an interest in peace in the Strait": what all should seek, a call
        if cue.stance == "support" and _EACH_OTHER.match(text, e):
            continue  # "coordinate and support each other": mutual support is a pledge of cooperation, no stance on another
        if cue.stance == "support" and word.startswith("in support") and not text[a:s].strip():
            continue
        if cue is PARTICIPLE_PRAISE and _WORD_BEFORE.search(text, max(a, s - 3), s):
            continue  # "is thanking": a verb of its own clause; "..., thanking her", "While thanking" are participles
        if (
            cue is AND_IMPORTANCE
            and not _AND_BEFORE.search(text, max(a, s - 6), s)
            and not (not text[a:s].strip() and PASSIVE_TAIL.search(text, e, b))
        ):
            continue  # only "..., and the importance of Y" is a coordinated call of its own (or "The importance of Y was
            # noted", a passive with no agent)
        if cue.stance in ("support", "oppose") and _ACCUSED.search(text, max(a, s - 30), s):
            continue  # "people accused of supporting the destabilisation": a charge against others, not a stance
        if (
            word.endswith("ed")
            and cue.stance in ("oppose", "support", "appreciate", "concern")
            and _DETERMINED_BEFORE.search(text, max(a, s - 40), s)
            and _NOUN_NEXT.match(text, e)
        ):
            continue  # "the repeated and condemned acts of burning": an adjective, no stance
        if cue.stance == "speech" and _ATTRIBUTIVE.search(text, max(a, s - 12), s):
            continue  # "the envoy's stated willingness to mediate": an adjective, not a speech verb
        if s > 0 and text[s - 1] == "-" and not re.search(r"(?i)\b(?:re|co|pre)-$", text[max(0, s - 4) : s]):
            continue  # "Iranian-backed", "state-sponsored": a compound adjective, not a cue ("re-emphasized" is)
        if cue.stance == "appreciate" and word.startswith("welcom") and (
            _HOSTING.match(text, e) or _WELCOME_EVENT.match(text, e) or _YOU_ARE.search(text, max(a, s - 12), s)
        ):
            continue  # "welcomed President X to the White House", "the welcome ceremony", "you are welcome": no stance
        if cue.stance == "agree" and word.startswith("conclud") and _CONCLUDED_TALKS.match(text, e):
            continue  # "concluded wide-ranging talks", "concluded his visit": the end of an occasion, no agreement
        if cue.stance == "agree" and _AGREED_UPON.match(text, s, min(b, e + 30)):
            continue  # "the measures agreed upon at the summit", "as agreed on earlier": a participle, no new agreement
        if cue.stance == "commit" and word == "will" and re.match(r"\s+(?:be|have)\b", text[e : e + 6]):
            continue
        if (
            cue.stance in ("support", "oppose", "appreciate")
            and word.endswith("ed")
            and re.match(r"(?:\s+\w+ly)?\s+by\b", text[e : e + 20])
        ):
            continue  # "endorsed by 14 countries": passive, not a stance of the subject
        found.append((s, e, cue))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    kept: list[tuple[int, int, Cue]] = []
    for s, e, cue in found:
        if kept and s < kept[-1][1]:
            ps, pe, pc = kept[-1]
            if (_rank(cue), e - s) > (_rank(pc), pe - ps):
                kept[-1] = (s, e, cue)
            continue
        kept.append((s, e, cue))
    # a weak cue right before a stronger one ("will firmly support", "continue to promote") yields
    out: list[tuple[int, int, Cue]] = []
    dropped = -1
    for i, (s, e, cue) in enumerate(kept):
        if i == dropped:
            continue
        if i + 1 < len(kept) and cue.stance not in ("topic", "speech"):
            ns, ne, ncue = kept[i + 1]
            gap = text[e:ns]
            if cue.stance == "commit" and ncue.stance == "call" and not gap.strip() and _PRESS.fullmatch(text, ns, ne):
                # "will continue to press for", "commit to continuing to press for": a pledge to keep pressing
                out.append((s, e, cue))
                dropped = i + 1
                continue
            # "underscored his iron-clad, unwavering commitment to": a comma between adjectives is close too
            close = (len(gap.split()) <= 4 and not re.search(r"[,;]", gap)) or (
                len(gap.split()) <= 7 and ";" not in gap and _DETERMINED.match(gap) is not None
            )
            if (
                close
                and ncue.stance != "speech"
                and (ncue.stance != "topic" or cue.strength <= 2)
                and (
                    (
                        cue.strength <= 5
                        and not cue.before  # "X is critical to ensuring ...": the evaluation of X
                        and not (_MODAL_CALL.fullmatch(text, s, e) and ncue.strength <= cue.strength)
                        and not _CALL_ON.match(text, s, e)  # "call on Russia to recommit to ...": the call stands
                    )
                    or (cue.stance == "commit" and ncue.stance in ("support", "oppose") and len(gap.split()) <= 2)
                )
            ):
                continue  # but "must ensure that ..." stays a call
        out.append((s, e, cue))
    return out


_NOUN_AND = re.compile(r"(?:['’]s?|\b(?:its|his|her|their|our|the))\s+(?:[\w\-]+\s+){0,2}?[\w\-]+\s+and\s+$", re.I)
_WELCOME_EVENT = re.compile(r"\s+(?:ceremony|reception|dinner|lunch|banquet|remarks|speech|address|party)\b", re.I)
_FRONT_ADVERBIAL = re.compile(rf"\s*(?:that\s+)?(?:{FRONT_CIRCUMSTANCE}|after|following|since|during)\b", re.IGNORECASE)
_MOTTO = re.compile(
    r"(?i)\b(?:under\s+the\s+(?:motto|slogan|principles?)\s+of|in\s+the\s+spirit\s+of|on\s+the\s+(?:basis|principles?)\s+of|"
    r"based\s+on\s+(?:the\s+)?(?:principles?\s+of)?)\s+\S"
)
_RELATIVE = re.compile(r"\s*(?:who|whom|whose)\s", re.IGNORECASE)
_TO_BEFORE = re.compile(r"\bto\s+$")
_WHO_ASIDE = re.compile(r",\s*who\s+[^,]{3,80},\s*(?=\S)")
_FRONTED_PARTICIPLE = re.compile(r"\s*(?:[A-Z][a-z]+ly\s+[a-z]+ing|[A-Z][a-z]+ing)\b")
_MAIN_SUBJECT = re.compile(
    r"(?:the\s+)?(?:two\s+|three\s+|both\s+)?(?:sides|leaders|ministers|parties|presidents|delegations|countries)\s+|"
    r"(?:he|she|they|we)\s+",
    re.IGNORECASE,
)
_NAME_TO = re.compile(r"(?:the\s+)?(?:[A-Z][\w.’'\-]*\s+){1,4}to\s+")
_WHICH_SHOULD = re.compile(r",\s*which\s+$")
_EVERYONE = re.compile(
    r"(?i)\b(?:the\s+(?:whole\s+)?world|(?:the|all\s+members\s+of\s+the)\s+international\s+community|everyone|"
    r"all\s+(?:countries|nations|states|parties)|every\s+(?:country|nation|state))\s+(?:\w+\s+)?$"
)
_SHARED_INTEREST = Cue("call", re.compile(r"interest\s+in"), 8)
_EACH_OTHER = re.compile(r"(?i)\s+(?:each\s+other|one\s+another)\b")
_PRESS = re.compile(r"(?i)(?:press|push|advocate|campaign|lobby)(?:es|ed|ing|s)?\s+(?:for|hard\s+for)")
_CONCLUDED_TALKS = re.compile(
    r"(?i)\s+(?:(?:a|an|the|his|her|their|its|our|two|[\w\-]+)\s+){0,4}?(?:talks|visits?|meetings?|discussions?|"
    r"consultations?|tours?|trips?|conversations?|calls?|sessions?|negotiations)\b"
)
_DETERMINED_BEFORE = re.compile(
    r"\b(?:the|a|an|these|those|such|its|their)\s+(?:(?:[a-z][\w\-]*ed|much|widely|internationally|universally)\s+"
    r"(?:and\s+)?)?$"
)
_NOUN_NEXT = re.compile(
    r"\s+(?!(?:the|a|an|to|by|in|on|at|with|for|of|that|this|these|those|his|her|their|its|our|all|and|or|as|it)\b)[a-z]"
)
_AGREED_UPON = re.compile(
    r"(?i)agreed\s+(?:up)?on(?:\s+(?:at|in|during|by|between|last|earlier|previously|so\s+far|then|there)\b|\s*[,.;)])"
)
_YOU_ARE = re.compile(r"(?i)\byou\s+are\s+(?:always\s+|most\s+|very\s+)?$|\byou['’]re\s+$")
_WORD_BEFORE = re.compile(r"\w\s$")
PASSIVE_TAIL = re.compile(r"\s" + _PASSIVE_VERB, re.IGNORECASE)
_AND_BEFORE = re.compile(r"\band\s+$", re.IGNORECASE)
_ACCUSED = re.compile(r"\b(?:accused|suspected|charged|convicted|guilty)\s+of\s+$|\ballegedly\s+$", re.I)
_ATTRIBUTIVE = re.compile(r"(?:\w['’]s|s['’]|\b(?:the|its|his|her|their|our|a|an))\s+$", re.IGNORECASE)
_CALL_ON = re.compile(r"(?i)(?:call(?:s|ed|ing)?\s+(?:on|upon)|urg(?:e|es|ed|ing)|ask(?:s|ed|ing)?|appeal(?:s|ed)?\s+to)\b")
_MODAL_CALL = re.compile(r"(?i)should|must|need(?:s|ed)?\s+to|ought\s+to")
_DETERMINED = re.compile(r"\s*(?:his|her|their|its|our|the|a|an)\s")


def clauses(text: str, a: int, b: int) -> list[Clause]:
    """Stance and topic clauses of the sentence ``text[a:b]``."""
    cues = find_cues(text, a, b)
    fronted = _FRONTED_PARTICIPLE.match(text, a, b) is not None  # "Mutually noting X, the sides agreed ..."
    out: list[Clause] = []
    swallow_until = -1
    swallow_level = 0
    in_topic = False  # a topic clause came before in the sentence: "and the importance of Y" goes on with it
    for i, (s, e, cue) in enumerate(cues):
        if cue is AND_IMPORTANCE and in_topic:
            continue  # "discussed the situation and the importance of ...": the topic goes on
        if (
            s < swallow_until
            and cue.strength <= swallow_level
            and not _new_clause(text, out[-1].cue_end if out else a, s, cue.strength, fronted)
        ):
            last = out[-1] if out else None
            if last and last.stance == "agree" and cue.stance == "oppose" and cue.before and s < last.obj_end:
                # "both agreed that any offensive would be unacceptable": what they agree to reject, they oppose
                out[-1] = Clause(_OPPOSE, last.cue_start, last.cue_end, s, last.clause_start)
            elif (
                last
                and last.stance == "commit"
                and cue.stance == "support"
                and s < last.obj_end
                and _TO_BEFORE.search(text, max(a, s - 4), s)
            ):
                # "the UK's commitment to work alongside Australia to support X": a pledge to support is support (GUIDE)
                out[-1] = Clause(cue, s, e, last.obj_end, last.clause_start)
            continue
        # the next cue that is not swallowed bounds this object
        nxt = b
        for s2, _e2, cue2 in cues[i + 1 :]:
            if cue2.strength <= _swallow_level(cue) and not _new_clause(text, e, s2, cue2.strength, fronted):
                continue
            if cue2 is AND_IMPORTANCE and (cue.stance == "topic" or in_topic):
                continue
            if cue.stance == "speech":
                nxt = s2
                break
            nxt = _clause_start(text, e, s2)
            break
        obj_end = nxt
        behalf = _ON_BEHALF.match(text, e, obj_end)
        if behalf:
            # "conveyed condolences on behalf of the President and the people to ...": whom the speaker speaks for is
            # no issue; the object goes on after it, if at all
            rest = _AFTER_BEHALF.search(text, behalf.end(), obj_end)
            e = rest.start() if rest else obj_end
        cut = _CUT.search(text, e, obj_end)
        while cut and (
            (cut.group(0).strip() in ("-", "–", "—") and _open_quote(text, e, cut.start()))
            or (cue.stance == "hope" and _WHO_ASIDE.match(text, cut.start(), obj_end))
        ):
            # "“Arab League – Central Asia”": a dash inside a quoted name; "wished X, who leaves her post, success":
            # an aside
            cut = _CUT.search(text, cut.end(), obj_end)
        if cut and cut.start() > e + 2:
            obj_end = cut.start()
        while obj_end > e and text[obj_end - 1] in " ,.;:":
            obj_end -= 1
        clause_start = out[-1].obj_end if out else a
        out.append(Clause(cue, s, e, obj_end, clause_start))
        in_topic = in_topic or cue.stance == "topic"
        swallow_until, swallow_level = nxt, _swallow_level(cue)
    return out


def _open_quote(text: str, a: int, b: int) -> bool:
    """Whether a quotation mark opened in ``text[a:b]`` is still open at ``b``."""
    return text.count("“", a, b) > text.count("”", a, b)


def _swallow_level(cue: Cue) -> int:
    """Cues up to this strength inside the object of ``cue`` are part of that object."""
    if cue.stance == "speech":
        return 0
    if cue.before:
        # an evaluation's issue is its subject: "X is critical to ensuring ..." is one call, but a stronger
        # stance after it is a clause of its own ("... is vital for our efforts to support Ukraine")
        return cue.strength
    if cue.swallow:
        return 99
    return 6 if cue.stance == "topic" else 7


_PAST_CUE = re.compile(
    r"(?:\b(?:also\s+)?\w+ed\b|\b(?:thanked|welcomed|expressed|reaffirmed|noted|said|"
    r"called|urged|agreed|condemned|stressed|emphasized|underscored))",
    re.IGNORECASE,
)


_CLAUSE_VERB = re.compile(
    r"(?:also\s+)?(?:reaffirm|reiterat|affirm|underscor|emphasi[sz]|stress|highlight|not|welcom|thank|express|convey|"
    r"discuss|agre|pledg|commit|call|urg|condemn|prais|commend|congratulat|recogni[sz]|acknowledg|announc|rais|"
    r"offer|extend|invit|encourag|press|underlin|voic|stat|confirm|vow|promis|restat|reviewed|explain|describ|outlin)"
    r"(?:ed|es|s|d)\b",
    re.I,
)


_ONE_STATE = {
    "party", "state", "government", "people", "peoples", "leadership", "royal family", "nation", "parliament",
    "citizens", "monarchy", "king", "crown prince",
}  # fmt: skip
_PRONOUN_ONLY = re.compile(
    r"\s*(?:that\s+)?(?:they|we|he|she|both\s+sides|the\s+two\s+(?:sides|leaders|ministers))\s*", re.IGNORECASE
)
_NAMES_ONLY = re.compile(r"\s*(?:that\s+)?(?:the\s+)?(?:[A-Z][\w.’'\-]*\s*){1,4}")


def _new_clause(text: str, after: int, cue_start: int, cue_strength: int = 0, fronted: bool = False) -> bool:
    """Whether a cue at ``cue_start`` opens a new coordinated clause (", and thanked ...")."""
    gap = text[after:cue_start]
    if _WHICH_SHOULD.search(gap) and _MODAL_CALL.match(text, cue_start):
        return True  # "a new format, which should become a platform for X": a call on what the clause names
    conns = list(re.finditer(r"(?:;|,?\s*as\s+well\s+as\b|,\s*and\b|,\s*but\b|\band\b|,\s*while\b|,)\s*", gap))
    if not conns:
        return False
    m = re.match(r"(" + re.escape(conns[-1].group(0)) + r")((?:[\w.’'\-]+\s+){0,4}?)$", gap[conns[-1].start() :])
    if not m:
        return False
    between = m.group(2)
    cue_word = text[cue_start : cue_start + 20]
    conn = m.group(1)
    if "," not in conn and _NAME_TO.fullmatch(between):
        return False  # "efforts in Iraq and Syria to ensure ...": a purpose of the phrase, not a clause of Syria's
    if (
        "and" in conn
        and "," not in conn
        and _NAMES_ONLY.fullmatch(gap[: conns[-1].start()])
        and _NAMES_ONLY.fullmatch(between)
    ):
        return False  # "agreed that Singapore and China should ...": one subject of two actors, not two clauses
    if (
        "and" in conn
        and "," not in conn
        and _PRONOUN_ONLY.fullmatch(gap[: conns[-1].start()])
        and re.fullmatch(r"(?:their|his|her|its|our|the)\s+(?:\w+\s+)?\w+\s+", between)
    ):
        return False  # "agreed that they and their teams would ...": one subject
    if "as well as" in conn and cue_strength >= 7 and len(between.split()) <= 3:
        return True  # "..., as well as a shared commitment to ..."
    if "and" in conn and _CLAUSE_VERB.match(between):
        return True  # "... and reaffirmed the U.S. commitment to ...": a coordinated verb phrase
    if "and" in conn and re.match(r"(?:will|would|shall|can|could|must|should)\s+(?:\w+\s+){0,2}$", between):
        return True  # "will not be intimidated by X and will continue to support Ukraine"
    if re.match(r"that\s+", between) and cue_strength >= 5:
        return True  # "reiterated that A opposes X, that we expect Y, and that ...": parallel that-clauses
    if fronted and "," in conn and _MAIN_SUBJECT.fullmatch(between):
        return True  # "Mutually noting the progress, the sides agreed to ...": the main clause after a fronted phrase
    if "," in conn and "and" not in conn and ";" not in conn:
        # a bare comma: only a verb of the same form right after it ("supports A, supports B")
        return (
            not between.strip()
            and bool(re.match(r"(?:\w+(?:ed|es|s)\b)", cue_word) or _BASE_VERB.match(cue_word))
            and not re.match(r"\w+ing\b|\w+ss\b", cue_word)
        )
    if (
        re.match(
            r"\s*(?:that\s+)?(?:the\s+)?(?:two\s+|three\s+)?(?:leaders|sides|president|secretary|prime|minister|they|he|"
            r"she|we|both|his|her|their|its|our|[A-Z][\w.’'\-]*)|\s*the\s+(?:two|three)\s*$",
            between or "",
        )
        and between.strip()
    ):
        return True
    if not between.strip() and re.match(r"(?:will|shall|would|should|must|is|are|also)\b", cue_word):
        return True
    if not between.strip() and "and" in conn and cue_strength >= 6 and not re.match(r"\w+ing\b", cue_word):
        return True
    if not between.strip() and "and" in conn and "," not in conn and _BASE_VERB.match(cue_word):
        return True  # "We agree to work together to X and commit to continue Y": a second stance verb, its own clause
    return (
        not between.strip()
        and bool(_PAST_CUE.match(cue_word) or re.match(r"\w+(?:es|s)\b", cue_word))
        and not re.match(r"\w+ing\b|\w+ss\b", cue_word)
    )


def _clause_start(text: str, after: int, cue_start: int) -> int:
    """The start of the clause that holds the cue at ``cue_start`` (its last boundary after ``after``)."""
    last = None
    for m in BOUNDARY.finditer(text, after, cue_start):
        last = m
    if last is None:
        return cue_start
    return last.start()


# --------------------------------------------------------------------------- items

_CONTAINER = re.compile(
    r",?\s+(?:including|such\s+as|especially|particularly|notably|in\s+particular|mainly|mostly|chiefly|primarily|"
    r"among\s+them|like)\s+|:\s+",
    re.IGNORECASE,
)
_VAGUE_HEAD = re.compile(
    r"\b(?:issues?|areas?|range|concerns?|matters?|topics?|challenges?|questions?|fields?|"
    r"sectors?|priorities|interests|threats|subjects?|problems?|affairs|agenda|efforts|"
    r"developments|situation|crises|conflicts|ways|steps|measures)\b(?:\s+\w+){0,4}\s*$",
    re.IGNORECASE,
)
_SPLIT = re.compile(
    r"\s*(?:,\s*(?:(?:and|or)\b|as\s+well\s+as\b)?|;|\s+as\s+well\s+as|\s+and\s+(?=to\s|on\s|for\s|in\s))\s*", re.IGNORECASE
)
VAGUE = re.compile(
    r"^(?:the\s+)?(?:(?:other|various|several|(?:a\s+)?(?:(?:wide|broad|whole)\s+)?(?:number|range|host|variety|series|"
    r"raft|set)\s+of|key|important|shared|common|mutual|bilateral|regional|global|"
    r"international|further|new|recent|current|latest|ongoing|some|other|main|issues?\s+of|and|or|as\s+well\s+as),?\s+)*"
    r"(?:issues?|matters?|dossiers?|"
    r"topics?|areas?|questions?|subjects?|concerns?|priorities|interests|affairs|things|challenges|"
    r"developments|situation|this|that|it|them|these|those|the\s+issue|each\s+other|one\s+another|"
    r"the\s+call|the\s+meeting|the\s+conversation|the\s+talks|other|as\s+follows|the\s+following)"
    r"(?:\s+of\s+(?:mutual|common|shared)\s+(?:interest|concern)(?:\s+and\s+(?:interest|concern))?)?$|"
    r"^(?:the\s+|a\s+)?(?:(?:wide|broad|whole)\s+)?(?:number|range|host|variety|series|raft|set)\s+of\s+(?:\w+\s+){0,3}?"
    r"(?:issues|matters|topics|questions|areas|items)(?:\s+(?:of\s+(?:mutual|common|shared)\s+(?:interest|concern)|"
    r"(?:on|in|regarding|concerning|related\s+to)\s+(?:the\s+)?(?:[\w\-]+\s+){0,4}?(?:agendas?|arenas?|levels?|region|world)|"
    r"(?:where|on\s+which|in\s+which)\s.*))*$|"
    r"^(?:the\s+)?(?:regional|international|global|bilateral|multilateral)\s+agendas?$|"
    r"^(?:mutual|common|shared)\s+(?:interests?|concerns?)$|"
    # an adverbial of time left as an item ("At the beginning", "At the outset of the meeting")
    r"^(?:at|in|towards?)\s+the\s+(?:very\s+)?(?:beginning|outset|start|end|close)"
    r"(?:\s+of\s+(?:the|their|this)\s+(?:meeting|talks|call|conversation|visit|session|day))?$|"
    # a parenthesis of the occasion (", during the telephone conversation,")
    r"^(?:during|in|at|throughout|on)\s+(?:the|their|this|today's)\s+(?:\w+\s+){0,2}?"
    r"(?:conversation|call|meeting|talks|visit|discussions?|session)s?$|"
    # modifiers that lost their noun ("key regional", "other regional", "open")
    r"^(?:(?:(?:a\s+)?(?:wide\s+|broad\s+)?(?:range|number|host|variety)\s+of|key|other|regional|global|international|"
    r"bilateral|multilateral|open|recent|current|various|wide|our|their|his|her|continued|and|or),?\s*)+$|"
    r"^(?:sectors|areas|fields|domains|issues|ways)\s+(?:in|on)\s+which$|^areas\s+of\s+(?:difference|disagreement)$",
    re.IGNORECASE,
)


def split_items(text: str, a: int, b: int, pairs: bool = False, parallel: bool = True) -> list[tuple[int, int]]:
    """Spans of the list items in the object ``text[a:b]``.

    With ``pairs``, two short items joined by "and" ("trade and energy") are two items too; with
    ``parallel``, parallel phrases ("the end of X, and the launch of Y") split even when long.
    """
    m = _CONTAINER.search(text, a, b)
    if pairs and m is None and len(two := _topic_pair(text, a, b)) == 2:
        return two
    spans: list[tuple[int, int]] = []
    after = text[m.end() : b] if m and m.end() < b else ""
    domains = re.match(
        r"(?:in|on|across|through|by|with)\s+(?:the\s+)?(?:(?:fields?|areas?|spheres?|sectors?)\s+of\s+)?(?=[a-zA-Z])", after
    )
    ranging = _RANGING.search(text, a, b)
    if ranging and (to := _RANGE_TO.search(text, ranging.end(), b)):
        # "in various fields, ranging from the economy and security to people-to-people exchanges": the range's ends
        head_text = text[a : ranging.start()]
        if not (_VAGUE_HEAD.search(head_text) and (len(head_text.split()) <= 4 or _VAGUE_END.search(head_text))):
            spans = [(a, ranging.start())]
        spans += _split_list(text, ranging.end(), to.start(), tail=True, parallel=parallel)
        spans += _split_list(text, to.end(), b, tail=True, parallel=parallel)
    elif m and domains:
        # "..., especially in politics, security and education", "including through the new agreement": the head,
        # and the items after the preposition
        spans = _split_list(text, a, m.start(), parallel=parallel)
        spans += _split_list(text, m.end() + domains.end(), b, tail=True, parallel=parallel)
    elif m and re.match(r"(?:within|in|at|through|by|with|among|via|across|under|as)\b", after):
        spans = _split_list(text, a, m.start(), parallel=parallel)  # "..., including within the WHO": a venue
    elif m and m.end() < b:
        head = (a, m.start())
        head_text = text[a : m.start()]
        vague = (_VAGUE_HEAD.search(head_text) and len(head_text.split()) <= 8) or re.search(
            r"\b(?:issues?|matters?|areas?|questions?)\s+(?:related\s+to|of|involving|concerning|regarding)\b", head_text
        )
        if not vague:
            spans += _split_list(text, *head, parallel=parallel)
        spans += _split_list(text, m.end(), b, tail=True, parallel=parallel)
    else:
        spans = _split_list(text, a, b, parallel=parallel)
    if pairs:
        spans = [piece for span in spans for piece in _topic_pair(text, *span)]
    # "shared the view that amid the changing situation, they would ...": a fronted adverbial is no item
    if len(spans) > 1 and _FRONT_ADVERBIAL.match(text, spans[0][0]):
        spans = spans[1:]
    # "promote the mechanisms under the motto of good neighbourliness, friendship and cooperation": the words of a
    # motto or principle are no items of their own
    for k, (s, e) in enumerate(spans):
        if k + 1 < len(spans) and _MOTTO.search(text, s, e):
            spans = spans[: k + 1]
            break
    # "to Kuwait, its leadership, government and people": one state's institutions are no items
    spans = [sp for k, sp in enumerate(spans) if not (k and _INSTITUTIONS.fullmatch(text, *sp))]
    # "with the ROK, its ally, on ...": an appositive names the actor before it again, it is no item; nor is a relative
    # clause ("wished X, who leaves her post, success")
    spans = [
        sp for k, sp in enumerate(spans) if not (k and (_APPOSITIVE.fullmatch(text, *sp) or _RELATIVE.match(text, sp[0])))
    ]
    # "..., at multiple levels, under the leadership of the two Presidents": adjuncts of the whole, not items (unless
    # the items are parallel phrases with that preposition)
    heads = [_ADJUNCT.match(text, s) for s, _e in spans]
    if len(spans) >= 2:
        firsts = [h.group(1).lower() if h else None for h in heads]
        spans = [sp for k, sp in enumerate(spans) if not (k and firsts[k] and firsts.count(firsts[k]) == 1)]
    # "noted the positive dynamics, and outlined the steps ...", "pleased with X, and this period is ending": a second
    # predicate or a clause of its own ends the list
    for k, (s, _e) in enumerate(spans):
        if k and ((_CLAUSE_VERB.match(text, s) and text[s : s + 1].islower()) or _OWN_CLAUSE.match(text, s)):
            spans = spans[:k]
            break
    out = []
    for s, e in (piece for span in spans for piece in _verb_phrases(text, *span)):
        while s < e and text[s] in " ,;:.“\"'":
            s += 1
        while e > s and text[e - 1] in " ,;:.”\"'" and not ABBREVIATION_END.search(text, s, e):
            e -= 1
        if e - s >= 2:
            out.append((s, e))
    return out


_TOPIC_PAIR = re.compile(r"\s*((?:[\w’'\-]+\s+){0,2}?[\w’'\-]+)\s+and\s+((?:[\w’'\-]+\s+){0,2}?[\w’'\-]+)\s*")


def _topic_pair(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Two subjects discussed: "bilateral ties and North Korean issues", "investment and trade"; but one name
    ("Trinidad and Tobago") and one article's phrase ("the people and the government") stay one."""
    m = _TOPIC_PAIR.fullmatch(text, a, b)
    if m is None or re.match(r"(?i)(?:the|a|an|both|between|among)\b", m.group(1)):
        return [(a, b)]
    left, right = m.group(1), m.group(2)
    if left[:1].isupper() and right[:1].isupper() and len(left.split()) == len(right.split()) == 1:
        return [(a, b)]
    last = left.split()[-1].lower()
    if re.search(r"(?i)\b(?:between|among)\b", left) or (
        ("ADJ" in parts_of_speech(last) or last in ("trade", "security", "energy", "defence", "defense"))
        and len(right.split()) >= 2
    ):
        return [(a, b)]  # "negotiations between Russia and Ukraine"; "domestic and foreign policies": a shared head
    return [(m.start(1), m.end(1)), (m.start(2), m.end(2))]


_ADVERB_WORD = re.compile(r"(?i)to|further|also|jointly|together|closely|still|then|both|\w+ly")
_AND_WORD = re.compile(r"\s+and\s+([a-z]+)\b")


def _verb_phrases(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """ "modernise the ports and expand rail links": two verb phrases, two items (the second verb
    only a verb, so that "deepen cooperation and trade" stays one)."""
    first = re.match(r"\s*(?:to\s+)?([a-z]+)\b", text[a:b])
    if not first or not is_base_verb(first.group(1)):
        return [(a, b)]
    for m in _AND_WORD.finditer(text, a, b):
        # the first verb needs its own object: "further strengthen and modernize the Alliance" shares one
        own = [w for w in text[a : m.start()].split() if not _ADVERB_WORD.fullmatch(w)]
        if only_verb(m.group(1)) and len(own) >= 2 and len(text[m.start(1) : b].split()) >= 2:
            return [(a, m.start()), *_verb_phrases(text, m.start(1), b)]
    return [(a, b)]


_NAME_END = re.compile(r"(?:the\s+)?[A-Z][\w’'\-]*(?:\s+(?:of|and|for|the|on|[A-Z][\w’'\-]*))*$")
_TITLE_CASE = re.compile(r"(?:the\s+)?[A-Z][\w’'\-]*(?:\s+(?:of|and|for|the|on|[A-Z][\w’'\-]*))*")


_AND_THE = re.compile(
    r"(?i)(?<=\w\w)\s+and\s+(?=(?:the|a|an)\s+(?!(?:people|peoples|government|royal|citizens|leadership|authorities|"
    r"nation|friendly|brotherly)\b))"
)


def _split_list(text: str, a: int, b: int, tail: bool = False, parallel: bool = True) -> list[tuple[int, int]]:
    seg = text[a:b]
    whole_nouns = not parallel  # support/oppose: "sovereignty, independence and territorial integrity" is one
    # commas inside parentheses or quotation marks do not split
    depth, cuts = 0, []
    for m in _SPLIT.finditer(seg):
        before = seg[: m.start()]
        depth = before.count("(") - before.count(")") + before.count("“") - before.count("”")
        if before.count('"') % 2:
            depth += 1  # inside a quoted name ("Build, Build, Build"): one item
        if depth <= 0:
            cuts.append(m)
    named = _NAME_END.search(seg[: cuts[0].start()].strip()) if cuts else None
    rest = [x.strip() for x in re.split(r",|\band\b", seg[cuts[0].end() :]) if x.strip()] if cuts else []
    if (
        named
        and all(_TITLE_CASE.fullmatch(x) for x in rest)
        and len(named.group(0).split()) >= 3
        and not all(len(x.split()) == 1 and not parts_of_speech(x) for x in rest)
    ):  # but "the People's Republic of China, Iran, and Russia" is three names
        # "the importance of the Treaty of Good-Neighbourliness, Friendship and Cooperation": one name
        return [(a, b)]
    if not cuts:
        # "A and B" after "including": two items; so is "the right to X and the will of Y" (two short
        # phrases with their own determiners), but not "the people and the government of X"
        mm = re.search(r"\s+and\s+", seg) if tail else _AND_THE.search(seg)
        longest = 6 if tail or whole_nouns else 14
        if mm and re.search(r"\b(?:between|among)\s+[^,;]*$", seg[: mm.start()], re.IGNORECASE):
            mm = None  # "dialogue between Iran and the Agency": the pair of one phrase
        if mm and len(seg[: mm.start()].split()) <= 4 and len(seg[mm.end() :].split()) <= longest:
            return [(a, a + mm.start()), (a + mm.end(), b)]
        return [(a, b)]
    if (
        len(cuts) >= 2
        and not tail
        and only_verb(seg[: cuts[0].start()].strip())
        and _PREP_START.match(seg, cuts[0].end())
        and _PREP_START.match(seg, cuts[1].end())
        and "," in cuts[0].group(0)
        and "," in cuts[1].group(0)
    ):
        # "prepare, in close coordination, for the negotiations": a parenthesis between a verb and its complement;
        # the complement is the item
        return _split_list(text, a + cuts[1].end(), b, tail, parallel)
    listed = _LISTED_NAME.match(seg)
    if listed and "NOUN" in parts_of_speech(listed.group(1).lower()):
        # "the Research, Development, Test, and Evaluation Agreement": one name (but "Xinjiang, Tibet, and Hong Kong"
        # are three)
        return [(a, b)]
    if _AMONG_NAME.search(seg[: cuts[0].start()]) and all(
        _TITLE_CASE.fullmatch(x.strip()) for x in re.split(r",|\band\b", seg[cuts[0].end() :]) if x.strip()
    ):
        return [(a, b)]  # "cooperation among Japan, Australia and the United States": one relation of its members
    starts = [seg[: cuts[0].start()]] + [seg[c.end() :] for c in cuts]
    parallel = parallel and (
        any(re.search(r"and\s*$", c.group(0)) for c in cuts)
        or sum(bool(re.match(r"\s*(?:the|a|an|their|its|our|his|her|to)\s", x)) for x in starts) >= 2
    )
    if (
        len(seg[: cuts[0].start()].split()) > 6
        and not tail
        and not parallel
        and not (
            (item := _PREP_ITEM.search(seg[: cuts[0].start()]))
            and "NOUN" in parts_of_speech(item.group(1))
            and all(len(x.split()) <= 5 for x in [seg[c1.end() : c2.start()] for c1, c2 in pairwise(cuts)])
            and len(seg[cuts[-1].end() :].split()) <= 4
        )
    ):
        # "efforts to safeguard national independence, sovereignty and security": one object; but "cooperation
        # between X and Y in the fields of science, energy and cyber" lists the preposition's objects
        return [(a, b)]
    pieces = [seg[: cuts[0].start()]] + [seg[c1.end() : c2.start()] for c1, c2 in pairwise(cuts)]
    pieces = [re.sub(r"^(?:(?:a|an|the|[\w.\-]+['’]s?|[A-Z][\w.\-]*)\s+)", "", x.strip()) or "-" for x in pieces]
    middle = pieces[1:] if len(pieces) > 1 else pieces
    if (
        all(len(x.split()) == 1 and x[:1].islower() and (whole_nouns or "ADJ" in parts_of_speech(x)) for x in middle)
        and pieces[0].split()[-1][:1].islower()
        and (whole_nouns or "ADJ" in parts_of_speech(pieces[0].split()[-1].strip(",;")))
        and not re.search(r"\b(?:matters|fields|sectors|areas|spheres|domains)\s*$", seg)
    ):
        return [(a, b)]  # "bilateral, regional, and global issues": adjectives, one item
    if all(x.lower().strip(" ,") in _ONE_STATE for x in pieces):
        return [(a, b)]  # "the Party, State and people of Viet Nam": one state's institutions, one target
    last_piece = seg[cuts[-1].end() :].strip()
    if (
        len(pieces) >= 2
        and all(len(x.split()) == 1 and x[:1].islower() for x in pieces)
        and re.fullmatch(r"(?:and\s+)?[a-z][\w\-]*\s+(?:in|across|around|throughout|for)\s+(?:the\s+)?\S.*", last_piece)
    ):
        return [(a, b)]  # "peace, stability, and prosperity in the Indo-Pacific": the place scopes over all
    has_comma = any("," in c.group(0) or ";" in c.group(0) for c in cuts)
    spans, pos = [], 0
    for c in cuts:
        spans.append((a + pos, a + c.start()))
        pos = c.end()
    spans.append((a + pos, b))
    if has_comma:
        # "Tibet and Hong Kong" in a comma list is two items; so is "Hong Kong and the fight against ..."
        out: list[tuple[int, int]] = []
        for k, (ss, ee) in enumerate(spans):
            while True:
                mm = re.search(r"\s+and\s+", text[ss:ee])
                head = text[ss : ss + mm.start()] if mm else ""
                last = k == len(spans) - 1
                lone_adjective = len(head.split()) == 1 and parts_of_speech(head.lower()) == frozenset({"ADJ"})
                if mm and not lone_adjective and (len(head.split()) <= (4 if last else 3)) and (last or head[:1].isupper()):
                    # but "cultural and humanitarian cooperation" shares its head (split later, as a label)
                    out.append((ss, ss + mm.start()))
                    ss = ss + mm.end()
                    continue
                break
            out.append((ss, ee))
        spans = out
        # support/oppose "... of terrorism, separatism and extremism": trailing single words belong to the item
        # before; elsewhere "cooperation in the field of science, healthcare and education" is three
        while (
            whole_nouns
            and len(spans) >= 3
            and all(len(text[x:y].split()) == 1 and text[x:y][:1].islower() for x, y in spans[-2:])
            and len(text[spans[-3][0] : spans[-3][1]].split()) > 2
        ):
            spans[-3:] = [(spans[-3][0], spans[-1][1])]
    return _adjective_runs(text, spans)


_OWN_CLAUSE = re.compile(
    r"\s*(?:this|that|these|those|it|they|we|he|she)\s+(?:[\w\-]+\s+){0,2}?"
    r"(?:is|are|was|were|has|have|had|will|would|can|could|should|must)\b",
    re.IGNORECASE,
)
_INSTITUTION = "(?:" + "|".join(sorted((w.replace(" ", r"\s+") for w in _ONE_STATE), key=len, reverse=True)) + ")"
_INSTITUTIONS = re.compile(
    rf"\s*(?:(?:its|their|his|her|the|and)\s+)*{_INSTITUTION}(?:\s*,?\s*(?:and\s+)?(?:its\s+|the\s+)?{_INSTITUTION})*\s*",
    re.IGNORECASE,
)
_APPOSITIVE = re.compile(
    r"\s*(?:its|his|her|their|our|a|an)\s+(?:[\w\-]+\s+){0,2}?(?:ally|allies|partners?|neighbou?rs?|friends?|"
    r"counterparts?|hosts?)\s*",
    re.IGNORECASE,
)
_ADJUNCT = re.compile(
    r"\s*(at|under|through|by|amid|within|via|along\s+with|together\s+with|in\s+line\s+with|in\s+accordance\s+with|on\s+the\s+basis\s+of|"
    r"based\s+on|in\s+the\s+spirit\s+of|in\s+the\s+framework\s+of|within\s+the\s+framework\s+of)\b",
    re.IGNORECASE,
)
_VAGUE_END = re.compile(
    r"(?i)\b(?:various|all|many|different|several|other|multiple|numerous|(?:a\s+)?(?:wide\s+|broad\s+)?range\s+of)\s+"
    r"(?:[\w\-]+\s+)?(?:issues|areas|fields|spheres|sectors|domains|matters)\s*$"
)
_RANGING = re.compile(r",?\s+rang(?:ing|e|es)\s+from\s+|,\s+from\s+", re.IGNORECASE)
_RANGE_TO = re.compile(r"\s+to\s+(?!(?:be|the\s+extent)\b)", re.IGNORECASE)
_LISTED_NAME = re.compile(
    r"\s*(?:(?:a|an|the)\s+)?[A-Z][\w\-]*(?:,\s*[A-Z][\w\-]*)+,?\s+and\s+[A-Z][\w\-]*\s+([A-Z][\w\-]*)"
)
_AMONG_NAME = re.compile(r"\b(?:among|between)\s+(?:the\s+)?[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*)*$")
_PREP_START = re.compile(r"(?:in|with|through|by|under|at|during|for|on|to|via|within|among)\s", re.IGNORECASE)
_PREP_ITEM = re.compile(
    r"\b(?:(?:in|on|across|including|for)\s+(?:the\s+)?|(?:fields?|areas?|spheres?|sectors?|domains?)\s+of\s+)"
    r"(?:[\w\-]+\s+)?([a-z][\w\-]+)$"
)
_DET_ADJ = re.compile(r"(?:^|\s)(?:a|an|the|its|their|our|his|her|more|of|for|in)\s+([a-z][\w\-]*)$")


def _adjective_runs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjectives of one noun listed inside a longer item stay one item: "..., to ensure Ukraine emerges as a
    democratic, independent, sovereign, and prosperous nation" (the list is the nation's, not the object's)."""
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(spans):
        s, e = spans[k]
        first = text[s:e].strip()
        m = _DET_ADJ.search(first)
        if m and "ADJ" in parts_of_speech(m.group(1)):
            j = k + 1
            while j < len(spans) and re.fullmatch(r"[a-z][\w\-]*", w := text[spans[j][0] : spans[j][1]].strip()) and (
                "ADJ" in parts_of_speech(w)
            ):
                j += 1
            if j < len(spans) and (j > k + 1 or re.match(r"\s*[a-z][\w\-]*\s+and\s", text[spans[j][0] : spans[j][1]])):
                last = text[spans[j][0] : spans[j][1]].split()
                if len(last) >= 2 and "ADJ" in parts_of_speech(last[0].lower()):
                    out.append((s, spans[j][1]))
                    k = j + 1
                    continue
        out.append((s, e))
        k += 1
    return out
