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
from functools import lru_cache

from kg.extract.clauses import PASSIVE_TAIL, VAGUE, Clause, clauses, split_items
from kg.extract.cues import CUES
from kg.extract.meeting import Meeting
from kg.extract.labels import fronted_topic, with_topic, NOUN_CUE, label_of, not_an_issue, shared_head, with_concept
from kg.extract.references import Ref, References, has_other_subject, subject
from kg.extract.text import BULLET, Sentence
from kg.gazetteer import Gazetteer
from kg.issues import vocabulary


Roles = tuple[str | None, str | None]  # (target, beneficiary)

# Acts done to an actor: an actor after one of these and a preposition ("interference in", "the
# attack on", "aggression against", "sanctions imposed on") is the act's victim, not its author.
_ACT = (
    r"(?:attacks?|aggression|interference|interfering|intervention|invasion|incursions?|strikes?|violence|"
    r"threats?|provocations?|sanctions|war|occupation|hostilit(?:y|ies)|terrorism|bombings?|shelling|meddling|"
    r"pressure|coercion|encroachments?|violations?|assaults?|blockade|annexation|massacres?|killings?|"
    r"hostage-taking|raids?|offensive|bombardment|actions|acts|measures|imposed|targeting|targeted|forces)"
)
_VICTIM_AFTER_ACT = re.compile(
    rf"\b{_ACT}(?:\s+[\w-]+){{0,3}}?\s+(?:against|on|upon|in|into|of|towards?|at)\s+(?:the\s+)?$|"
    r"\buse\b(?:\s+[\w-]+){0,4}?\s+against\s+(?:the\s+)?$"  # "Russia's use of this equipment against Ukraine"
)
# What an actor has that an act can harm: "X's internal affairs", "the sovereignty of X"
_HARMED = (
    r"(?:internal\s+affairs|domestic\s+affairs|affairs|sovereignty|territorial\s+integrity|integrity|security|"
    r"interests|territory|territories|soil|borders?|people|citizens|civilians|nationals|embassy|independence|"
    r"unity|stability|infrastructure|cities|ships|vessels)"
)
_HARMED_OF = re.compile(rf"\b{_HARMED}(?:\s+and\s+[\w\s]{{1,30}}?)?\s+of\s+(?:the\s+)?$")
_HARMED_AFTER = re.compile(
    rf"\s*(?:['’]s?\s+|\s)(?:(?!(?:on|against|in|at|into|upon|towards?)\b)[\w-]+\s+){{0,2}}?{_HARMED}\b"
)  # "Ukrainian civilians", "Russia's borders"; not "the Russian military on civilians"
_PLACE_LIST = re.compile(r"\s*(?:,|and|or|,\s*and)\s*(?:the\s+)?")
_MATTER_AFTER = re.compile(
    r"\s+(?:conflict|crisis|issue|question|war|peace\s+process|situation|problem|dispute|file|settlement|cause)\b"
)
_NATIONALS = re.compile(
    r"\s+(?:nationals|citizens|refugees|migrants|diaspora|workers|students|detainees|hostages|prisoners|pilgrims)\b"
)
# what a state's own authorities do at home: "violations of democratic practices in Venezuela" targets Venezuela
_DOMESTIC = re.compile(
    r"(?i)\b(?:violations?|abuses?|repression|crackdown|persecution|flaws|fraud|irregularities|rigging|"
    r"human\s+rights\s+situation)\b"
)
_DOMESTIC_IN = re.compile(_DOMESTIC.pattern + r"(?:\s+[\w-]+){0,4}?\s+(?:in|within|inside)\s+(?:the\s+)?$")
_NAME_ONLY = re.compile(r"\s*(?:the\s+)?(?:[A-Z][\w.’'\-]*\s*){1,5}")  # a wished or thanked addressee's name
_CONTAINER_WORD = re.compile(r"(?i)\b(?:including|such\s+as|especially|particularly|notably|in\s+particular|mainly)\b|:")
_CONDOLENCE = re.compile(r"condolence|sympath|solidarity|grief|sorrow|mourn")
_END_OF_ACT = re.compile(rf"\b(?:end|ending|halt|stop|stopping|cessation|accountability)\b(?:\s+[\w-]+){{0,4}}?\s+{_ACT}\b")


def _target(
    refs: References, c: Clause, holder: str, item: tuple[int, int] | None = None, spans: list[tuple[int, int]] | None = None
) -> Roles:
    """The position's target and beneficiary (GUIDE): the actor whose conduct the stance is
    directed at, and, for oppose, concern and call, the actor that is only the victim of what is
    opposed."""
    first = spans[0][0] if spans else None
    if item is not None and first is not None and refs.text[c.cue_end : first].strip(" ,;:"):
        # a direct object before the items ("support China on issues such as Taiwan") is the target of all
        direct = _roles(refs, c.cue_start, first, holder, c)
        if direct[0]:
            return direct
    if item is not None:
        # the item's own actor, else one named earlier in the clause ("the NATO agenda ..., including X")
        own = _roles(refs, item[0], item[1], holder, c)
        # an actor named before the items, or in the head a container lists ("the NATO agenda, including X"); not one
        # of the items coordinated with this one ("the security of Estonia, Latvia, and the Baltic region")
        upto = item[0]
        if spans and len(spans) > 1 and item != spans[0]:
            head = _CONTAINER_WORD.search(refs.text, spans[0][1], spans[1][0]) is not None or _NAME_ONLY.fullmatch(
                refs.text, *spans[0]
            )  # "wished Karen Smith, who leaves her post, success": the one addressed
            upto = spans[0][1] if head else spans[0][0]
        before = _roles(refs, c.cue_start, upto, holder, c)
        target = own[0] or before[0]
        beneficiary = own[1] or before[1]
        return target, (beneficiary if beneficiary != target else None)
    return _roles(refs, c.cue_start, c.obj_end, holder, c)


