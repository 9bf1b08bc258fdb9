"""Negate an English sentence, or say why not: auxiliary + "not", or do-support.

The main verb is the first finite verb of the main clause: an auxiliary or copula
(``was`` -> ``was not``, ``can`` -> ``cannot``, ``has shown`` -> ``has not shown``), or a
lexical verb in the past or present (``reduced`` -> ``did not reduce``, ``reduces`` ->
``does not reduce``, ``results show`` -> ``results do not show``), its base form from a
small lemmatizer checked against a lexicon of verbs (:data:`VERBS`, read from ``verbs.txt``,
which :func:`verb_lexicon` derives from the corpora).  A sentence that is already
negative loses its one ``not`` after an auxiliary (``is not`` -> ``is``).

Whatever the rules cannot read safely is skipped with a reason rather than garbled: a
subordinate clause or relative pronoun before the verb, a quantified or numeric subject
("Some patients ..." negated is not the opposite), a hedging modal (``may not`` does not
deny ``may``), two candidate verbs in one clause (a reduced relative), other negators.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

__all__ = ["VERBS", "Negation", "base_form", "load_verbs", "negate", "verb_lexicon"]

VERBS_FILE = Path(__file__).resolve().parent / "verbs.txt"

BE = {"is", "are", "was", "were", "am"}
HAVE = {"has", "have", "had"}
DO = {"does", "do", "did"}
MODALS_NEGATABLE = {"will", "would", "should", "must", "shall"}
MODALS_HEDGED = {"may", "might", "could"}
AUXILIARIES = BE | HAVE | DO | MODALS_NEGATABLE | MODALS_HEDGED | {"can", "cannot"}
NEGATORS = {
    "not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "without", "cannot",
    "hardly", "barely", "scarcely", "fail", "fails", "failed", "lack", "lacks", "lacked",
    "lacking", "absence", "absent", "unable", "nonsignificant", "insignificant",
}  # fmt: skip
SUBORDINATORS = {
    "that", "which", "who", "whom", "whose", "where", "when", "whenever", "while", "whereas",
    "although", "though", "because", "if", "unless", "since", "as", "after", "before", "once",
    "until", "whether", "what", "how", "why", "so",
}  # fmt: skip
QUANTIFIERS = {
    "all", "some", "many", "most", "several", "few", "both", "each", "every", "only",
    "either", "neither", "any", "certain", "various", "numerous", "majority", "minority",
    "subset", "proportion", "number", "half", "part", "one", "two", "three", "four", "five",
}  # fmt: skip
# Adverbs that make "not" read oddly or change what it denies ("not also", "not only").
AWKWARD_ADVERBS = {"also", "only", "still", "even", "already", "further", "just", "again"}
# Words after which a word is not a finite verb ("the increased risk", "to reduce").
NOT_BEFORE_VERB = {
    "the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "his", "her",
    "my", "your", "of", "in", "on", "at", "by", "for", "to", "from", "with", "without", "into",
    "onto", "upon", "via", "and", "or", "but", "nor", "as", "than", "more", "most", "less",
    "least", "very", "well", "not", "no", "be", "been", "being", "is", "are", "was", "were",
    "has", "have", "had", "do", "does", "did", "can", "could", "may", "might", "will",
    "would", "should", "must", "shall", "such", "same", "other", "each", "every", "any",
    "some", "all", "both", "either", "new", "newly", "highly", "poorly", "previously",
    "recently", "commonly", "widely", "frequently", "well-", "non", "among", "between",
    "within", "during", "after", "before", "over", "under", "about", "against", "across",
    "per", "if", "which", "who", "whose", "whom", "what", "when", "where", "while", "whereas",
    "often", "then", "first", "never", *AWKWARD_ADVERBS,
}  # fmt: skip
IRREGULAR_PAST = {
    "found": "find", "showed": "show", "had": "have", "made": "make", "led": "lead",
    "took": "take", "gave": "give", "became": "become", "began": "begin", "brought": "bring",
    "came": "come", "felt": "feel", "grew": "grow", "held": "hold", "kept": "keep",
    "knew": "know", "left": "leave", "lost": "lose", "met": "meet", "paid": "pay", "ran": "run",
    "said": "say", "saw": "see", "sought": "seek", "sent": "send", "spent": "spend",
    "stood": "stand", "thought": "think", "told": "tell", "understood": "understand",
    "went": "go", "won": "win", "wrote": "write", "fell": "fall", "rose": "rise",
    "drove": "drive", "got": "get", "underwent": "undergo", "taught": "teach", "built": "build",
    "chose": "choose", "arose": "arise", "bound": "bind", "drew": "draw", "ate": "eat",
    "forgot": "forget", "hid": "hide", "overcame": "overcome", "shook": "shake", "spoke": "speak",
    "struck": "strike", "swam": "swim", "threw": "throw", "withdrew": "withdraw", "wore": "wear",
}  # fmt: skip
PARTICIPLES = {
    "been", "shown", "known", "found", "given", "taken", "seen", "made", "done", "grown",
    "drawn", "written", "chosen", "proven", "begun", "become", "held", "led", "kept", "left",
    "lost", "met", "brought", "thought", "sought", "taught", "built", "sent", "spent",
    "understood", "undergone", "arisen", "risen", "fallen", "driven", "got", "gotten", "had",
    "said", "run", "set", "put", "cut", "spread", "read", "bound", "withdrawn", "worn",
}  # fmt: skip
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*|[^\sA-Za-z0-9]")
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def load_verbs(path: Path = VERBS_FILE) -> frozenset[str]:
    """The base forms of verbs listed in ``path`` (one a line, ``#`` comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


VERBS = load_verbs()
"""Base forms of English verbs, derived from the SciFact and Check-COVID abstracts."""


def _past_candidates(word: str) -> list[str]:
    if word in IRREGULAR_PAST:
        return [IRREGULAR_PAST[word]]
    if not word.endswith("ed") or len(word) < 5:
        return []
    out = []
    if word.endswith("ied"):
        out.append(word[:-3] + "y")
    out += [word[:-1], word[:-2]]
    if len(word) > 5 and word[-3] == word[-4]:
        out.append(word[:-3])  # stopped -> stop
    return out


def _third_person_candidates(word: str) -> list[str]:
    if not word.endswith("s") or word.endswith(("ss", "us", "is")) or len(word) < 4:
        return []
    if word.endswith("ies"):
        return [word[:-3] + "y"]
    out = [word[:-1]]
    if word.endswith("es"):
        out.append(word[:-2])
    return out


def base_form(word: str, verbs: frozenset[str] = VERBS) -> tuple[str, str] | None:
    """The base form and tense (``past`` or ``present``) of a finite verb form, if known."""
    lower = word.lower()
    for base in _past_candidates(lower):
        if base in verbs:
            return base, "past"
    for base in _third_person_candidates(lower):
        if base in verbs:
            return base, "present"
    return None


def verb_lexicon(texts: Iterable[str], least: int = 2) -> frozenset[str]:
    """Words used as verbs in ``texts``: after "to", a modal or "not" at least ``least``
    times, and seen with a past-tense ending (or an irregular past) as well."""
    after: Counter[str] = Counter()
    words: set[str] = set()
    for text in texts:
        tokens = _WORD.findall(text.lower())
        words.update(tokens)
        for before, word in pairwise(tokens):
            if before in ("to", "can", "will", "would", "should", "must", "may", "might", "not"):
                after[word] += 1
    irregular = set(IRREGULAR_PAST.values())
    out = set()
    for word, count in after.items():
        if count < least or len(word) < 3 or word in NOT_BEFORE_VERB or word in AUXILIARIES:
            continue
        pasts = {word + "ed", word + "d", word[:-1] + "ied", word + word[-1] + "ed"}
        if word in irregular or pasts & words:
            out.add(word)
    return frozenset(out)


@dataclass(frozen=True)
class Negation:
    """A negated sentence (``text``), or None with the reason it was skipped (``note``)."""

    text: str | None
    note: str


def _skip(reason: str) -> Negation:
    return Negation(None, reason)


def _is_word(token: str) -> bool:
    return token[:1].isalnum()


def _nominal(token: str) -> bool:
    """Whether a finite verb may follow ``token`` (a noun, a name, a number, a bracket)."""
    return (_is_word(token) and token.lower() not in NOT_BEFORE_VERB) or token == ")"


def _lexical(tokens: list[str], i: int, verbs: frozenset[str]) -> tuple[str, str] | None:
    """The base form and do-support of ``tokens[i]`` when it reads as a finite lexical verb."""
    j = i - 1
    while j >= 0 and tokens[j].lower().endswith("ly") and tokens[j].lower() not in ("only",):
        j -= 1  # "X significantly reduced"
    if j < 0 or not _nominal(tokens[j]):
        return None
    word = tokens[i]
    if not word.replace("-", "").isalpha() or not word.islower():  # "cross-reacts" is a verb
        return None
    found = base_form(word, verbs)
    if found is not None:
        base, tense = found
        return base, "did" if tense == "past" else "does"
    previous = tokens[j].lower()
    if word in verbs and previous.endswith("s") and not previous.endswith(("ss", "us", "is")):
        return word, "do"  # "Results show", "Statins reduce"
    return None


def _participle(word: str) -> bool:
    lower = word.lower()
    return lower in PARTICIPLES or (lower.endswith(("ed", "en")) and len(lower) > 4)


def negate(sentence: str, verbs: frozenset[str] = VERBS) -> Negation:
    """``sentence`` with its main verb negated, or why it cannot be done safely."""
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(sentence)]
    tokens = [sentence[s:e] for s, e in spans]
    lower = [t.lower() for t in tokens]
    if any(t.endswith(("n't", "n’t")) for t in lower):
        return _skip("already negative")
    start = 0  # where the subject begins (after one fronted adverbial phrase)
    target: int | None = None
    lexical: tuple[str, str] | None = None
    for i, word in enumerate(lower):
        if word in (",", "(") and target is None:
            if word == "," and start == 0 and i > 0:
                start = i + 1
            continue
        if word in SUBORDINATORS:
            return _skip(f"'{tokens[i]}' before the main verb")
        if i > start and word in AUXILIARIES:
            target = i
            break
        if i > start:
            lexical = _lexical(tokens, i, verbs)
            if lexical is not None:
                target = i
                break
    if target is None:
        return _skip("no main verb found")
    subject = lower[start:target]
    if (
        not subject
        or subject[0] in QUANTIFIERS
        or (subject[0] == "a" and len(subject) > 1 and subject[1] in QUANTIFIERS)
    ):
        return _skip("quantified or missing subject")
    if any(t.isdigit() or t == "%" for t in subject):
        return _skip("numeric subject")
    # A second verb in the same clause: the first was a participle ("Patients treated
    # with X were ...") when it is an -ed form and the second an auxiliary, else unclear.
    for k in range(target + 1, len(tokens)):
        word = lower[k]
        if word in SUBORDINATORS or word == ";":
            break
        if word in ("and", "or", "but") and k + 1 < len(tokens):
            following = lower[k + 1]
            if following in AUXILIARIES or (
                tokens[k + 1].islower() and base_form(following, verbs) is not None
            ):
                return _skip("coordinated verbs")  # "not" would deny only the first
        second = word in AUXILIARIES or _lexical(tokens, k, verbs) is not None
        if not second:
            continue
        if lexical is not None and word in AUXILIARIES and _participle(tokens[target]):
            if any(w in SUBORDINATORS for w in lower[target:k]):
                break
            target, lexical = k, None
            continue
        if lexical is None and k == target + 1:
            continue  # "has shown", "will reduce"
        if (
            lexical is None
            and _participle(tokens[k])
            and lower[k - 1]
            in (AUXILIARIES | {"not", "been", "be"})
            | {t for t in lower[target:k] if t.endswith("ly")}
        ):
            continue
        return _skip("two verbs in one clause")
    word = lower[target]
    after = lower[target + 1] if target + 1 < len(lower) else ""
    others = [
        t for k, t in enumerate(lower) if t in NEGATORS and not (k == target + 1 and t == "not")
    ]
    if word == "cannot" or after == "not":
        if others or word in DO or word in MODALS_HEDGED:
            return _skip("negative in a way the rules do not undo")
        if word == "cannot":
            s, e = spans[target]
            return Negation(sentence[:s] + tokens[target][:3] + sentence[e:], "cannot -> can")
        s = spans[target][1]
        e = spans[target + 1][1]
        return Negation(sentence[:s] + sentence[e:], f"{word} not -> {word}")
    if others:
        return _skip(f"already negative ('{others[0]}')")
    if after in AWKWARD_ADVERBS:
        return _skip(f"'{word} {after}'")
    s, e = spans[target]
    if lexical is not None:
        base, support = lexical
        first = target
        while first > start and lower[first - 1].endswith("ly"):
            first -= 1
        if any(t in AWKWARD_ADVERBS for t in lower[first:target]):
            return _skip("an adverb 'not' would change")
        fs = spans[first][0]
        text = f"{sentence[:fs]}{support} not {sentence[fs:s]}{base}{sentence[e:]}"
        return Negation(text, f"{tokens[target]} -> {support} not {base}")
    if word in MODALS_HEDGED:
        return _skip(f"hedged modal '{word}'")
    if word == "can":
        return Negation(f"{sentence[:s]}{tokens[target]}not{sentence[e:]}", "can -> cannot")
    if word in HAVE and not (after == "been" or _participle(after)):
        support = {"has": "does", "have": "do", "had": "did"}[word]
        return Negation(
            f"{sentence[:s]}{support} not have{sentence[e:]}", f"{word} -> {support} not have"
        )
    if word in DO and (after not in verbs):
        return _skip(f"'{word}' as a main verb")
    return Negation(f"{sentence[:e]} not{sentence[e:]}", f"{word} -> {word} not")
