"""Issue labels: a short English label (at most 12 words) from the text of a list item.

In: a span of the readout text. Out: the label the GUIDE asks for ("Taiwan", "COVID-19 vaccines",
"Belt and Road Initiative"); fillers ("the importance of", "efforts to") and a clause's own subject
("Kyrgyzstan will ...") are dropped, long items keep their content words.
"""

from __future__ import annotations

import re

from kg.extract.clauses import FRONT_CIRCUMSTANCE
from kg.extract.morph import parts_of_speech
from kg.extract.references import References
from kg.extract.text import ABBREVIATION_END
from kg.gazetteer import Gazetteer

MAX_LABEL_WORDS = 12

_FILLER = re.compile(
    r"^(?:(?:in\s+depth|in-depth|indepth|at\s+length|in\s+detail|the|a|an|to|that|for|on|of|in|with|about|regarding|over|his|her|their|its|our|your|my|both|"
    r"further|continue\s+to|continued|continuing|work(?:ing)?\s+(?:together|closely)\s+(?:to|on)|"
    r"efforts?\s+to|(?:keenness|eagerness|willingness|readiness|determination|resolve)\s+to|the\s+need\s+(?:for|to)|the\s+importance\s+of|importance\s+of|need\s+(?:for|to)|"
    r"ways\s+to|how\s+to|jointly|closely|fully|firmly|actively|strongly|all|also|again|"
    r"(?:issues?|matters?|questions?)\s+(?:related\s+to|involving|concerning|regarding|of))\s+)+",
    re.IGNORECASE,
)
_LABEL_CUT = re.compile(
    r"\s+(?:in\s+order\s+to|so\s+that|so\s+as\s+to|which|who|when|because|"
    r"at\s+any|in\s+the\s+(?:coming|next)|over\s+the\s+coming)\b|,\s",
    re.IGNORECASE,
)


_CLAUSE_SUBJ = re.compile(
    r"^(?:that\s+)?(?:the\s+)?(?:[\w’'\-]+\s+){0,3}?[\w’'\-]+(?<!\bthe)(?<!\bpolitical)(?<!\bpopular)"
    r"\s+(?:will|would|can|could|should|shall|may|must)\s+(?!of\b)"
    r"(?:(?:\w+ly|continue\s+to|be\s+able\s+to)\s+)*",
    re.IGNORECASE,
)


_SOURCE_TAIL = re.compile(
    r",\s+(?:according\s+to|as\s+per|as\s+reported\s+by|as\s+stated\s+by|(?:said|reported)\s+the)\s.*$|"
    r"^(?:according\s+to|as\s+per)\s+(?:the\s+)?(?:(?-i:[A-Z])|(?:\w+\s+)?(?:ministry|agency|statement|spokes\w+|media|"
    r"reports?|sources?)\b).*$",
    re.IGNORECASE,
)  # "..., according to the Ministry": the source; but "resolved according to international law" is the issue
_RELATIVE_ASIDE = re.compile(r",\s*who\s+[^,]{3,80},\s*")
_FRONT_ADVERBIAL = re.compile(rf"^(?:that\s+)?{FRONT_CIRCUMSTANCE}\b[^,]{{0,120}},\s*(?=\S)", re.IGNORECASE)
_VOCATIVE = re.compile(r"^(?:My\s+)?Dear\s+(?:[A-Z][\w.’'\-]*\s*){1,5},\s*")
_WISHED = re.compile(
    r"^(?:him|her|them|you|[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,3})(?:\s+and\s+(?:his|her|their)\s+famil(?:y|ies))?"
    r"(?:\s+for\s+|\s+(?=(?:every\s+|great\s+|continued\s+)?(?:success|good\s+health|a\s+speedy|a\s+swift|a\s+quick|"
    r"happiness|prosperity|good\s+luck|well)\b))"
)
_ACTOR_SUBJ = re.compile(
    r"(?:that\s+)?(?:they|we|he|she|both(?:\s+sides|\s+countries)?|the\s+(?:two|three)\s+\w+|the\s+sides|"
    r"(?:the\s+)?[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*)*(?:\s+and\s+(?:the\s+)?[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*)*)?|"
    r"(?:they|we)\s+and\s+(?:their|our)\s+\w+)\s+(?:will|would|can|could|should|shall|may|must)\b"
)
_ASCII = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
_THANKED = re.compile(
    r"^(?:(?:him|her|them|the\s+[\w\s]{0,40}?|[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,4}|"
    r"the\s+(?:(?:Party|State|Government|people|leadership|royal\s+family|nation)(?:,\s+|,?\s+and\s+)){1,4}[\w\s]{0,40}?))"
    r"\s+(?:for|on)\s+"
)


_LIGHT_WORDS = {"the", "a", "an", "its", "their", "our", "his", "her", "these", "those", "this", "very", "also", "further",
                "all", "both"}  # fmt: skip
