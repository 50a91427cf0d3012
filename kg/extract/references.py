"""References to actors in a readout: who a clause's subject or object stands for.

In: spans of the readout text and the meeting (participants). Out: :class:`Ref` records with the
actor codes a reference stands for: a participant's name, a title ("the Secretary"), a pronoun,
"both sides"/"the two leaders"/"they"/joint-statement "we" (every participant), or a state
("China", "the Kyrgyz side"); and :func:`subject`, the holder named before a clause's cue.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from kg.extract.meeting import Meeting
from kg.extract.morph import lemmas
from kg.extract.people import PLURAL_REF, Person, find_persons, same_person
from kg.extract.text import BULLET, Sentence
from kg.gazetteer import Gazetteer

_ADVERBIAL = re.compile(
    r"\s*(?:(?:During|In|At|On|After|Following|Before|Over|Throughout|Speaking|Building|Since|Given|As|With|"
    r"Today|Yesterday|Also|Additionally|Furthermore|Moreover|Meanwhile|Separately|Together|Finally|However|"
    r"Earlier|Later|Likewise|Similarly|Further|Lastly|Moreover|Besides|Both\s+in|In\s+addition|Thanks\s+to|Dear)\b"
    r"[^,]{0,140},\s*|(?:While|Whilst|When|Upon|Whereas)\b[^,]{0,280},\s*)+"
)
_DATELINE = re.compile(r"\s*[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)?(?:,\s*[A-Z][\w\s,.]{0,30}?)?\s*(?:\([^)]{0,40}\)\s*)?[:–—]\s+")
_LEFT_ASIDE = re.compile(r"\s*\([^()]{0,80}\)\s*[;,]?")
_FRONT_PARTICIPLE = re.compile(r"\s*([A-Z][a-z]+ing)\b[^,]{0,140},\s*")
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|I)\b")
_WE = re.compile(
    r"\b(?:we|our\s+(?:two\s+|three\s+)?(?:\w+\s+)?(?:countries|governments|nations|alliance|partnership|"
    r"leaders|peoples|relationship))\b",
    re.IGNORECASE,
)
_TITLE_REF = re.compile(
    r"\b(?:[Tt]he\s+)?(Vice\s+President|President|Prime\s+Minister|Premier|Foreign\s+Minister|Foreign\s+Secretary|"
    r"Secretary[\s-]General|Deputy\s+Secretary|Secretary|Chancellor|State\s+Councilor|King|Crown\s+Prince|Emir|"
    r"Amir|Sultan|Taoiseach|Chairman|Director|National\s+Security\s+Advisor|Minister|Ambassador|Leader|"
    r"Governor|Sheikh|PM|FM)\b(?!\s+of\b)"
)


@dataclass
class Ref:
    start: int
    end: int
    codes: list[str]
    kind: str  # person, title, plural, pronoun, state, we


class References:
    """Finds references to participants and actors in spans of one readout."""

    def __init__(self, text: str, meeting: Meeting, gaz: Gazetteer, sents: list[Sentence]) -> None:
        self.text = text
        self.others = [p for sent in sents for p in find_persons(text, sent.start, sent.end, gaz)]
        # the others by start, so that a span's persons are a binary search away
        self._by_start = sorted(range(len(self.others)), key=lambda i: self.others[i].start)
        self._starts = [self.others[i].start for i in self._by_start]
        self._others_by_title: dict[str, Person | None] = {}
        self._names_by_token: dict[str, set[str]] | None = None
        self.m = meeting
        self.gaz = gaz
        self.persons = meeting.participants
        group = [p.state for p in self.persons if p.state and not p.later]
        if len(set(group)) < 2:
            group += [c for c in meeting.title_states if c not in group]
            if meeting.publisher and meeting.publisher not in group:
                group.insert(0, meeting.publisher)
        signatories = _signatories(text, sents[:6], gaz)
        if len(signatories) >= 2 and len(set(group)) < len(signatories):
            group = signatories  # "We, the leaders of Australia, India, Japan and the United States, ..."
        self.group = list(dict.fromkeys(group))
        self.speaker: list[str] = []
        self.home = [p.state for p in self.persons if p.state and p.state == meeting.publisher][:1] or self.group[:1]
        toks = sorted({t for p in self.persons for t in p.tokens if t not in {"the", "and"}}, key=len, reverse=True)
        # a name written without its diacritics ("Son" for "Sơn") only as a name, capitalised: "son" is a word
        plain = sorted({t.capitalize() for p in self.persons for t in p.plain_tokens} - set(toks), key=len, reverse=True)
        alternatives = [f"(?i:{re.escape(t)})" for t in toks] + [re.escape(t) for t in plain]
        self._name_re = re.compile(r"\b(?:" + "|".join(alternatives) + r")\b") if alternatives else None

    def person_for(self, token: str) -> Person | None:
        t = token.lower()
        for p in self.persons:
            if t in p.tokens or t in p.plain_tokens:
                return p
        return None

    def title_ref(self, title: str, definite: bool = False) -> Person | None:
        """The participant a title stands for ("the Secretary"); failing that, another titled person
        of the readout, or (for "the <title>") the publisher's principal."""
        found = self._title_ref(title, self.persons)
        if (
            found is not None
            and definite
            and self.m.publisher
            and found.state != self.m.publisher
            and not any(p.state == self.m.publisher for p in self.persons)
            and self.m.lead is not None
            and re.match(rf"\s*The\s+{re.escape(title)}\b", self.text[self.m.lead.start : self.m.lead.end])
        ):
            # "The Prime Minister spoke to Prime Minister Trudeau ...": the lead's unnamed "the Prime Minister"
            # is the publisher's, and so is every later one
            found = None
        if found is None:
            key = re.sub(r"\s+", " ", title.lower()).replace("-", " ")
            if key not in self._others_by_title:  # the others are many in a long readout: asked once per title
                self._others_by_title[key] = self._title_ref(title, self.others)
            found = self._others_by_title[key]
            if found is not None and found.state is None:
                found = None  # a titled person of unknown country: no better than the title alone
        if found is None and definite and self.m.publisher:
            found = Person(name="", state=self.m.publisher, title=title, start=-1, end=-1, home=True)
        return found

    def _title_ref(self, title: str, persons: list[Person]) -> Person | None:
        title = re.sub(r"\s+", " ", title.lower()).replace("-", " ")
        cands = []
        for p in persons:
            pt = p.title.lower().replace("-", " ")
            if title == "president" and re.search(r"vice president", pt) and not re.search(r"(?<!vice )president", pt):
                continue
            if re.search(rf"\b{re.escape(title)}\b", pt):
                cands.append(p)
        if title == "secretary":
            cands = [p for p in cands if "secretary general" not in p.title.lower().replace("-", " ")] or cands
        if not cands:
            return None
        home = [p for p in cands if p.home or p.state == self.m.publisher]
        return (home or cands)[0]

    def names_sharing(self, tokens: set[str]) -> set[str]:
        """The lower-cased names of the participants and other persons with one of ``tokens``."""
        if self._names_by_token is None:
            index: dict[str, set[str]] = {}
            for p in self.persons + self.others:
                for t in p.tokens:
                    index.setdefault(t, set()).add(p.name.lower())
            self._names_by_token = index
        out: set[str] = set()
        for t in tokens:
            out |= self._names_by_token.get(t, set())
        return out

    def _others_in(self, a: int, b: int) -> list[Person]:
        """The persons of :attr:`others` inside ``text[a:b]``, in their order."""
        lo, hi = bisect_left(self._starts, a), bisect_right(self._starts, b)
        inside = sorted(i for i in self._by_start[lo:hi] if self.others[i].end <= b)
        return [self.others[i] for i in inside]

    def find(self, a: int, b: int, with_states: bool = True) -> list[Ref]:
        text = self.text
        refs: list[Ref] = []
        seg = text[a:b]
        names = self.gaz.find(text, a, b) if with_states else []
        for pm in PLURAL_REF.finditer(seg):
            if any(n.start <= a + pm.start() < n.end for n in names):
                continue  # "United Nations Relief and Works Agency": a name, not "the nations"
            if re.search(
                r"(?i)\b(?:of|with|between|among|for|to)\s+(?:the\s+)?$", seg[max(0, pm.start() - 10) : pm.start()]
            ):
                continue
            if pm.group(0).lower() == "we":
                continue  # a "we" reference, below
            if pm.group(0).lower() == "both" and re.match(r"\s+(?:in|of|at|on|the|sides?\b)", seg[pm.end() : pm.end() + 6]):
                continue
            refs.append(Ref(a + pm.start(), a + pm.end(), list(self.group), "plural"))
        for m in _WE.finditer(seg):
            refs.append(Ref(a + m.start(), a + m.end(), list(self.home if self.m.one_voice else self.group), "we"))
        if self._name_re is not None:
            for m in self._name_re.finditer(seg):
                p = self.person_for(m.group(0))
                if p and p.state:
                    refs.append(Ref(a + m.start(), a + m.end(), [p.state], "person"))
        for m in _TITLE_REF.finditer(seg):
            if re.match(r"\s+(?!And\b|Of\b)[A-Z][a-z]", seg[m.end() : m.end() + 4]):
                continue  # "President Biden": a named person, resolved by name
            p = self.title_ref(m.group(1), definite=m.group(0).lower().startswith("the "))
            if (
                p
                and p.state
                and not any(
                    r.start <= a + m.start() < r.end or a + m.start() <= r.start <= a + m.end() + 2
                    for r in refs
                    if r.kind == "person"
                )
            ):
                refs.append(Ref(a + m.start(), a + m.end(), [p.state], "title"))
        if with_states:
            for p in self._others_in(a, b):
                if any(r.start <= p.end and p.start <= r.end for r in refs):
                    continue
                known = next((q for q in self.persons if same_person(q, p)), None)
                state = known.state if known else (p.state or self.m.publisher)
                if state:
                    refs.append(Ref(p.start, p.end, [state], "person"))
        for m in _PRONOUN.finditer(seg):
            refs.append(Ref(a + m.start(), a + m.end(), [], "pronoun"))
        if with_states:
            for mention in names:
                if any(r.start <= mention.start < r.end for r in refs):
                    continue
                org = mention.code.startswith("ORG:")
                group_noun = _GROUP_NOUN.match(text, mention.end, mention.end + 24) if org else None
                if group_noun:
                    # "the Quad partners", "the G7 leaders": its members that take part, a plural reference
                    refs.append(Ref(mention.start, group_noun.end(), list(self.group), "plural"))
                    continue
                if mention.kind == "capital" and any(mention.text.lower() in q.tokens for q in self.persons):
                    continue  # "Baghdad Amreyev": a participant's name, not Iraq's capital
                kind = "capital" if mention.kind == "capital" else "state"
                if mention.kind == "adjective" and mention.text.endswith("s") and mention.text != "Swiss":
                    kind = "demonyms"  # "Americans", "Iraqis": people
                refs.append(Ref(mention.start, mention.end, [mention.code], kind))
        refs.sort(key=lambda r: r.start)
        return refs