def _roles(refs: References, a: int, b: int, holder: str, c: Clause) -> Roles:
    stance = c.stance
    defends = stance in ("oppose", "concern")
    # a call defends a victim only when it calls for the end of an act against it ("called for an end to the attacks
    # on Ukraine"); "called for safe haven for Burmese nationals" or "the importance of ties between the people of X
    # and Y" defend no one
    ends_act = stance == "call" and _END_OF_ACT.search(refs.text, c.cue_start, b) is not None
    target: str | None = None
    beneficiary: str | None = None
    text = refs.text
    condolences = stance == "concern" and _CONDOLENCE.search(text, c.cue_start, c.cue_end) is not None
    place_end: int | None = None
    for r in refs.find(a, b):
        wide = text[max(min(a, c.cue_start), r.start - 60) : r.start]  # the victim's context may start before the item
        before = text[max(a, r.start - 12) : r.start]
        after = text[r.end : r.end + 40]
        code = next((code for code in r.codes if code != holder), None)
        if code is None or r.kind in ("plural", "we", "pronoun"):
            continue
        author = re.search(r"\bby\s+(?:the\s+)?$", before) is not None  # "attacks by the Russian military on ..."
        if ends_act and not author and _VICTIM_AFTER_ACT.search(wide):
            if beneficiary is None and code != target:
                beneficiary = code
            continue
        domestic = _DOMESTIC_IN.search(wide) is not None  # "abuses in Xinjiang", "violations ... in Venezuela"
        if defends and not author and not domestic and (
            _VICTIM_AFTER_ACT.search(wide)
            or _HARMED_OF.search(wide)
            or (r.kind != "demonyms" and _HARMED_AFTER.match(after))
            or (condolences
                and re.search(r"\b(?:to|with)\s+(?:the\s+)?(?:people\s+(?:and\s+government\s+)?of\s+|"
                              r"(?:[A-Z][\w.’'\-]*\s+|del\s+|de\s+){1,3})?$", wide))
        ):  # fmt: skip
            if beneficiary is None and code != target:
                beneficiary = code
            continue
        if re.search(r"\bagainst\s+(?:the\s+)?$", before) or (
            stance in ("support", "appreciate") and re.search(r"\bby\s+(?:the\s+)?$", before)
        ):
            continue  # "attacks against Israeli citizens", "support of Ukraine by Poland": not the target
        if (
            stance in ("oppose", "concern")
            and not _DOMESTIC.search(text, c.cue_start, r.start)
            and (
                re.search(r"\b(?:in|within|across|inside|throughout)\s+(?:the\s+)?$", before)
                or (place_end is not None and _PLACE_LIST.fullmatch(text, place_end, r.start) is not None)
            )
            and not re.match(r"['’]s?\b", after[:2])
        ):
            place_end = r.end
            continue  # "nuclear weapons in Ukraine", "burning the Quran in Sweden and Denmark": places
        if r.kind == "demonyms" or _NATIONALS.match(after):
            continue  # "all Americans", "Burmese nationals": people, not the state
        if r.kind == "state" and _MATTER_AFTER.match(after) and not text[r.start : r.end][:1].isspace() and (
            refs.gaz.kind(text[r.start : r.end]) == "adjective"
        ):
            continue  # "the Afghan conflict", "the Syrian crisis": the matter, not the state's conduct
        if stance == "support" and _others_compound(refs, r, holder):
            continue  # "support for the NATO-EU partnership" by a third: the relation of two others, no target
        if re.match(r"-(?:backed|sponsored|supported|funded|aligned|armed|led)\b", after):
            continue  # "Iranian-backed Houthi actions": the sponsor is not the author of the act
        if target is None and code != beneficiary:
            target = code
    if target is None and stance in ("oppose", "concern") and _ANAPHOR.match(text, a):
        # "condemned these provocative acts": the author of the acts the sentence before names ("tests by the DPRK")
        target = _author_before(refs, a, holder)
    if condolences and target is not None and beneficiary is None:
        target, beneficiary = None, target  # condolences are for the stricken, never against them
    if condolences and target is None and beneficiary is None:
        # condolences that name no one ("on the loss of lives in the air crash") go to the counterpart
        beneficiary = next((code for code in refs.group if code != holder), None)
    return target, beneficiary


_DEED = rf"(?:tests?|launch(?:es)?|{_ACT})"
_ANAPHOR = re.compile(rf"\s*(?:these|those|such|this|that)\s+(?:[\w-]+\s+){{0,2}}?{_DEED}\b", re.IGNORECASE)
_BY_AUTHOR = re.compile(rf"\b{_DEED}(?:\s+[\w-]+){{0,3}}?\s+by\s+(?:the\s+)?$")


_BETWEEN_PAIR = re.compile(
    r"\bbetween\s+(?:the\s+)?[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,5}\s+and\s+(?:the\s+)?[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,5}"
)


