"""Positions and topics: who took which stance on which issue, with the sentence behind it.

In: the readout text, its sentences, the meeting (participants) and the gazetteer. Out: GUIDE
position records (holder, stance, target, issue, quote, start, end) and topic records.

Holders come from the clause's subject ("Wang Yi said", "Kazakbaev expressed", "the Secretary",
"the President", "he", "the two leaders", "both sides", "they", "China", "the Kyrgyz side");
inside reported speech ("Wang Yi said ...") the speaker holds every stance, and a sentence
with no subject of its own continues its paragraph's speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.clauses import VAGUE, Clause, clauses, split_items
from kg.extract.cues import CUES
from kg.extract.meeting import Meeting
from kg.extract.people import PLURAL_REF, Person, find_persons
from kg.extract.text import BULLET, Sentence
from kg.gazetteer import Gazetteer
from kg.issues import vocabulary

MAX_LABEL_WORDS = 12
_ADVERBIAL = re.compile(
    r"\s*(?:(?:During|In|At|On|After|Following|Before|Over|Throughout|Speaking|Building|Since|Given|As|With|"
    r"Today|Yesterday|Also|Additionally|Furthermore|Moreover|Meanwhile|Separately|Together|Finally|However|"
    r"Earlier|Later|Likewise|Similarly|Further|Lastly|Moreover|Besides|Both\s+in|In\s+addition)\b[^,]{0,140},\s*)+"
)
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|I)\b")
_WE = re.compile(
    r"\b(?:we|our\s+(?:two\s+|three\s+)?(?:\w+\s+)?(?:countries|governments|nations|alliance|partnership|"
    r"leaders|peoples|relationship))\b",
    re.IGNORECASE,
)
_TITLE_REF = re.compile(
    r"\b(?:the\s+)?(Vice\s+President|President|Prime\s+Minister|Premier|Foreign\s+Minister|Foreign\s+Secretary|"
    r"Secretary[\s-]General|Deputy\s+Secretary|Secretary|Chancellor|State\s+Councilor|King|Crown\s+Prince|Emir|"
    r"Amir|Sultan|Taoiseach|Chairman|Director|National\s+Security\s+Advisor|Minister|Ambassador|Leader|"
    r"Governor|Sheikh)\b(?!\s+of\b)"
)
_FILLER = re.compile(
    r"^(?:(?:the|a|an|to|that|for|on|of|in|with|about|regarding|over|his|her|their|its|our|both|"
    r"further|continue\s+to|continued|continuing|work(?:ing)?\s+(?:together|closely)\s+(?:to|on)|"
    r"efforts?\s+to|the\s+need\s+(?:for|to)|the\s+importance\s+of|importance\s+of|need\s+(?:for|to)|"
    r"ways\s+to|how\s+to|jointly|closely|fully|firmly|actively|strongly|all|also|again|"
    r"(?:issues?|matters?|questions?)\s+(?:related\s+to|involving|concerning|regarding|of))\s+)+",
    re.IGNORECASE,
)
_LABEL_CUT = re.compile(
    r"\s+(?:in\s+order\s+to|so\s+that|so\s+as\s+to|which|who|when|because|"
    r"at\s+any|in\s+the\s+(?:coming|next)|over\s+the\s+coming)\b|,\s",
    re.IGNORECASE,
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
        self.m = meeting
        self.gaz = gaz
        self.persons = meeting.participants
        group = [p.state for p in self.persons if p.state]
        if len(set(group)) < 2:
            group += [c for c in meeting.title_states if c not in group]
            if meeting.publisher and meeting.publisher not in group:
                group.insert(0, meeting.publisher)
        self.group = list(dict.fromkeys(group))
        self.speaker: list[str] = []
        self.home = [p.state for p in self.persons if p.state and p.state == meeting.publisher][:1] or self.group[:1]
        toks = sorted({t for p in self.persons for t in p.tokens if t not in {"the", "and"}}, key=len, reverse=True)
        self._name_re = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in toks) + r")\b", re.IGNORECASE) if toks else None

    def person_for(self, token: str) -> Person | None:
        t = token.lower()
        for p in self.persons:
            if t in p.tokens:
                return p
        return None

    def title_ref(self, title: str, definite: bool = False) -> Person | None:
        """The participant a title stands for ("the Secretary"); failing that, another titled person
        of the readout, or (for "the <title>") the publisher's principal."""
        found = self._title_ref(title, self.persons)
        if found is None:
            found = self._title_ref(title, self.others)
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

    def find(self, a: int, b: int, with_states: bool = True) -> list[Ref]:
        text = self.text
        refs: list[Ref] = []
        seg = text[a:b]
        for pm in PLURAL_REF.finditer(seg):
            if re.search(
                r"(?i)\b(?:of|with|between|among|for|to)\s+(?:the\s+)?$", seg[max(0, pm.start() - 10) : pm.start()]
            ):
                continue
            if pm.group(0).lower() == "both" and re.match(r"\s+(?:in|of|at|on|the|sides?\b)", seg[pm.end() : pm.end() + 6]):
                continue
            refs.append(Ref(a + pm.start(), a + pm.end(), list(self.group), "plural"))
        for m in _WE.finditer(seg):
            refs.append(Ref(a + m.start(), a + m.end(), list(self.group), "we"))
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
            for p in self.others:
                if p.start < a or p.end > b:
                    continue
                if any(r.start <= p.end and p.start <= r.end for r in refs):
                    continue
                known = next((q for q in self.persons if q.tokens & p.tokens), None)
                state = known.state if known else (p.state or self.m.publisher)
                if state:
                    refs.append(Ref(p.start, p.end, [state], "person"))
        for m in _PRONOUN.finditer(seg):
            refs.append(Ref(a + m.start(), a + m.end(), [], "pronoun"))
        if with_states:
            for mention in self.gaz.find(text, a, b):
                if any(r.start <= mention.start < r.end for r in refs):
                    continue
                kind = "capital" if mention.kind == "capital" else "state"
                if mention.kind == "adjective" and mention.text.endswith("s") and mention.text != "Swiss":
                    kind = "demonyms"  # "Americans", "Iraqis": people
                refs.append(Ref(mention.start, mention.end, [mention.code], kind))
        refs.sort(key=lambda r: r.start)
        return refs