_PHRASE_END = {
    "and", "or", "of", "in", "on", "at", "to", "for", "with", "between", "among", "through", "within", "under",
    "by", "from", "as", "amid", "against", "toward", "towards", "including", "while", "based", "during", "into",
}  # fmt: skip
NOUN_CUE = re.compile(r"commitment|support|solidarity|opposition|concerns?", re.I)


def _adverb(word: str) -> bool:
    """An -ly adverb a long label can spare ("fully", "jointly"), never an adjective ("friendly", "timely")."""
    return word.endswith("ly") and word.islower() and len(word) > 4 and "ADJ" not in parts_of_speech(word)


def label_of(text: str, s: int, e: int, stance: str = "") -> str:
    item = _strip_end(re.sub(r"\s+", " ", text[s:e]).translate(_ASCII).strip(' ,;:"'))
    if stance == "appreciate":
        item = _THANKED.sub("", item)
    elif stance == "hope":
        item = _RELATIVE_ASIDE.sub("", item)  # "wished X, who will soon leave her post, success in ..."
        item = _WISHED.sub("", item)  # "wished Wang Yi success in his future activities": the success
    item = _SOURCE_TAIL.sub("", item)
    item = _VOCATIVE.sub("", item)  # "Dear Sergey Viktorovich, I am glad ...": whom the speaker addresses is no issue
    item = _FRONT_ADVERBIAL.sub("", item)  # "amid the changing situation, they would ...": the circumstance is no issue
    subj = _CLAUSE_SUBJ.match(item)
    if subj and not (stance == "agree" and not _ACTOR_SUBJ.match(item)):
        # "Kyrgyzstan will ...": the clause's own subject is no part of the issue; but what the parties agreed on
        # is the embedded clause's subject ("agreed the summit in Portsmouth would cement ...")
        item = item[subj.end() :]
    item = _FILLER.sub("", item)
    words = item.split()
    if len(words) > MAX_LABEL_WORDS:
        # keep the content: drop articles, possessives and adverbs (never prepositions or verbs, so the
        # label still reads as written: "right to development", "the will of the people")
        light = [w for w in words if w.lower() not in _LIGHT_WORDS and not _adverb(w)]
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
        if len(item.split()) > MAX_LABEL_WORDS:
            # the first twelve words as written, without a preposition or "and" left dangling at the end
            words = item.split()[:MAX_LABEL_WORDS]
            while len(words) > 3 and words[-1].lower() in _PHRASE_END:
                words.pop()
            item = " ".join(words)
    return _strip_end(item.strip(" ,;:"))



def _strip_end(item: str) -> str:
    """The label without the punctuation around it, but with the full stop of an abbreviation ("U.S.")."""
    item = item.strip(" ,;:")
    while item.endswith(".") and not ABBREVIATION_END.search(item):
        item = item[:-1].rstrip(" ,;:")
    item = _DANGLING_AND.sub("", item)  # "these provocative acts and", "the offensive would": a word left dangling
    return item.lstrip(".")


_DANGLING_AND = re.compile(r"\s+(?:and|or|would|will|could|can|should|must|may|might)$")


_MODIFIER = re.compile(
    r"(?:trade|investment|security|energy|defen[cs]e|health|climate|space|cyber|technology|business|military|"
    r"education|people-to-people|commercial|maritime|aviation|food|water|nuclear|border|rail|road|air|sea|land|"
    r"digital|green|tourism|science|agriculture|transport|infrastructure|finance|culture|youth|sports?|student|academic|"
    r"media|expert|police|labou?r|private|public|business|"
    r"\w+(?:al|ic|ary|ive|ous|ian))$"
)


_DATE_LIKE = re.compile(
    r"(?:(?:on|in|by|at|since|until)\s+)?(?:\d[\d,.\-]*|(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)(?:\s+\d{1,2})?(?:,?\s+\d{4})?|(?:this|next|last)?\s*(?:week|weekend|month|year|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|today|tomorrow|yesterday|soon|addition|example|"
    r"as amended|alike|achieve|[\d\-]+(?:-for-|/)[\d\-]+)",
    re.IGNORECASE,
)


def not_an_issue(label: str, gaz: Gazetteer, refs: References) -> bool:
    """A label that names only a person or a date is not an issue ("President Biden", "October 27")."""
    bare = re.sub(r"^(?:the|all|both)\s+", "", label.strip(" '\""))
    if _DATE_LIKE.fullmatch(bare):
        return True
    if len(bare.split()) <= 4 and bare.split()[-1:] and bare.split()[-1].lower() in ("on", "by", "of", "to", "for", "with"):
        return True  # "strengthen cooperation on", "call by": the object was cut off (a heading, a list to follow)
    words = re.findall(r"[A-Za-z][\w-]*", bare)
    if words and all(w.islower() and parts_of_speech(w) <= {"ADJ", "ADV"} and parts_of_speech(w) for w in words
                     if w not in ("and", "or", "some")):  # fmt: skip
        return True  # "regional", "ongoing regional", "free and open": adjectives without their noun
    if len(words) == 1 and re.fullmatch(r"[a-z]+ed", words[0]) and "NOUN" not in parts_of_speech(words[0]):
        return True  # "shared", "discussed": a participle left over, no issue
    if gaz.kind(bare) == "capital":
        return True  # "Moscow" alone: the capital speaks for its state, it is no issue
    words = bare.split()
    if words and all(w[:1].isupper() for w in words) and len(words) <= 4:
        toks = {w.lower().strip(".,'") for w in words}
        titled = re.sub(
            r"^(?:President|Prime Minister|King|Queen|Crown Prince|Secretary|Minister|Chancellor|"
            r"Vice President|Foreign Minister|Mr\.?|Ms\.?|Dr\.?)\s+",
            "",
            bare,
        )
        if any(titled.lower().strip() in name for name in refs.names_sharing(toks)):
            return True
    return False