_PRONOUN_SUBJECT = re.compile(r"(?i)\s*(?:[\w,]+\s+){0,4}?(?:he|she|they)\b")
_POSSESSIVE = re.compile(
    r"['’]s?\s+(?:\w+\s+){0,2}?(?:willingness|readiness|support|commitment|position|stance|appreciation|concern|desire|"
    r"intention|determination|opposition|condemnation|gratitude|wish|hope)\b"
)


def _possessor(refs: References, a: int, b: int) -> str | None:
    """The participant whose stance a clause names as its own ("expressed the IAEA's willingness to")."""
    for r in refs.find(a, b):
        if r.kind not in ("plural", "we", "pronoun", "person", "title") and _POSSESSIVE.match(refs.text, r.end):
            code = r.codes[0] if r.codes else None
            if code in refs.group:
                return code
    return None


_CONCERNS_INCLUDING = re.compile(
    r"(?i)\b(?:issues|concerns|challenges|matters|questions|crises|conflicts|threats|situations?|hotspots)\s*,?\s+"
    r"(?:including|such\s+as|especially|particularly|notably|in\s+particular|like)\b"
)
_LABEL_WORD = re.compile(r"[a-z][a-z\-]+")
_NOT_CONTENT = {"the", "of", "to", "for", "and", "in", "on", "with", "its", "their", "his", "her", "our", "continued",
                "continuing", "support", "commitment", "full", "strong"}  # fmt: skip


@lru_cache(maxsize=4096)
def _content(label: str) -> frozenset[str]:
    return frozenset(w for w in _LABEL_WORD.findall(label.replace("'s", "")) if w not in _NOT_CONTENT)


def _restated(said: dict[tuple[str, str], list[frozenset[str]]], key: tuple[str, str, str], label: str) -> bool:
    """Whether the same holder stated the same stance on this issue before, now naming itself or its stance too:
    "Sri Lanka's economic rebuilding", then "India's continued support to Sri Lanka's economic rebuilding" (one
    position, GUIDE)."""
    earlier = said.get(key[:2])
    if not earlier:
        return False
    new = _content(key[2])
    names = {w.lower() for w in re.findall(r"\b[A-Z][\w\-]*", label)}
    return any(len(old) >= 2 and old < new and (new - old) <= names for old in earlier)


def _others_compound(refs: References, r: Ref, holder: str) -> bool:
    """Whether ``r`` is part of a pair "A-B" ("NATO-EU", "U.S.-China") or "between A and B" of which ``holder`` is
    no member."""
    text = refs.text
    between = _BETWEEN_PAIR.search(text, max(0, r.start - 90), min(len(text), r.end + 90))
    if between and between.start() <= r.start and r.end <= between.end():
        # "the talks between Tehran and Washington"
        members = {code for o in refs.find(between.start(), between.end()) for code in o.codes}
        return holder not in members
    if not (text[r.end : r.end + 1] in ("-", "–") or (r.start > 0 and text[r.start - 1] in ("-", "–"))):
        return False
    members = set(r.codes)
    for o in refs.find(max(0, r.start - 30), min(len(text), r.end + 30)):
        if o.end == r.start - 1 or o.start == r.end + 1:
            members |= set(o.codes)
    return len(members) >= 2 and holder not in members  # but "inter-Korean dialogue" names one


def _author_before(refs: References, a: int, holder: str) -> str | None:
    """The author of an act named shortly before ``a`` ("... missile tests by the DPRK. The leaders condemned these
    acts"), for a demonstrative that refers back to it."""
    text = refs.text
    author = None
    for r in refs.find(max(0, a - 400), a):
        code = next((code for code in r.codes if code != holder), None)
        if code and r.kind not in ("plural", "we", "pronoun") and _BY_AUTHOR.search(text, max(0, r.start - 60), r.start):
            author = code
    return author