_IN_PP = re.compile(
    r"\b(?:of|with|to|for|from|by|about|on|toward|towards|against|in|at|between|among|"
    r"thanked|congratulated|welcomed|told|urged|called|hosted|received|met)\s+"
    r"(?:(?:the|His|Her|[A-Z][\w.’'\-]*|of|and|,|\(|\))\s*)*$"
)


def _subject(refs: References, a: int, b: int, last: list[str]) -> list[str] | None:
    """The holder codes named as subject in ``text[a:b]`` (the part of a clause before its cue)."""
    text = refs.text
    adv = _ADVERBIAL.match(text, a, b)
    if adv:
        a = adv.end()
    found = [
        r
        for r in refs.find(a, b)
        if not _IN_PP.search(text[max(a, r.start - 90) : r.start]) and not re.match(r"\s*[-–]\s*\w", text[r.end : r.end + 3])
    ]
    if not found:
        return None
    found = [
        r
        for r in found
        if not (
            r.kind == "state"
            and re.match(r"\s*['’]s?\s+(?!side|government|delegation|leaders?|authorities)", text[r.end : r.end + 14])
        )
    ]
    if not found:
        return None
    # the subject is the first reference after the last complementizer; "X and Y" joins the next one
    that = [m.end() for m in re.finditer(r"\b(?:that|in\s+which|during\s+which|where|whereby|who)\s+", text[a:b])]
    if that:
        after = [r for r in found if r.start >= a + that[-1]]
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
    while i + 1 < len(found):
        nxt = found[i + 1]
        between = text[cur.end : nxt.start]
        if (
            re.fullmatch(r"[\s\w.’'\-]*?\s*(?:,|\band\b)\s*[\w\s.’'\-]*?", between)
            and len(between) < 40
            and nxt.kind != "pronoun"
        ):
            codes += [c for c in nxt.codes if c not in codes]
            cur, i = nxt, i + 1
        else:
            break
    return codes or None