_GROUP_NOUN = re.compile(r"\s+(?:partners|leaders|members|member\s+states|countries|allies|foreign\s+ministers|ministers)\b")
_WE_THE = re.compile(
    r"(?i)\bwe,?\s+the\s+(?:leaders|heads\s+of\s+(?:state|government)(?:\s+and\s+government)?|foreign\s+ministers|"
    r"ministers|governments|presidents|prime\s+ministers)\s+of\s+"
)


def _signatories(text: str, sents: list[Sentence], gaz: Gazetteer) -> list[str]:
    """The states a joint statement names as its "we" ("We, the leaders of A, B and C, ...")."""
    for sent in sents:
        m = _WE_THE.search(text, sent.start, sent.end)
        if m:
            stop = re.compile(r",\s+(?!and\b)(?=[a-z])|[;.:]").search(text, m.end(), sent.end)
            found = gaz.find(text, m.end(), stop.start() if stop else sent.end)
            return list(dict.fromkeys(x.code for x in found if not x.code.startswith("ORG:")))
    return []


# "The Foreign Ministries of Uzbekistan and Türkiye will ...": the states are the subject
_OF_ACTORS = re.compile(
    r"(?i)\b(?:the\s+)?(?:foreign\s+)?(?:ministries|ministers|governments|leaders|presidents|delegations|peoples|sides|"
    r"heads\s+of\s+state|prime\s+ministers)\s+of\s+(?:the\s+)?(?:[A-Z][\w’'.\-]*\s*(?:,|and)?\s*)*$"
)
_BETWEEN = re.compile(r"\b(?:between|among|amongst)\s+(?:(?:the|[A-Z][\w.’'\-]*|of|and|,)\s*)*$")
_IN_PP = re.compile(
    r"\b(?:of|with|to|for|from|by|about|on|toward|towards|against|in|at|between|among|"
    r"thanked|congratulated|welcomed|told|urged|called|hosted|received|met)\s+"
    r"(?:(?:the|His|Her|[A-Z][\w.’'\-]*|of|and|,|\(|\))\s*)*$"
)