def extract_positions(text: str, sents: list[Sentence], meeting: Meeting, gaz: Gazetteer) -> tuple[list[dict], list[dict]]:
    """(positions, topics) for one readout."""
    refs = References(text, meeting, gaz, sents)
    vocab = vocabulary()
    positions: list[dict] = []
    topics: list[dict] = []
    seen: set[tuple[str, str, str]] = set()
    said: dict[tuple[str, str], list[frozenset[str]]] = {}  # the content words of each holder's stances, for _restated
    seen_topics: set[str] = set()
    # the first holder: the lead's first participant; with no one named, the signatories of a
    # joint statement (its preamble "Recognising the importance of ...;" has no subject of its own)
    first = meeting.participants[0].state if meeting.participants else None
    last: list[str] = [first] if first else (list(refs.group) if meeting.type == "joint_statement" else [])
    speaker: list[str] | None = None
    list_ctx: tuple[list[str], str] | None = None
    para = -1
    lead_group = list(refs.group)
    for sent in sents:
        if sent.paragraph != para:
            para, speaker = sent.paragraph, None
            refs.group = lead_group
        pair = _meeting_with(refs, sent, first, lead_group)
        if pair is not None:
            refs.group = pair  # "During the meeting with Minister Pato, the two sides agreed ...": that pair
        holder: list[str] | None = None
        in_speech = False
        fronted = fronted_topic(text, sent.start, sent.end)
        sent_clauses = clauses(text, sent.start, sent.end)
        bullet = BULLET.match(text, sent.start)
        if bullet and list_ctx is not None:
            if _is_heading(text, sent, bullet, sents):
                continue  # "1. Opening", "2. Bilateral relations": a section's heading, not an item
            holder, speaker = list_ctx[0], list_ctx[0]
            in_speech = True
            own = [c for c in sent_clauses if c.cue.strength >= 6 and c.cue_start - bullet.end() < 25]
            if not own:
                sent_clauses = [Clause(_ITEM_CUE[list_ctx[1]], bullet.end(), bullet.end(), sent.end, bullet.end())]
            elif subject(refs, bullet.end(), own[0].cue_start, []):
                holder, speaker, in_speech = None, None, False  # "- Minister Motegi welcomed ...": its own subject
        elif not bullet:
            list_ctx = None
        quoted = _quote_then_speaker(refs, sent, last)
        if quoted:
            speaker, holder, in_speech = quoted, quoted, True  # "“The situation is worrying,” said Berg."
        previous: Clause | None = None
        for c in sent_clauses:
            # after a speech verb the embedded subject is the speech's object ("said that she and ... agreed")
            embedded = previous is not None and c.clause_start == previous.obj_end
            reported = False
            subj_start = previous.cue_end if embedded and previous else c.clause_start
            subj = subject(refs, subj_start, c.cue_start, last)
            if subj and _PRONOUN_SUBJECT.match(text, subj_start, c.cue_start):
                possessor = _possessor(refs, subj_start, c.cue_end)
                if possessor and possessor not in subj:
                    subj = [possessor]  # "He expressed the IAEA's willingness to ...": the IAEA's, whoever "he" is
            named = subj
            if c.stance == "speech":
                previous = c
                if subj:
                    speaker = subj
                    refs.speaker = subj
                    last = subj
                in_speech = True
                holder = speaker or holder
                continue
            ing = text[c.cue_start : c.cue_end].endswith("ing") or _ING_WORD.match(text, c.cue_start) is not None
            if ing and subj and _CONNECTED_ING.search(text, subj_start, c.cue_start):
                subj = None  # "...; as well as affirming their dialogue": the participle of the main clause's subject
            fronted_ing = ing and _FRONT_ING.fullmatch(text, sent.start, c.cue_start)
            if subj is None and fronted_ing:
                subj = _main_subject(refs, c, sent, last)  # "While thanking China for ..., Berg said": Berg's thanks
            if subj is None and c.stance != "topic" and has_other_subject(text, c.clause_start, c.cue_start, c.cue):
                continue
            if (
                c.cue.before
                and subj
                and not _PASSIVE.match(text, c.cue_start, c.cue_end)
                and not any(r.kind in ("we", "plural", "pronoun") for r in refs.find(subj_start, c.cue_start))
            ):
                subj = None  # "UN agencies are playing a crucial role": the evaluated actor is not the holder
            if not in_speech and (
                (_PASSIVE.match(text, c.cue_start, c.cue_end) and (subj is None or not _PLEASED.match(text, c.cue_start)))
                or (subj is None and PASSIVE_TAIL.match(text, c.obj_end) and not text[sent.start : c.cue_start].strip())
            ):
                # "The progress was hailed", "The importance of X was noted": no agent, the participants'
                subj = list(refs.group)
                if c.stance == "topic":
                    reported = True  # "The situation was discussed": no speaker for the sentences after it
            elif in_speech and speaker and not _joint_subject(refs, c, subj_start, subj, speaker):
                # "said that ASEAN should ...": the speaker's prescription for another, not that other's stance
                reported = (
                    embedded
                    and not _MODAL_WORD.match(text, c.cue_start)
                    and _other_participant(refs, subj_start, c.cue_start, speaker)
                )
                if not reported:
                    subj = speaker
            elif subj is None:
                subj = holder or speaker or last
            elif (
                speaker and set(subj) - set(speaker) and len(subj) > 1
                and not _joint_subject(refs, c, subj_start, subj, speaker)
            ):  # fmt: skip
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
            if not reported:  # a stance the speaker reports of another participant: "he" is still the speaker
                holder = subj
                last = subj
            obj_start = c.cue_end
            if c.stance == "appreciate":
                # "thanked the mayor, the council and the volunteers of Malmo for their help": the thanked are the
                # target, what they are thanked for the issue
                addressees = _ADDRESSEES.match(text, c.cue_end, c.obj_end)
                if addressees:
                    obj_start = addressees.end()
            spans = (
                split_items(text, _subject_start(text, c, previous), c.cue_start, pairs=True)
                if c.cue.before and c.stance == "topic"  # "Trade, investment and tourism were discussed": a list
                else [(_subject_start(text, c, previous), c.cue_start)]
                if c.cue.before
                else split_items(
                    text, obj_start, c.obj_end, pairs=c.stance == "topic", parallel=c.stance not in ("support", "oppose")
                )
            )
            if _logistics(text, c):
                continue
            if c.stance in ("appreciate", "support"):
                _embedded_commitment(text, c, refs, sent, holder, positions, seen)
            for s, e in spans:
                label = label_of(text, s, e, c.stance)
                if (
                    label
                    and not text[c.cue_end : s].strip()
                    and _actor_label(label, gaz)
                    and NOUN_CUE.search(text, c.cue_start, c.cue_end)
                ):
                    # "the U.S. extended deterrence commitment to the ROK": the commitment is the issue
                    before = text[max(c.clause_start, c.cue_start - 80) : c.cue_start].split()[-4:]
                    label = label_of(text, c.cue_start - len(" ".join(before)) - 1 if before else c.cue_start, e)
                elif (
                    label
                    and c.stance in ("support", "oppose")
                    and not text[c.cue_end : s].strip()
                    and (_actor_label(label, gaz) or (label[:1].isupper() and not_an_issue(label, gaz, refs)))
                ):  # "stands with Ukraine", "words of support to President X": the stance toward the actor
                    label = label_of(text, c.cue_start, e)  # "stands with Ukraine": the stance toward the actor
                elif (
                    label
                    and c.stance == "hope"
                    and _GREETING.search(text, c.cue_start, c.cue_end)
                    and (_ADDRESSEE.match(label) or _actor_label(label, gaz))
                ):
                    # "extended Passover greetings to him and the people of Israel": the greetings are the issue
                    occasion = _OCCASION_WORDS.search(text, max(c.clause_start, c.cue_start - 60), c.cue_start)
                    label = f"{occasion.group(1).strip()} greetings" if occasion else "greetings"
                elif (
                    label
                    and c.cue.before
                    and c.stance != "topic"  # "other issues were discussed": a vague topic stays vague
                    and (_DATE_LIKE_LABEL.fullmatch(label) or VAGUE.match(label))
                ):
                    label = label_of(text, s, c.obj_end)  # "2015 was a successful year for the ties"
                concept = vocab.match(text, s, e)
                if concept is not None and label:
                    label = with_concept(text, s, e, label, concept)
                if not label or VAGUE.match(label) or len(label) < 3 or not_an_issue(label, gaz, refs):
                    continue
                if fronted and c.stance != "topic" and s >= fronted[1]:
                    label = with_topic(text[fronted[0] : fronted[1]], label)
                if (
                    len(spans) > 1
                    and c.stance in ("hope", "commit", "agree", "call")
                    and gaz.lookup(re.sub(r"^(?:the|and)\s+", "", label))
                    and not _CONCERNS_INCLUDING.search(text, c.cue_end, s)
                ):
                    # "cooperation among the Philippines, Japan and the United States": actors, not issues; but "the
                    # shared security concerns, including Afghanistan, Iraq, and Russia" names the concerns
                    continue
                pair = _actor_pair(label, gaz)
                for one in pair or shared_head(label):
                    if c.stance == "topic":
                        key = one.lower()
                        if key not in seen_topics:
                            seen_topics.add(key)
                            topics.append({"issue": one, "concept": concept.id if concept else None, "start": s, "end": e})
                        continue
                    for code in subj:
                        key3 = (code, c.stance, one.lower())
                        if key3 in seen or _restated(said, key3, one):
                            continue
                        seen.add(key3)
                        said.setdefault(key3[:2], []).append(_content(key3[2]))
                        q_start = _quote_start(text, c, sent)
                        target, beneficiary = _target(refs, c, code, (s, e), spans)
                        if pair and gaz.lookup(_ACTOR_OF.sub("", one)) != code:
                            target = gaz.lookup(_ACTOR_OF.sub("", one)) or target  # "the defense of Japan": Japan
                        if target is None and named and _MODAL_WORD.match(text, c.cue_start):
                            # "ASEAN should build ...": the speaker calls on the one who should act
                            target = next((x for x in named if x != code and x not in subj), None)
                        stance = c.stance
                        if c.stance == "appreciate" and _own_credit(refs, c, code):
                            stance = "commit"
                        elif c.stance == "support" and _STAND_UP_OWN.match(text, c.cue_start, c.obj_end):
                            stance = "commit"  # "will stand up for our interests": a pledge, no support of another
                        elif (
                            c.stance == "call"
                            and _PASSIVE.match(text, c.cue_start, c.cue_end)
                            and _RELATION_EMPHASISED.search(one)
                        ):
                            stance = "commit"  # "The excellent cooperation between A and B was emphasized"
                        positions.append(
                            _position(text, code, stance, one, q_start, c.obj_end, target, beneficiary, concept)
                        )
        if not bullet:
            list_ctx = _list_heading(text, sent, last or refs.group, [c.stance for c in sent_clauses])
    return positions, topics