_CLAUSE_SUBJ = re.compile(
    r"^(?:that\s+)?(?:the\s+)?[\w’'\- ]{0,40}?\s+(?:will|would|can|could|should|shall|may|must)\s+"
    r"(?:(?:\w+ly|continue\s+to|be\s+able\s+to)\s+)*",
    re.IGNORECASE,
)


_ASCII = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
_THANKED = re.compile(
    r"^(?:(?:him|her|them|the\s+[\w\s]{0,40}?|[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,4}))"
    r"\s+(?:for|on)\s+"
)


_LIGHT_WORDS = {
    "the",
    "a",
    "an",
    "that",
    "which",
    "its",
    "their",
    "our",
    "his",
    "her",
    "these",
    "those",
    "very",
    "also",
    "further",
    "all",
    "both",
    "this",
    "will",
    "would",
    "be",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "been",
    "to",
    "with",
    "for",
    "by",
    "from",
    "at",
    "as",
}
_NOUN_CUE = re.compile(r"commitment|support|solidarity|opposition|concerns?", re.I)


def _label(text: str, s: int, e: int, stance: str = "") -> str:
    item = re.sub(r"\s+", " ", text[s:e]).translate(_ASCII).strip(' ,.;:"')
    if stance == "appreciate":
        item = _THANKED.sub("", item)
    item = _CLAUSE_SUBJ.sub("", item)
    item = _FILLER.sub("", item)
    words = item.split()
    if len(words) > MAX_LABEL_WORDS:
        # keep the content: drop articles and pronouns before cutting to 12 words
        light = [w for w in words if w.lower() not in _LIGHT_WORDS and not (w.endswith("ly") and w.islower() and len(w) > 4)]
        if len(light) >= 3:
            item, words = " ".join(light), light
    if len(words) > MAX_LABEL_WORDS:
        cut = None
        for m in _LABEL_CUT.finditer(item):
            if len(item[: m.start()].split()) >= 3:
                cut = m.start()
                break
        if cut is not None:
            item = item[:cut]
        words = item.split()[:MAX_LABEL_WORDS]
        item = " ".join(words)
    return item.strip(" ,.;:")


_MODIFIER = re.compile(
    r"(?:trade|investment|security|energy|defen[cs]e|health|climate|space|cyber|technology|business|military|"
    r"education|people-to-people|commercial|\w+(?:al|ic|ary|ive|ous))$"
)


_DATE_LIKE = re.compile(
    r"(?:(?:on|in|by|at|since|until)\s+)?(?:\d[\d,.\-]*|(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)(?:\s+\d{1,2})?(?:,?\s+\d{4})?|(?:this|next|last)?\s*(?:week|weekend|month|year|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|today|tomorrow|yesterday|soon|addition|example|"
    r"as amended|alike|achieve|[\d\-]+(?:-for-|/)[\d\-]+)",
    re.IGNORECASE,
)


def _not_an_issue(label: str, gaz: Gazetteer, refs: References) -> bool:
    """A label that names only a person or a date is not an issue ("President Biden", "October 27")."""
    bare = re.sub(r"^(?:the|all|both)\s+", "", label.strip(" '\""))
    if _DATE_LIKE.fullmatch(bare):
        return True
    words = bare.split()
    if words and all(w[:1].isupper() for w in words) and len(words) <= 4:
        toks = {w.lower().strip(".,'") for w in words}
        titled = re.sub(
            r"^(?:President|Prime Minister|King|Queen|Crown Prince|Secretary|Minister|Chancellor|"
            r"Vice President|Foreign Minister|Mr\.?|Ms\.?|Dr\.?)\s+",
            "",
            bare,
        )
        if any(
            p.tokens and (p.tokens & toks) and titled.lower().strip() in p.name.lower() for p in refs.persons + refs.others
        ):
            return True
    return False


def _shared_head(label: str) -> list[str]:
    """ "security and economic cooperation" names two issues: "security cooperation", "economic cooperation"."""
    m = re.fullmatch(r"((?:\S+\s+){0,3}?)([a-z][\w\-]+) and ([a-z][\w\-]+) ([a-z][\w\-]+)((?:\s+\S+){0,4})", label)
    if not m or not (_MODIFIER.match(m.group(2)) and _MODIFIER.match(m.group(3))):
        return [label]
    pre, a, b, head, rest = m.groups()
    return [f"{pre}{a} {head}{rest}", f"{pre}{b} {head}{rest}"]