_LIST_OF_MODIFIERS = re.compile(
    r"\b((?:[a-z][\w\-]+,\s+)+[a-z][\w\-]+,?\s+and\s+[a-z][\w\-]+|[a-z][\w\-]+\s+and\s+[a-z][\w\-]+)"
    r"\s+([a-z][\w\-]+)\b"
)
_ONE_PEOPLE = {"people", "peoples", "government", "governments", "citizens", "nation", "leadership", "family"}
_OF_PAIR = re.compile(r"^((?:\S+\s+){0,3}?[a-z][\w\-]+\s+of\s+)([a-z][\w\-]+)\s+and\s+([a-z][\w\-]+)$")


_DIRECTION = r"(?:East|West|North|South|Central|Eastern|Western|Northern|Southern)"
_DIRECTIONS_OF = re.compile(rf"\b({_DIRECTION})\s+and\s+({_DIRECTION})\s+((?:[A-Z][\w\-]+)(?:\s+[A-Z][\w\-]+)*)")


def shared_head(label: str) -> list[str]:
    """ "security and economic cooperation" names two issues: "security cooperation", "economic cooperation";
    so does "our political, military, and economic partnerships" three, "freedom of navigation and
    overflight" two, and "the East and South China Sea" two. Qualities of one noun stay one ("robust,
    balanced and sustainable growth")."""
    directions = _DIRECTIONS_OF.search(label)
    if directions:
        pre, rest, head = label[: directions.start()], label[directions.end() :], directions.group(3)
        return [f"{pre}{x} {head}{rest}" for x in directions.group(1, 2)]
    for m in _LIST_OF_MODIFIERS.finditer(label):
        mods = [x for x in re.split(r",?\s+and\s+|,\s+", m.group(1)) if x]
        if len(mods) >= 2 and all(_MODIFIER.match(x) for x in mods) and "NOUN" in parts_of_speech(m.group(2)):
            pre, rest = label[: m.start()], label[m.end(1) :]
            return [f"{pre}{x}{rest}" for x in mods]
    pair = _OF_PAIR.match(label)
    if pair and all(
        parts_of_speech(x) <= {"NOUN", "VERB"} and x not in _ONE_PEOPLE for x in pair.group(2, 3)
    ):  # "navigation and overflight", not "the people and government" of one state
        return [pair.group(1) + pair.group(2), pair.group(1) + pair.group(3)]
    return [label]


def with_concept(text: str, s: int, e: int, label: str, concept: object) -> str:
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


_FRONTED = re.compile(
    r"(?:On|Regarding|Concerning|As\s+for|As\s+regards|With\s+regard\s+to|With\s+respect\s+to|Turning\s+to|"
    r"Touching\s+(?:up)?on|Speaking\s+(?:about|of)|Referring\s+to|"
    r"In\s+relation\s+to|On\s+the\s+(?:issue|question|matter|subject)\s+of)\s+"
    r"(?!(?:a|an)\s|(?:the\s+)?(?:\d|January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|behalf|this|that|these|his|her|their|its|our|"
    r"(?:the\s+)?(?:sidelines|margins|occasion|eve|invitation|basis|same|other|part|day|morning|evening|afternoon|"
    r"phone|initiative|request|instructions?|way|whole|arrival|(?:\w+\s+)?(?:visit|trip|tour))\b))"
    r"([^,;:.]{2,60}?),\s+"
)


def fronted_topic(text: str, a: int, b: int) -> tuple[int, int] | None:
    """ "On Taiwan, President X underscored ...": the span of the issue a sentence opens with, if any."""
    m = _FRONTED.match(text, a, b)
    if m is None or len(m.group(1).split()) > 8:
        return None
    return m.start(1), m.end(1)


def with_topic(topic: str, label: str) -> str:
    """The label under the issue the sentence opened with ("Taiwan: one China policy"), at most 12 words."""
    topic = re.sub(r"^(?:the|a|an)\s+", "", re.sub(r"\s+", " ", topic).strip())
    if topic.lower() in label.lower():
        return label
    room = MAX_LABEL_WORDS - len(topic.split())
    words = label.split()[: max(room, 0)]
    while len(words) > 1 and words[-1].lower() in _PHRASE_END:
        words.pop()
    return f"{topic}: {' '.join(words)}" if words else topic