_STRESS_WORD = re.compile(r"(?i)(?:stress|emphasi|underscor|highlight|underlin|recogni|note|noting|acknowledg)")


_QUOTE_FIRST = re.compile(r"\s*(?:[“\"]([^”\"]{8,}?)[,.]?\s*[”\"]|‘(.{8,}?)[,.]\s*’),?\s+")
_SAID = r"(?:said|added|stated|noted|stressed|emphasi[sz]ed|told\s+\w+|wrote|declared|remarked|explained)"
_QUOTE_ATTRIBUTION = re.compile(rf"(?:{_SAID}\s+(?P<after>[^,.;]{{2,80}})|(?P<before>[^,.;]{{2,80}}?)\s+{_SAID}\b)")


def _quote_then_speaker(refs: References, sent: Sentence, last: list[str]) -> list[str] | None:
    """The speaker of a sentence that opens with a quote and names its speaker after it
    ("“The situation is worrying,” said Berg", "“...,” the Minister told reporters")."""
    m = _QUOTE_FIRST.match(refs.text, sent.start, sent.end)
    if m is None:
        return None
    attribution = _QUOTE_ATTRIBUTION.match(refs.text, m.end(), sent.end)
    if attribution is None:
        return None
    part = "after" if attribution.group("after") else "before"
    return subject(refs, attribution.start(part), attribution.end(part), last)


