"""Word forms from lemmas, for cues written once and matched in every form.

In: lemmas ("reaffirm", "emphasise", "concern"). Out: regular-expression alternations of every
inflection lemminflect knows (base, present, past, participle, gerund; singular and plural),
British and American spellings of -ise/-ize verbs both, longest first, lower-case (the cues run
on lower-cased text). lemminflect ships its tables in the package: nothing is downloaded.
"""

from __future__ import annotations

import re
from functools import cache

from lemminflect import getAllInflections, getAllInflectionsOOV, getAllLemmas

_VERB_TAGS = ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ")


def _spellings(lemma: str) -> list[str]:
    """The lemma and its other spelling (-ise/-ize, -our/-or)."""
    out = [lemma]
    if lemma.endswith("ize"):
        out.append(lemma[:-3] + "ise")
    elif lemma.endswith("ise") and len(lemma) > 5:
        out.append(lemma[:-3] + "ize")
    if lemma.endswith("our"):
        out.append(lemma[:-3] + "or")
    return out


@cache
def verb_forms(lemma: str, *, ing: bool = True) -> frozenset[str]:
    """Every form of the verb ``lemma`` (a phrasal verb's first word inflected: "point out")."""
    head, _, rest = lemma.partition(" ")
    forms: set[str] = set()
    for spelling in _spellings(head):
        table = getAllInflections(spelling, upos="VERB") or getAllInflectionsOOV(spelling, upos="VERB")
        forms.add(spelling)
        for tag in _VERB_TAGS:
            if tag == "VBG" and not ing:
                continue
            forms.update(table.get(tag, ()))
    return frozenset(f"{f} {rest}" if rest else f for f in forms)


@cache
def noun_forms(lemma: str) -> frozenset[str]:
    """The noun ``lemma`` in the singular and the plural."""
    forms = {lemma}
    # the tables' own forms, and the regular plural besides: the tables call some count nouns uncountable
    # ("congratulation", whose plural "congratulations" is the usual form)
    for table in (getAllInflections(lemma, upos="NOUN"), getAllInflectionsOOV(lemma, upos="NOUN")):
        for tag in ("NN", "NNS"):
            forms.update(table.get(tag, ()))
    return frozenset(forms)


def _alternation(forms: set[str]) -> str:
    """One regex for the words, factored as a trie ("reaffirm(?:ed|ing|s)?"): the engine tries
    each prefix once instead of each word (the cues' forms made the scan a third slower)."""
    trie: dict[str, dict] = {}
    for word in forms:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return "(?:" + _trie_regex(trie) + ")"


def _trie_regex(node: dict[str, dict]) -> str:
    ends = "" in node
    branches = [(r"\s+" if ch == " " else re.escape(ch)) + _trie_regex(sub) for ch, sub in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


def V(lemmas: str, *, ing: bool = True) -> str:
    """A regex matching every form of each verb in ``lemmas`` ("reaffirm reiterate point_out":
    an underscore joins a phrasal verb's words)."""
    forms: set[str] = set()
    for lemma in lemmas.split():
        forms |= verb_forms(lemma.replace("_", " "), ing=ing)
    return _alternation(forms)


def N(lemmas: str) -> str:
    """A regex matching each noun in ``lemmas``, singular or plural."""
    forms: set[str] = set()
    for lemma in lemmas.split():
        forms |= noun_forms(lemma.replace("_", " "))
    return _alternation(forms)


def W(words: str) -> str:
    """A regex matching one of ``words`` as written (underscores join words of a phrase)."""
    return _alternation({w.replace("_", " ") for w in words.split()})


@cache
def parts_of_speech(word: str) -> frozenset[str]:
    """The parts of speech lemminflect knows for ``word`` ("NOUN", "VERB", "ADJ" ...), lower-cased
    word in; empty when it knows none."""
    return frozenset(getAllLemmas(word.lower()))


@cache
def lemmas(word: str, pos: str) -> tuple[str, ...]:
    """The lemmas of ``word`` as part of speech ``pos`` ("islands", "NOUN" -> ("island",))."""
    return tuple(getAllLemmas(word.lower()).get(pos, ()))


def is_base_verb(word: str) -> bool:
    """Whether ``word`` is a verb's base form ("expand", "modernise", "review")."""
    return word.lower() in lemmas(word, "VERB")


@cache
def only_verb(word: str) -> bool:
    """A base-form verb that is no noun or adjective too ("expand", not "review" or "trade")."""
    return is_base_verb(word) and parts_of_speech(word) == frozenset({"VERB"})