def _with_concept(text: str, s: int, e: int, label: str, concept: object) -> str:
    """A label cut to 12 words keeps the vocabulary term it lost ("... Taiwan")."""
    words = re.sub(r"\s+", " ", text[s:e]).split()
    if len(words) <= MAX_LABEL_WORDS:
        return label
    names = [getattr(concept, "label", ""), *getattr(concept, "alt_labels", ())]
    if any(n and n.lower() in label.lower() for n in names):
        return label
    term = next((n for n in sorted(names, key=len, reverse=True) if n and n.lower() in text[s:e].lower()), "")
    if not term:
        return label
    keep = MAX_LABEL_WORDS - len(term.split()) - 1
    return " ".join(label.split()[: max(keep, 1)]) + " " + term if keep > 0 else term


def _target(
    refs: References, c: Clause, holder: str, item: tuple[int, int] | None = None, first: int | None = None
) -> str | None:
    if item is not None and first is not None and refs.text[c.cue_end : first].strip(" ,;:"):
        # a direct object before the items ("support China on issues such as Taiwan") is the target of all
        direct = _target_in(refs, c.cue_start, first, holder, c.stance)
        if direct:
            return direct
    if item is not None:
        # the item's own actor, else one named earlier in the clause ("the NATO agenda ..., including X")
        return _target_in(refs, item[0], item[1], holder, c.stance) or _target_in(
            refs, c.cue_start, item[0], holder, c.stance
        )
    return _target_in(refs, c.cue_start, c.obj_end, holder, c.stance)


def _target_in(refs: References, a: int, b: int, holder: str, stance: str = "") -> str | None:
    for r in refs.find(a, b):
        before = refs.text[max(a, r.start - 12) : r.start]
        if re.search(r"\bagainst\s+(?:the\s+)?$", before) or (
            stance in ("support", "appreciate") and re.search(r"\bby\s+(?:the\s+)?$", before)
        ):
            continue  # "attacks against Israeli citizens", "support of Ukraine by Poland": not the target
        if (
            stance in ("oppose", "concern")
            and re.search(r"\b(?:in|within|across|inside|throughout)\s+(?:the\s+)?$", before)
            and not re.match(r"['’]s?\b", refs.text[r.end : r.end + 2])
        ):
            continue  # "nuclear weapons in Ukraine": a place
        if r.kind == "demonyms":
            continue  # "all Americans": people, not the state
        if r.kind in ("plural", "we", "pronoun"):
            continue
        for code in r.codes:
            if code != holder:
                return code
    return None