_ADDRESSEES = re.compile(
    r"\s+(?:him|her|them|you|the\s+[\w’'\-]+(?:\s+[\w’'\-]+){0,3}|[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,3})"
    r"(?:(?:,|,?\s+and)\s+(?:the\s+)?[\w’'\-]+(?:\s+[\w’'\-]+){0,4}){1,5},?\s+(?:for|on)\s+(?=\S)"
)  # "thanked the mayor, the council and the volunteers for ...", "Thank you, Poland, for ..."
# the words between the verb and "greetings" ("extended Passover greetings", "conveyed warm New Year greetings")
_OCCASION_WORDS = re.compile(
    r"(?i:extend|convey|send|sent|express|offer|exchang|deliver)\w*\s+(?:(?i:his|her|their|the|warm|best|sincere)\s+)*"
    r"((?:[A-Z][\w’'\-]*\s+){1,3})$"
)
_GREETING = re.compile(r"(?i)\bgreetings\b")
_ADDRESSEE = re.compile(r"(?:him|her|them|you|the\s+(?:people|government|leadership|king|president))\b", re.IGNORECASE)
_DATE_LIKE_LABEL = re.compile(r"(?:this|last|next)?\s*(?:\d{4}|year|week|month)")
_HEADING = re.compile(r"\s*[A-Z][\w’'\-]*(?:\s+(?:[\w’'\-]+|&)){0,3}\s*")
def _actor_label(label: str, gaz: Gazetteer) -> str | None:
    """The actor a label only names ("the United States", "Ukraine"), else None."""
    return gaz.lookup(re.sub(r"^the\s+", "", label))


def _is_heading(text: str, sent: Sentence, bullet: re.Match[str], sents: list[Sentence]) -> bool:
    """ "1. Opening" followed by "(1) Prime Minister Abe expressed ...": a numbered section's short title, not an
    item of the list (a list's items, "1. Trade facilitation", "2. Climate", are followed by items of their kind)."""
    if not bullet.group(0)[:1].isdigit() or not _HEADING.fullmatch(text, bullet.end(), sent.end):
        return False
    nxt = next((x for x in sents if x.start >= sent.end), None)
    if nxt is None:
        return True
    sub = BULLET.match(text, nxt.start)
    return sub is None or not sub.group(0)[:1].isdigit()


_MEETING_WITH = re.compile(
    r"(?i)\b(?:meeting|talks|call|conversation|discussions?|session)\s+with\s+(?:(?:his|her|the)\s+)?"
)


def _meeting_with(refs: References, sent: Sentence, first: str | None, lead_group: list[str]) -> list[str] | None:
    """In a readout of several meetings, the pair of a sentence that names one of them ("In his meeting
    with New Zealand counterpart Winston Peters, both sides ..."): the lead's first participant and the one met."""
    if first is None or len(lead_group) > 2 or (refs.m.lead is not None and sent.start <= refs.m.lead.start):
        return None  # the lead's own meeting, or a meeting of three: "both sides" stays the lead's group
    m = _MEETING_WITH.search(refs.text, sent.start, sent.end)
    if m is None:
        return None
    met = next(  # the first actor named after "meeting with" (references come in order of start)
        (r for r in refs.find(m.end(), min(sent.end, m.end() + 60)) if r.kind in ("person", "title", "state")), None
    )
    code = next((c for c in met.codes if c != first), None) if met is not None else None
    if code is None or (code in lead_group and len(lead_group) <= 2):
        return None
    return [first, code]


_PLEASED = re.compile(
    r"(?i)(?:was|were)\s+(?:\w+ly\s+|very\s+)?(?:pleased|delighted|glad|happy|satisfied|honou?red|grateful)\b"
)
_STAND_UP_OWN = re.compile(r"(?i)stand(?:s|ing)?\s+up\s+for\s+(?:our|its|their|his|her)\s")
_CONNECTED_ING = re.compile(r"(?i)(?:;\s*as\s+well\s+as|;|\bthereby)\s*$")
_ING_WORD = re.compile(r"[a-z]+ing\b")
_FRONT_ING = re.compile(
    r"\s*(?:(?:while|whilst|after|before|apart\s+from|besides|in\s+addition\s+to|along\s+with)\s+)?(?:\w+ly\s+)?",
    re.IGNORECASE,
)


def _main_subject(refs: References, c: Clause, sent: Sentence, last: list[str]) -> list[str] | None:
    """The subject of the main clause after a fronted participle ("While thanking China for ..., Berg said")."""
    comma = refs.text.find(",", c.obj_end, sent.end)
    if comma < 0:
        comma = refs.text.find(",", c.cue_end, sent.end)
    if comma < 0:
        return None
    first = next(iter(refs.find(comma + 1, min(sent.end, comma + 80))), None)
    if first is None or first.start - comma > 25:
        return None  # the main clause opens with its subject: "..., Berg said", "..., the Foreign Minister noted"
    return subject(refs, comma + 1, min(sent.end, comma + 80), last)


_RELATION_EMPHASISED = re.compile(
    r"^(?!.*\b(?:importance|need|necessity|significance)\b).*\b(?:relations|relationship|ties|partnership|cooperation|"
    r"friendship|alliance)\b",
    re.IGNORECASE,
)
_ACTOR_PAIR = re.compile(r"(.*?\bof)\s+(?:both\s+)?((?:the\s+)?[A-Z][\w.’'\- ]*?)\s+and\s+((?:the\s+)?[A-Z][\w.’'\- ]*)")
_ACTOR_OF = re.compile(r"^.*?\bof\s+(?:the\s+)?")


