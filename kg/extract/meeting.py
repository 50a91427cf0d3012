"""The meeting a readout reports: type, date, participants, initiator, publisher.

In: a :class:`~kg.load.Readout`, its sentences and the gazetteer. Out: a :class:`Meeting`.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from kg.dates import DATE_RE, dateline, find_date, resolve
from kg.extract.lexicon import TITLE_WORDS
from kg.extract.people import Person, find_persons, same_person
from kg.extract.text import Sentence
from kg.gazetteer import Gazetteer
from kg.load import Readout

_MEETING_VERB = re.compile(
    r"\b(?:spoke|speaks|speak|met|meets|meet|held|holds|hold|had|has|hosted|hosts|host|welcomed|welcomes|welcome|"
    r"received|"
    r"receives|talked|talks|called|call|conversation|meeting|visit|visited|joined|participated|convened|"
    r"issued|released|consultations?|led|leads|traveled|travelled|visits|arrived|attended)\b",
    re.IGNORECASE,
)
_TYPE_RULES = [
    (
        "joint_statement",
        re.compile(
            r"\bjoint\s+(?:statement|declaration|communiqu[eé])|\bstatement\s+(?:by|from|of)\s+the\s+"
            r"(?:leaders|presidents|governments|foreign\s+ministers)\b|\bjoint\s+readout\b",
            re.IGNORECASE,
        ),
    ),
    (
        "video_call",
        re.compile(
            r"\b(?:video\s*(?:call|conference|link|consultation|meeting|talks?)|videoconference|"
            r"virtual(?:ly)?\s+(?:meeting|summit|call|talks)?|met\s+virtually|via\s+video|"
            r"virtual\s+meeting)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "phone_call",
        re.compile(
            r"\b(?:phone|telephone|call|calls|called|phoned|spoke\s+(?:by|over|on)\s+(?:the\s+)?phone)\b|"
            r"\bspok?e\s+(?:today\s+|yesterday\s+|this\s+\w+\s+|\w+day\s+)?(?:with|to)\b|"
            r"\bspeaks\s+with\b",
            re.IGNORECASE,
        ),
    ),
    (
        "other",
        re.compile(
            r"\b(?:to\s+host|will\s+(?:host|travel|meet|visit)|to\s+travel|opening\s+remarks|"
            r"remarks\s+(?:by|at)|announces?|(?:will|to)\s+(?:pay|make)\s+(?:an?\s+)?(?:\w+\s+){0,2}?(?:visit|trip)|"
            r"(?:is|are)\s+(?:scheduled|expected|set|due)\s+to\s+(?:visit|travel|meet|hold|host|arrive))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "meeting",
        re.compile(
            r"\b(?:met|meets|meet|meeting|talks|consultations?|visit|visits|hosted|hosts|received|"
            r"receives|welcomed|bilateral|trilateral|dialogue|audience|summit|sidelines|margins|"
            r"calls\s+on|called\s+on|dinner|lunch)\b",
            re.IGNORECASE,
        ),
    ),
]
_REQUEST = re.compile(
    r"\b(?:at|on|upon)\s+the\s+(?:request|invitation|initiative)\s+of\s+the\s+(?P<latter2>latter|former)\b|"
    r"\b(?:at|on|upon)\s+(?:the\s+)?(?:request|invitation|initiative)\s+of\s+(?P<of>(?:[^,.;]|\.(?=\w|\s+[a-z])){2,80})|"
    r"\bat\s+(?P<poss>(?:[^,.;]|\.(?=\w|\s+[a-z])){2,60}?)['’]s?\s+(?:request|invitation|initiative)\b|"
    r"\b(?:at|on)\s+(?:the\s+)?(?P<latter>latter|former)['’]s\s+(?:request|initiative|invitation)|"
    r"\bheld\s+(?:\w+\s+)?talks\s+at\s+request\b|\bat\s+request\b|"
    r"\b(?:received|receives|took|takes|accepted|answered)\b[^.;]{0,40}?\b(?:a\s+|the\s+)?(?:tele)?(?:phone\s+)?call\s+"
    r"(?:\w+\s+){0,2}?from\s+(?P<from>(?:[^,.;]|\.(?=\w|\s+[a-z])){2,80})|"
    r"\b(?:call|conversation|meeting|talks)\s+(?:was|were)\s+(?:initiated|requested|placed|arranged)\s+by\s+"
    r"(?P<by>[^,.;]{2,80})|"
    r"(?P<init>)\b(?:initiated|requested|placed|hosted)\s+(?:a|the)\s+(?:phone\s+|telephone\s+|video\s+)?"
    r"(?:call|conversation)",
    re.IGNORECASE,
)


@dataclass
class Meeting:
    type: str
    date: str | None
    participants: list[Person]
    initiator: str | None
    publisher: str | None
    lead: Sentence | None
    title_states: list[str] = field(default_factory=list)
    one_voice: bool = False  # remarks, a message or a statement by one speaker: "we" is that speaker's


_ONE_VOICE = re.compile(
    r"(?i)\b(?:remarks|statement\s+(?:by|from|of)\s+(?:the\s+)?(?:president|prime\s+minister|secretary|minister|"
    r"spokesperson|press\s+secretary|chancellor|high\s+representative)|message|op-ed|interview|press\s+conference|speech|"
    r"address)\b"
)
_LED_BY = re.compile(
    r"\b([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)\s+(?:delegation|side|team)\b[^.;]{0,80}?\b(?:(?:was|were)\s+)?"
    r"(?:led|headed|represented|chaired)\s+by\s+"
)
_MET_WITH = re.compile(
    r"(?i)\b(?:(?:also\s+)?(?:met|meets|spoke|speaks|talked|talks|conferred)\s+(?:(?:separately|later|also|by\s+phone|"
    r"by\s+telephone|on\s+\w+day)\s+)?(?:with\s+)?|(?:held|had|holds|has)\s+(?:a\s+|separate\s+)?(?:bilateral\s+)?"
    r"(?:talks|meeting|meetings|phone\s+call|telephone\s+(?:call|conversation)|conversation)\s+with\s+|"
    r"(?:in|during)\s+(?:the|his|her|a)\s+(?:separate\s+)?(?:meeting|talks|conversation|call)\s+with\s+|"
    # "discussed trade ... with his Hungarian counterpart X"
    r"\bwith\s+(?=(?:his|her)\s+(?-i:[A-Z])[\w’'\-]+\s+counterpart\b))"
)
_NOT_A_CALL = re.compile(r"(?i)\b(?:calls?|called)\s+(?:on|upon|for)\b|\bso-called\b")


def meeting_type(title: str, lead: str) -> str:
    """The channel named in the title or the lead wins over a general word ("bilateral", "talks")
    in the title: "FMs discuss bilateral ties" over "had a telephone conversation" is a phone call."""
    for name, rx in _TYPE_RULES:
        for text in (title, lead):
            if name == "phone_call":
                text = _NOT_A_CALL.sub(" ", text)  # "called on", "call for": not a call
            if rx.search(text):
                return name
    return "meeting" if _MEETING_VERB.search(lead) else "other"


_FUTURE = re.compile(
    r"(?i)\b(?:will|to)\s+(?:\w+\s+)?(?:meet|visit|travel|host|hold|speak|attend|pay)\b|\bis\s+expected\s+to\b"
)


def lead_sentence(sents: list[Sentence]) -> Sentence | None:
    """The sentence that reports the meeting: the first with a meeting verb, one that reports
    the meeting rather than announcing another ("The Secretary will meet X on Wednesday") first."""
    verbs = [(s, _MEETING_VERB.search(s.text)) for s in sents[:4]]
    found = [(s, v.end()) for s, v in verbs if v and re.search(r"[A-Z][a-z]+\s+[A-Z]", s.text)]
    # the future governs the meeting verb ("will meet"), not a later clause ("..., who is visiting Japan to attend")
    past = [s for s, end in found if not _FUTURE.search(s.text, 0, end + 8)]
    chosen = past or [s for s, _end in found] or sents[:1]
    return chosen[0] if chosen else None


def _strip_attribution(text: str, s: Sentence) -> int:
    m = re.search(r"attributable\s+to\s+[^:]{1,80}:\s*", s.text)
    return s.start + m.end() if m else s.start


def participants(
    readout: Readout, lead: Sentence | None, gaz: Gazetteer, publisher: str | None, sents: list[Sentence] | None = None
) -> list[Person]:
    text = readout.text
    people: list[Person] = []
    if lead is not None:
        start = _strip_attribution(text, lead)
        people = find_persons(text, start, lead.end, gaz)
    title_people: list[Person] = []
    if readout.title:
        # "ILIA DARCHIASHVILI HAS MET WITH ...": a title in capitals is read in title case
        head = string.capwords(readout.title) if readout.title.isupper() else readout.title
        title_people = find_persons(head, 0, len(head), gaz)
        bare = _BARE_NAME_TITLE.match(head)
        if (
            bare
            and not any(gaz.lookup(w) or w.lower() in TITLE_WORDS for w in bare.group(1).split())
            and not any(p.start == 0 for p in title_people)
        ):
            # "Wang Yi Meets with ...", "Safadi holds talks with ...": the publisher's principal, named bare
            title_people.insert(0, Person(name=bare.group(1), state=None, title="", start=0, end=bare.end(1), home=True))
    for tp in title_people:
        match = next((p for p in people if same_person(p, tp)), None)
        if match is None:
            if len(people) < 2:
                tp.start = tp.end = -1  # not in the text
                people.append(tp)
        elif match.state is None and tp.state:
            match.state, match.home = tp.state, False
    if len(people) < 2 and sents:
        # joint statements often name their signatories after a preamble
        for sent in sents[:8]:
            for q in find_persons(text, sent.start, sent.end, gaz):
                home_missing = q.state is None and not any(p.state in (None, publisher) for p in people)
                if (
                    (q.state or home_missing)
                    and not any(same_person(q, p) for p in people)
                    and not re.search(r"(?i)spokesperson|spokesman", q.title)
                ):
                    people.append(q)
            if len(people) >= 2:
                break
    if sents:
        _add_delegation_heads(text, sents, gaz, people)
        _add_later_counterparts(text, sents, lead, gaz, people)
    out: list[Person] = []
    for p in people:
        if p.state is None and publisher and publisher.startswith("ORG:") and _STATE_OFFICE.search(p.title):
            # an organisation's readout: a Prime Minister or a President is a state's, the one named around
            p.state = _state_near(text, lead, readout.title or "", gaz)
        if p.state is None:
            p.state, p.home = publisher, True
        if any(same_person(p, q) for q in out) or not p.tokens:
            continue
        out.append(p)
    return out


_BARE_NAME_TITLE = re.compile(
    r"((?:[A-Z][a-z’'\-]+|al-[A-Z][a-z]+)(?:\s+(?:[A-Z][a-z’'\-]+|al-[A-Z][a-z]+)){0,2}),?\s+"
    r"(?:[Mm]eets?|[Hh]olds?|[Hh]as|[Ss]peaks?|[Tt]alks|[Rr]eceives?|[Hh]osts?|[Cc]alls|[Dd]iscuss(?:es)?|[Cc]onfers?)\b"
)
_STATE_OFFICE = re.compile(
    r"(?i)\b(?:president|prime\s+minister|premier|chancellor|king|queen|emir|amir|sultan|foreign\s+minister|"
    r"minister|taoiseach|crown\s+prince)\b"
)


def _state_near(text: str, lead: Sentence | None, title: str, gaz: Gazetteer) -> str | None:
    """The first state (not an organisation) named in the title or the lead, capitals included."""
    spans = [(title, 0, len(title))] + ([(text, lead.start, lead.end)] if lead is not None else [])
    for src, a, b in spans:
        for mention in gaz.find(src, a, b):
            if not mention.code.startswith("ORG:"):
                return mention.code
    return None


def _add_delegation_heads(text: str, sents: list[Sentence], gaz: Gazetteer, people: list[Person]) -> None:
    """ "The Netherlandish delegation was led by X, Deputy Director General ...": X represents that
    state (added to ``people``, or the person already there given that state)."""
    for sent in sents[:10]:
        for dm in _LED_BY.finditer(text, sent.start, sent.end):
            side = gaz.lookup(re.sub(r"^The\s+|['’]s$", "", dm.group(1)))
            heads = find_persons(text, dm.end(), min(sent.end, dm.end() + 200), gaz)[:1] if side else []
            for q in heads:
                if q.start - dm.end() > 60:
                    continue
                match = next((p for p in people if same_person(p, q)), q)
                match.state, match.home = side, False
                if match is q:
                    people.append(q)


def _add_later_counterparts(
    text: str, sents: list[Sentence], lead: Sentence | None, gaz: Gazetteer, people: list[Person]
) -> None:
    """Counterparts met later in a multi-party readout ("Cohen also spoke with Cypriot Foreign
    Minister X"), added to ``people`` marked ``later``."""
    for sent in sents:
        if lead is not None and sent.start <= lead.start:
            continue
        for mm in _MET_WITH.finditer(text, sent.start, sent.end):
            for q in find_persons(text, mm.end(), min(sent.end, mm.end() + 160), gaz):
                if q.start - mm.end() > 60:
                    break
                if q.state and not q.home and not any(same_person(q, p) for p in people):
                    q.later = True
                    people.append(q)


def initiator(
    text: str,
    lead: Sentence | None,
    title: str,
    persons: list[Person],
    publisher: str | None,
    gaz: Gazetteer,
    first: int,
    last: int,
) -> str | None:
    """The state that asked for or placed the call, if the text says."""
    regions = [(title, 0, len(title))]
    if lead is not None:
        regions.append((text, lead.start, lead.end))
    regions.append((text, first, min(last, first + 3000)))
    for src, a, b in regions:
        m = _REQUEST.search(src, a, b)
        if not m:
            continue
        latter = (m.group("latter") or m.group("latter2")
                  or (m.group("poss") or "").lower().replace("the ", "").strip())  # fmt: skip
        if latter in ("latter", "former"):
            return (
                (
                    persons[0].state
                    if latter == "former"
                    else next((p.state for p in persons[1:] if p.state != persons[0].state), None)
                )
                if persons
                else None
            )
        if m.group("init") is not None:
            # "the United States initiated a call", "Sweden hosted the call": the subject before the verb
            before = re.split(r"[,.;:]", src[max(a, m.start() - 80) : m.start()])[-1]
            code = _actor_of(before, persons, gaz) if before.strip() else None
            if code:
                return code
        for key in ("of", "poss", "from", "by"):
            if m.group(key) and _OTHER_SIDE.match(m.group(key)):
                # "at the initiative of the opposite side", "at the invitation of his counterpart"
                others = [p.state for p in persons if p.state and p.state != publisher]
                if others:
                    return others[0]
            if m.group(key):
                code = _actor_of(m.group(key), persons, gaz)
                if code:
                    return code
        if re.search(r"at\s+request", m.group(0), re.IGNORECASE):
            # Chinese-MFA style: the counterpart of the subject (the first participant) asked
            others = [p.state for p in persons[1:] if p.state and p.state != (persons[0].state if persons else None)]
            if others:
                return others[0]
    # "X called Y", "X made a phone call to Y" with X a participant
    for src, a, b in regions:
        for verb in _CALLED.finditer(src, a, b):
            # the subject: the run of name-like words that ends right before the verb
            subj = _CALLER.search(src, max(a, verb.start() - 61), verb.start())
            if subj:
                code = _actor_of(subj.group(1), persons, gaz)
                if code:
                    return code
                break  # the first such sentence decides, as before
    return None


_OTHER_SIDE = re.compile(
    r"(?i)\s*(?:the\s+)?(?:(?:opposite|other|foreign)\s+(?:side|party)|(?:his|her|their|its)\s+(?:\w+\s+)?counterparts?)\s*$"
)
_CALLED = re.compile(
    r"\s(?:(?:called|phoned|telephoned|rang)\s+(?!on\b|for\b|upon\b)(?=[A-Z(]|his\b|her\b)|"
    r"ma(?:de|kes?)\s+(?:a\s+|an\s+)?(?:[\w-]+\s+){0,3}?(?:(?:tele)?phone\s+)?calls?\s+(?:to|with)\b|"
    # a courtesy call on an office holder ("X called on Foreign Minister Y"): the visitor asked for it
    r"(?:called|calls|call|paid\s+a\s+(?:courtesy\s+)?call)\s+on\s+(?=(?:the\s+)?(?:Mr|Ms|Mrs|Dr|H\.?E|His|Her|President|Prime|"
    r"Foreign|Minister|Deputy|Vice|King|Emir|Amir|Sultan|Secretary|Chancellor|Premier|Speaker|Chairman)\b)(?![^.;]{0,60}\bto\s+[a-z]))"
)
_CALLER = re.compile(r"\b([A-Z][\w.’'\- ]{0,59}?)\s*$")


def _actor_of(phrase: str, persons: list[Person], gaz: Gazetteer) -> str | None:
    found = gaz.find(phrase)
    if found:
        return found[0].code
    toks = {t.lower().strip("’'s") for t in re.findall(r"[\w’'\-]+", phrase)}
    toks |= {re.sub(r"['’]s$", "", t) for t in toks}
    for p in persons:
        if p.tokens & toks:
            return p.state
    return None


def meeting_date(readout: Readout, lead: Sentence | None, sents: list[Sentence]) -> str | None:
    text = readout.text
    future = lead is not None and _FUTURE.search(text, lead.start, lead.end) is not None
    if lead is not None:
        near = lead.start - readout.body_start < 250
        before = dateline(text, readout.body_start, lead.start, readout.date) if near else None
        d = find_date(text, before or readout.date, lead.start, lead.end, future)
        if d:
            return d
    if readout.title:
        for m in DATE_RE.finditer(readout.title):
            if m.group(0).lower() in ("today", "yesterday") or not m.group(0)[0].isalpha() or m.group(3) or m.group(6):
                d = resolve(m, readout.date, future)
                if d:
                    return d
    if re.match(r"^\d{4}-\d{2}-\d{2}$", readout.date or ""):
        return readout.date
    # no publication date: an explicit full date anywhere near the start
    head_end = sents[min(2, len(sents) - 1)].end if sents else readout.body_end
    for m in DATE_RE.finditer(text, readout.body_start, head_end):
        if m.group(3) or m.group(6) or m.group(7):
            return resolve(m, None)
    return readout.date


def meeting(readout: Readout, sents: list[Sentence], gaz: Gazetteer, publisher: str | None) -> Meeting:
    lead = lead_sentence(sents)
    title = readout.title or ""
    if publisher is None:
        publisher = _publisher_from_text(readout, lead, gaz)
    persons = participants(readout, lead, gaz, publisher, sents)
    lead_text = readout.text[lead.start : lead.end] if lead else ""
    mtype = meeting_type(title, lead_text)
    init = initiator(readout.text, lead, title, persons, publisher, gaz, readout.body_start, readout.body_end)
    title_states = []
    for m in gaz.find(title):
        if m.code not in title_states:
            title_states.append(m.code)
    one_voice = bool(_ONE_VOICE.search(title)) and not re.search(r"(?i)\bjoint\b", title)
    return Meeting(mtype, meeting_date(readout, lead, sents), persons, init, publisher, lead, title_states, one_voice)


_HOME_TITLES = [
    (re.compile(r"\bForeign Secretary\b|\bFCDO\b|\bForeign,? Commonwealth"), "GBR"),
    (re.compile(r"\bState Councilor\b|\bWang Yi\b|\bXi Jinping\b|\bLi Keqiang\b|\bLi Qiang\b"), "CHN"),
    (re.compile(r"\bSergey Lavrov\b|\bSergei Lavrov\b|\bVladimir Putin\b|\bMedvedev\b|\bMishustin\b"), "RUS"),
    (
        re.compile(
            r"\bSecretary of State\b|\bWhite House\b|\bNational Security Advisor\b|\bVice President Harris\b|"
            r"\bPresident (?:Joseph R\. )?Biden\b|\bPresident Donald (?:J\. )?Trump\b|\bSecretary (?:Blinken|Rubio|"
            r"Pompeo|Kerry|Clinton|Tillerson)\b"
        ),
        "USA",
    ),
    (re.compile(r"\bExternal Affairs Minister\b|\bPrime Minister (?:Narendra )?Modi\b"), "IND"),
    (re.compile(r"\bTaoiseach\b"), "IRL"),
]


def _publisher_from_text(readout: Readout, lead: Sentence | None, gaz: Gazetteer) -> str | None:
    """Guess the publishing government from the ministry's style: the unqualified principal."""
    head = (readout.title or "") + "\n" + (readout.text[lead.start : lead.end] if lead else "")
    first = re.match(r"\s*(?:On\s+[^,]+,\s*)?(?:(?:Today|Yesterday|This\s+\w+),\s*)?([^,]{0,120})", head)
    subject = first.group(1) if first else head
    for rx, code in _HOME_TITLES:
        if rx.search(subject):
            return code
    for rx, code in _HOME_TITLES:
        if rx.search(head):
            return code
    return None