def subject(refs: References, a: int, b: int, last: list[str]) -> list[str] | None:
    """The holder codes named as subject in ``text[a:b]`` (the part of a clause before its cue)."""
    text = refs.text
    bullet = BULLET.match(text, a, b)
    if bullet:
        a = bullet.end()
    aside = _LEFT_ASIDE.match(text, a, b)
    if aside:
        a = aside.end()  # "... the DPRK (DPRK); as well as affirming ...": the end of the clause before, no subject
    dateline = _DATELINE.match(text, a, b)
    if dateline:
        a = dateline.end()  # "Riyadh: Secretary-General X stressed ...": the place of the dateline is no subject
    adv = _ADVERBIAL.match(text, a, b)
    addressed: set[str] = set()
    if adv:
        if re.match(r"\s*Dear\b", text[adv.start() : adv.start() + 8]):
            # "Dear Minister Berg, we are ready ...": the speaker is not the one addressed
            addressed = {code for r in refs.find(adv.start(), adv.end()) for code in r.codes}
        a = adv.end()
    front = _FRONT_PARTICIPLE.match(text, a, b)
    if front and lemmas(front.group(1), "VERB"):
        a = front.end()  # "Thanking France for ..., Tajani said": the participle's object is not the subject
    found = []
    prev_end, prev_in_pp = a, False
    for r in refs.find(a, b):  # in order of start
        # the preposition must be outside the actor names before ("of" in "the United States of America"),
        # but the items coordinated inside a phrase share it ("between the North and Russia")
        gap = text[prev_end : r.start] if prev_end <= r.start else "-"
        joined = bool(re.fullmatch(r"\s*(?:,|and|or)?\s*(?:the\s+)?", gap)) and (
            _BETWEEN.search(text, max(a, r.start - 90), r.start) is not None
        )  # "between the North and Russia"
        # "with the UN Secretary-General X"
        same_phrase = bool(re.fullmatch(r"(?:['’]s)?(?:[\s\-]+[A-Z][\w.’'\-]*)*\s*", gap))
        window = max(a, r.start - 90, prev_end if prev_end <= r.start else a)
        in_pp = (prev_in_pp and (joined or same_phrase)) or (
            bool(_IN_PP.search(text[window : r.start])) and not _OF_ACTORS.search(text, max(a, r.start - 90), r.start)
        )
        compound = re.match(r"\s*[-–]\s*\w", text[r.end : r.end + 3]) or (
            r.kind == "state" and re.search(r"\w[-–]$", text[max(a, r.start - 2) : r.start])
        )
        if not in_pp and not compound:  # "the Palestinian-Israeli conflict": an adjective, neither part a subject
            found.append(r)
        if r.end > prev_end:
            prev_end, prev_in_pp = r.end, in_pp
    if not found:
        return None
    found = [
        r
        for r in found
        if not (
            r.kind == "state"
            and re.match(
                r"\s*['’]s?\s+(?!side|government|delegation|leaders?|authorities|top\s+diplomat|chief\s+diplomat|foreign\s+"
                r"minister|minister|president|prime\s+minister|premier|envoy|ambassador|head\s+of\s+state)",
                text[r.end : r.end + 24],
            )
        )
    ]
    if not found:
        return None
    # the subject is the first reference after the last complementizer; "X and Y" joins the next one
    that = [m.end() for m in re.finditer(r"\b(?:that|in\s+which|during\s+which|where|whereby|who)\s+", text[a:b])]
    if that:
        after = [r for r in found if r.start >= a + that[-1]]
        before = [r for r in found if r.start < a + that[-1] and r.kind in ("person", "title")]
        if after and after[0].kind == "pronoun" and before and text[after[0].start : after[0].end].lower() != "i":
            return list(before[0].codes)  # "President Xi ended by assuring that his government is ready": Xi's
        found = after or found
    if found[0].kind == "capital" and re.search(r"\b(?:should|must|will|would|could|can|may)\b", text[found[0].end : b]):
        return None  # "Jerusalem should be ...": the city is the issue, not the actor
    i = 0
    cur = found[i]
    if cur.kind == "pronoun" and text[cur.start : cur.end] == "I":
        codes = list(refs.speaker or refs.home[:1])
    elif cur.kind == "pronoun":
        codes = list(last[:1] if len(last) == 1 else (refs.home[:1] or last[:1]))
    else:
        codes = list(cur.codes)
    if addressed and cur.kind in ("we", "pronoun"):
        codes = [code for code in refs.group if code not in addressed] or codes
    while i + 1 < len(found):
        nxt = found[i + 1]
        between = text[cur.end : nxt.start]
        if set(nxt.codes) <= set(codes) and re.fullmatch(r"\s*(?:[-(]\s*(?:the\s+)?)?", between):
            # the next part of one name ("Pham Minh Chinh"), or an alias ("the United States of America (the
            # United States) and ..."): the same subject goes on
            cur, i = nxt, i + 1
            continue
        if (
            re.fullmatch(r"[\s\w.’'\-()]*?\s*(?:,|\band\b)\s*[\w\s.’'\-()]*?", between)
            and len(between) < 40
            and nxt.kind != "pronoun"
        ):
            codes += [c for c in nxt.codes if c not in codes]
            cur, i = nxt, i + 1
        else:
            break
    return codes or None


_CONJ = re.compile(
    r"^[\s,;]*(?:(?:and|but|while|that|also|further|then|so|thus|therefore|moreover|however|"
    r"furthermore|additionally|both|it)\b[\s,]*)*",
    re.IGNORECASE,
)


def has_other_subject(text: str, a: int, b: int, cue: object) -> bool:
    """Whether the clause before its cue names a subject that is not an actor ("The summit will ...")."""
    if getattr(cue, "before", False) or getattr(cue, "strength", 0) > 5:
        return False
    seg = text[a:b]
    adv = _ADVERBIAL.match(seg)
    if adv:
        seg = seg[adv.end() :]
    seg = _CONJ.sub("", seg)
    words = re.findall(r"[A-Za-z][\w’'\-]*", seg)
    words = [
        w
        for w in words
        if not re.fullmatch(
            r"(?i)\w+ly|not|never|now|today|again|always|still|to|will|"
            r"would|can|could|should|must|is|are|was|were|be|been",
            w,
        )
    ]
    return len(words) >= 2