def _actor_pair(label: str, gaz: Gazetteer) -> list[str]:
    """ "defense of both Japan and the Republic of Korea": one issue per actor ("defense of Japan", "defense of the
    Republic of Korea"), or [] when the label is not of that shape."""
    m = _ACTOR_PAIR.fullmatch(label)
    if m is None or re.search(r"\b(?:between|among|amongst)\b", m.group(1)):
        return []  # "ties between the people of the United States and the PRC": one relation
    actors = [re.sub(r"^the\s+", "", x) for x in m.group(2, 3)]
    if not all(gaz.lookup(x) for x in actors) or len({gaz.lookup(x) for x in actors}) < 2:
        return []
    return [f"{m.group(1)} {x}" for x in m.group(2, 3)]


def _own_credit(refs: References, c: Clause, holder: str) -> bool:
    """ "Wang Yi highlighted China's efforts to ...": praise of the holder's own conduct is a commitment."""
    verb = _STRESS_WORD.match(refs.text, c.cue_start)
    if verb is None:
        return False  # "welcomed the United States' close cooperation with ...": welcoming stays appreciation
    first = next(iter(refs.find(verb.end(), min(c.obj_end, c.cue_end + 40))), None)
    return (
        first is not None
        and holder in first.codes
        and re.fullmatch(r"\w*\s+(?:the\s+)?", refs.text[verb.end() : first.start]) is not None
        and re.match(r"['’]s?\s", refs.text[first.end : first.end + 3]) is not None
    )


def _position(
    text: str, holder: str, stance: str, issue: str, start: int, end: int,
    target: str | None = None, beneficiary: str | None = None, concept: object | None = None,
) -> dict:  # fmt: skip
    """A GUIDE position record, its quote the exact text ``text[start:end]``."""
    return {
        "holder": holder,
        "stance": stance,
        "target": target,
        "beneficiary": beneficiary,
        "issue": issue,
        "concept": getattr(concept, "id", None),
        "quote": text[start:end],
        "start": start,
        "end": end,
    }


_ITEM_CUE = {st: next(c for c in CUES if c.stance == st) for st in ("agree", "commit", "support")}


def _list_heading(text: str, sent: Sentence, last: list[str], stances: list[str]) -> tuple[list[str], str] | None:
    """A sentence that introduces a list ("... agreed to:") gives its items a holder and a stance."""
    if not text[sent.start : sent.end].rstrip().endswith(":") or not last:
        return None
    if all(st == "topic" for st in stances):
        return None  # "An overview of the talks is as follows:": the items are sentences of their own
    stance = next((st for st in reversed(stances) if st in _ITEM_CUE), "commit")
    return list(last), stance


# Logistics, schedules and hosting are not stances (GUIDE): "will then travel to Oslo", "is expected to
# host", "will make an official trip to", "concluded a successful visit", "welcomed the visiting
# minister to the capital", "invite our guest to speak".
_MOVE = re.compile(
    r"\s*(?:(?:then|also|later|next|subsequently|now|soon)\s+)*(?:travel|head|go|leave|depart|arrive|fly|proceed|return|"
    r"continue\s+(?:on\s+)?to|(?:pay|make)\s+(?:an?\s+)?(?:\w+\s+){0,2}?(?:visit|trip|stop)|visit|attend|stop\s+in|"
    r"meet(?:\s+with)?\s+(?=(?-i:[A-Z])|his\s+counterpart|her\s+counterpart)|hold\s+talks\s+with|"
    r"host\s+(?=(?-i:[A-Z])|(?:a|an|the|his|her)\s+(?:\w+\s+){0,2}?(?:visit|meeting|talks|delegation|dinner|lunch|reception))|deliver\s+(?:a\s+)?(?:keynote\s+)?(?:speech|remarks|address))",
    re.IGNORECASE,
)
_SCHEDULED = re.compile(r"(?i)(?:is|are|was|were)\s+(?:\w+ly\s+)?(?:expected|scheduled|set|due)\s+to\b")
_OCCASION = re.compile(
    r"(?i)\s*(?:a|an|the|his|her|their)\s+(?:\w+\s+){0,2}?(?:visit|trip|tour|stay|mission|meeting|talks)\b"
)
_HOSTED = re.compile(
    r"\s*(?:[Tt]he\s+)?(?:visiting\s+)?"
    r"(?:[A-Z][\w.’'\-]*\s+|his\s+|her\s+|their\s+|delegation\s+|minister\s+|counterpart\s+)+"
    r"to\s+(?:the\s+)?(?:capital|city|country|[A-Z][a-z])(?![^.;]*\b(?:for|on)\b)"
)
_FLOOR = re.compile(
    r"(?i)\s*(?:our|the|my)\s+(?:\w+\s+){0,2}?to\s+(?:speak|make\s+(?:his|her|their)\s+remarks|take\s+the\s+floor|the\s+podium)"
)


