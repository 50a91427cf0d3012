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

from kg.extract.clauses import VAGUE, Clause, clauses, split_items
from kg.extract.cues import CUES
from kg.extract.meeting import Meeting
from kg.extract.labels import NOUN_CUE, label_of, not_an_issue, shared_head, with_concept
from kg.extract.references import References, has_other_subject, subject
from kg.extract.text import BULLET, Sentence
from kg.gazetteer import Gazetteer
from kg.issues import vocabulary


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
            subj = subject(refs, c.clause_start, c.cue_start, last)
            if c.stance == "speech":
                if subj:
                    speaker = subj
                    refs.speaker = subj
                    last = subj
                in_speech = True
                holder = speaker or holder
                continue
            if subj is None and c.stance != "topic" and has_other_subject(text, c.clause_start, c.cue_start, c.cue):
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
                else split_items(
                    text, c.cue_end, c.obj_end, pairs=c.stance == "topic", parallel=c.stance not in ("support", "oppose")
                )
            )
            for s, e in spans:
                label = label_of(text, s, e, c.stance)
                if (
                    label
                    and not text[c.cue_end : s].strip()
                    and gaz.lookup(re.sub(r"^the\s+", "", label))
                    and NOUN_CUE.search(text, c.cue_start, c.cue_end)
                ):
                    # "the U.S. extended deterrence commitment to the ROK": the commitment is the issue
                    before = text[max(c.clause_start, c.cue_start - 80) : c.cue_start].split()[-4:]
                    label = label_of(text, c.cue_start - len(" ".join(before)) - 1 if before else c.cue_start, e)
                concept = vocab.match(text, s, e)
                if concept is not None and label:
                    label = with_concept(text, s, e, label, concept)
                if not label or VAGUE.match(label) or len(label) < 3 or not_an_issue(label, gaz, refs):
                    continue
                for one in shared_head(label) if c.stance != "topic" else [label]:
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