def extract_positions(text: str, sents: list[Sentence], meeting: Meeting, gaz: Gazetteer) -> tuple[list[dict], list[dict]]:
    """(positions, topics) for one readout."""
    refs = References(text, meeting, gaz, sents)
    vocab = vocabulary()
    positions: list[dict] = []
    topics: list[dict] = []
    seen: set[tuple[str, str, str]] = set()
    seen_topics: set[str] = set()
    last: list[str] = [meeting.participants[0].state] if meeting.participants and meeting.participants[0].state else []
    speaker: list[str] | None = None
    list_ctx: tuple[list[str], str] | None = None
    para = -1
    for sent in sents:
        if sent.paragraph != para:
            para, speaker = sent.paragraph, None
        holder: list[str] | None = None
        in_speech = False
        sent_clauses = clauses(text, sent.start, sent.end)
        bullet = BULLET.match(text, sent.start)
        if bullet and list_ctx is not None:
            holder, speaker = list_ctx[0], list_ctx[0]
            in_speech = True
            own = [c for c in sent_clauses if c.cue.strength >= 6 and c.cue_start - bullet.end() < 25]
            if not own:
                sent_clauses = [Clause(_ITEM_CUE[list_ctx[1]], bullet.end(), bullet.end(), sent.end, bullet.end())]
        elif not bullet:
            list_ctx = None
        for c in sent_clauses:
            subj = _subject(refs, c.clause_start, c.cue_start, last)
            if c.stance == "speech":
                if subj:
                    speaker = subj
                    refs.speaker = subj
                    last = subj
                in_speech = True
                holder = speaker or holder
                continue
            if subj is None and c.stance != "topic" and _has_other_subject(text, c.clause_start, c.cue_start, c.cue):
                continue
            if in_speech and speaker:
                subj = speaker
            elif subj is None:
                subj = holder or speaker or last
            elif speaker and set(subj) - set(speaker) and len(subj) > 1:
                subj = speaker  # "both sides should ..." in a speaker's paragraph
            elif (
                c.stance == "call"
                and len(subj) > 1
                and len(refs.speaker) == 1
                and re.match(r"should|must|need", text[c.cue_start : c.cue_end])
            ):
                subj = refs.speaker  # a prescription for "both sides" is the last speaker's
            if not subj:
                continue
            holder = subj
            last = subj
            spans = (
                [(_subject_start(text, c), c.cue_start)]
                if c.cue.before
                else split_items(text, c.cue_end, c.obj_end, pairs=c.stance == "topic")
            )
            for s, e in spans:
                label = _label(text, s, e, c.stance)
                if (
                    label
                    and not text[c.cue_end : s].strip()
                    and gaz.lookup(re.sub(r"^the\s+", "", label))
                    and _NOUN_CUE.search(text, c.cue_start, c.cue_end)
                ):
                    # "the U.S. extended deterrence commitment to the ROK": the commitment is the issue
                    before = text[max(c.clause_start, c.cue_start - 80) : c.cue_start].split()[-4:]
                    label = _label(text, c.cue_start - len(" ".join(before)) - 1 if before else c.cue_start, e)
                concept = vocab.match(text, s, e)
                if concept is not None and label:
                    label = _with_concept(text, s, e, label, concept)
                if not label or VAGUE.match(label) or len(label) < 3 or _not_an_issue(label, gaz, refs):
                    continue
                for one in _shared_head(label) if c.stance != "topic" else [label]:
                    if c.stance == "topic":
                        key = one.lower()
                        if key not in seen_topics:
                            seen_topics.add(key)
                            topics.append({"issue": one, "concept": concept.id if concept else None, "start": s, "end": e})
                        continue
                    for code in subj:
                        key3 = (code, c.stance, one.lower())
                        if key3 in seen:
                            continue
                        seen.add(key3)
                        q_start = _quote_start(text, c, sent)
                        target = _target(refs, c, code, (s, e), spans[0][0])
                        positions.append(
                            {
                                "holder": code,
                                "stance": c.stance,
                                "target": target,
                                "issue": one,
                                "concept": concept.id if concept else None,
                                "quote": text[q_start : c.obj_end],
                                "start": q_start,
                                "end": c.obj_end,
                            }
                        )
        if not bullet:
            list_ctx = _list_heading(text, sent, last or refs.group, [c.stance for c in sent_clauses])
    return positions, topics


_ITEM_CUE = {st: next(c for c in CUES if c.stance == st) for st in ("agree", "commit", "support")}


def _list_heading(text: str, sent: Sentence, last: list[str], stances: list[str]) -> tuple[list[str], str] | None:
    """A sentence that introduces a list ("... agreed to:") gives its items a holder and a stance."""
    if not text[sent.start : sent.end].rstrip().endswith(":") or not last:
        return None
    stance = next((st for st in reversed(stances) if st in _ITEM_CUE), "commit")
    return list(last), stance


_CONJ = re.compile(
    r"^[\s,;]*(?:(?:and|but|while|that|also|further|then|so|thus|therefore|moreover|however|"
    r"furthermore|additionally|both|it)\b[\s,]*)*",
    re.IGNORECASE,
)


def _has_other_subject(text: str, a: int, b: int, cue: object) -> bool:
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


def _subject_start(text: str, c: Clause) -> int:
    s = c.clause_start
    m = re.match(r"[\s,;]*(?:(?:and|but|that|while)\s+)*", text[s : c.cue_start])
    return s + (m.end() if m else 0)


def _quote_start(text: str, c: Clause, sent: Sentence) -> int:
    s = c.clause_start
    m = re.match(r"[\s,;]*(?:(?:and|but|while|whereas)\s+)?", text[s : c.cue_start])
    if m:
        s += m.end()
    return max(s, sent.start)