# "welcomed the pledge by Minister Varga to reopen the consulate", "welcomed Hungary's readiness
# to mediate": the other actor's own commitment, reported inside the stance (GUIDE: its holder)
_EMBEDDED = re.compile(
    r"\s*(?:the\s+)?(?:(?P<poss>[^,;.]{2,60}?)['’]s?\s+)?(?:declared\s+|stated\s+|expressed\s+|renewed\s+)?"
    r"(?:pledge|commitment|decision|willingness|readiness|intention|promise|offer|determination)"
    r"(?:\s+(?:by|of)\s+(?P<by>[^,;.]{2,60}?))?\s+to\s+(?P<act>[a-z][^,;.]{2,160})"
)


def _embedded_commitment(
    text: str, c: Clause, refs: References, sent: Sentence, holder: list[str] | None,
    positions: list[dict], seen: set[tuple[str, str, str]],
) -> None:  # fmt: skip
    m = _EMBEDDED.match(text, c.cue_end, c.obj_end)
    if not m:
        return
    who = (m.group("by") and (m.start("by"), m.end("by"))) or (m.group("poss") and (m.start("poss"), m.end("poss")))
    if not who:
        return
    found = [r for r in refs.find(*who) if r.kind not in ("pronoun", "we", "plural") and r.codes]
    code = found[0].codes[0] if found else None
    if code is None or (holder and code in holder):
        return
    label = label_of(text, m.start("act"), m.end("act"), "commit")
    key = (code, "commit", label.lower())
    if not label or key in seen:
        return
    seen.add(key)
    start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
    positions.append(_position(text, code, "commit", label, start, c.obj_end))


def _logistics(text: str, c: Clause) -> bool:
    cue = text[c.cue_start : c.cue_end].lower()
    obj = text[c.cue_end : c.obj_end]
    wish = c.stance == "hope" and re.search(r"look|invit|hope|wish", cue) is not None
    if c.stance in ("commit", "hope") and (
        (_MOVE.match(obj) and not wish) or _SCHEDULED.search(text, max(c.clause_start, c.cue_start - 30), c.cue_end + 4)
    ):
        return True  # "will travel to Quito" (but "looked forward to visiting China", "an invitation to visit" are hopes)
    if c.stance == "agree" and re.match(r"conclud|finali", cue) and _OCCASION.match(obj):
        return True
    if c.stance == "appreciate" and cue.startswith("welcom") and _HOSTED.match(obj):
        return True
    return c.stance == "hope" and cue.startswith("invit") and _FLOOR.match(obj) is not None


_PASSIVE = re.compile(
    r"(?i)(?:was|were|has\s+been|have\s+been)\s|concerns?\s+(?:was|were)\s|(?:a|an)\s+(?:\w+\s+)?(?:call|appeal)\s+(?:was|were)\s"
)
_WE_WORD = re.compile(r"(?i)\b(?:we|our|us)\b")


_OFFICE = re.compile(r"(?i)\s+(?:secretary[\s-]general|chief|head|president|chair(?:man|person)?|spokes\w+|envoy)\b")


def _other_participant(refs: References, a: int, b: int, speaker: list[str]) -> bool:
    """Whether the subject reported after a speech verb is another participant by name or office
    ("He said the OIC secretary general appreciated ..."): that participant holds the stance."""
    found = [r for r in refs.find(a, b) if r.kind != "pronoun"]
    if not found:
        return False
    r = found[0]
    office = r.kind == "state" and r.codes[0].startswith("ORG:") and _OFFICE.match(refs.text, r.end, r.end + 24)
    # "her Australian counterpart": the participant of that state
    office = office or (r.kind in ("state", "demonyms") and re.match(r"\s+counterparts?\b", refs.text[r.end : r.end + 14]))
    return (r.kind in ("person", "title") or bool(office)) and not set(r.codes) & set(speaker)


_MODAL_WORD = re.compile(r"\b(?:should|must|need\s+to|ought\s+to)\b")


def _joint_subject(refs: References, c: Clause, start: int, subj: list[str] | None, speaker: list[str]) -> bool:
    """Whether reported speech names a subject that joins the speaker to others ("said that she and
    her counterpart agreed", "said both sides agreed", "said both Malaysia and Russia underscored"):
    then all of them hold it; a speaker's own "we" stays the speaker's (GUIDE), and so does a
    prescription for "both sides"."""
    if subj is None or not set(speaker) < set(subj) or _WE_WORD.search(refs.text, start, c.cue_start) is not None:
        return False
    if c.stance == "agree":
        return True
    named = [r for r in refs.find(start, c.cue_start) if r.kind in ("state", "person", "title")]
    return len({code for r in named for code in r.codes}) >= 2 and not _MODAL_WORD.search(refs.text, start, c.cue_end)


def _subject_start(text: str, c: Clause, previous: Clause | None = None) -> int:
    """Where the clause's subject starts: the subject of an evaluation ("X is unacceptable") said
    without "that" is what the speech verb's object held ("Berg said the blockade is ...")."""
    s = c.clause_start
    if previous is not None and not text[s : c.cue_start].strip() and previous.cue_end <= c.cue_start:
        s = previous.cue_end
    m = re.match(r"[\s,;]*(?:(?:and|but|that|while)\s+)*", text[s : c.cue_start])
    return s + (m.end() if m else 0)


def _quote_start(text: str, c: Clause, sent: Sentence) -> int:
    s = c.clause_start
    m = re.match(r"[\s,;]*(?:(?:and|but|while|whereas)\s+)?", text[s : c.cue_start])
    if m:
        s += m.end()
    return max(s, sent.start)
