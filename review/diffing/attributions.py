"""Attribution changes between two revisions: the loudest signal of a correction.

Pure: plain strings and dicts. Attributions are paired by content (an
inverted index of rare content words, plus the attributions in sentences the
alignment paired); same content with another speaker is ``speaker-changed``,
then ``cue-changed``, ``content-changed``, ``added``, ``removed``.
docs/DIFF.md describes the rules.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from review.diffing import folding
from review.diffing.align import INDEX_CANDIDATES, INDEX_WORDS
from review.diffing.folding import PART_CONTAINMENT, WORD_RE

#: Same content (for a speaker or cue change): content similarity at least this.
SAME_CONTENT = 0.8
#: Same speaker and cue, content edited: content similarity at least this. Also
#: the bar for a speaker change when both attributions sit in sentences the
#: alignment paired (a correction that fixes the speaker and touches the quote).
EDITED_CONTENT = 0.5
#: Ranking bonus of a candidate pair that sits in aligned sentences.
ALIGNED_BONUS = 0.25
#: A content span that grew over a neighbouring attribution (the extractor's
#: doing, not an edit) is the same content when what both share has this many
#: words at least.
OVERREACH_MIN_WORDS = 3

#: Courtesy titles dropped when speakers are compared ("Mr Smith" is "Smith").
HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof sir dame lord lady rev fr m mme mlle herr frau sr sra".split()
)

Span = dict[str, Any]
#: Aligned sentence groups as character ranges: ((old start, old end), (new start, new end)).
SentencePairs = Sequence[tuple[tuple[int, int], tuple[int, int]]]


def _span(text: str, span: Mapping[str, Any] | None) -> Span | None:
    if not span:
        return None
    start, end = int(span["start"]), int(span["end"])
    if 0 <= start <= end <= len(text):
        quoted = text[start:end]
    else:
        quoted = str(span.get("text", ""))
    return {"start": start, "end": end, "text": quoted}


_DOUBLED_RE = re.compile(r"(.)\1+")


def _name_word(word: str) -> str:
    """A word of a name under transliteration folding.

    Accents dropped, ``y`` read as ``i``, doubled letters single: "Zelenskiy",
    "Zelensky" and "Zelenskyy" are one name, as are "Sánchez" and "Sanchez";
    "Schulz" and "Scholz" stay two.
    """
    if not word.isascii():
        word = "".join(
            c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
        )
    return _DOUBLED_RE.sub(r"\1", word.replace("y", "i"))


def _person_key(name: str) -> str | None:
    """A speaker's identity: case-folded words, without courtesy titles and
    figures ("about 1,200 farms" is "about 1,400 farms" once corrected), each
    word under transliteration folding."""
    words = WORD_RE.findall(folding.match_key(name).casefold())
    while len(words) > 1 and words[0] in HONORIFICS:
        words.pop(0)
    if any(not word.isdigit() for word in words):
        words = [word for word in words if not word.isdigit()]
    return " ".join(_name_word(word) for word in words) or None


def _speaker_identity(attribution: Mapping[str, Any], speaker: Span | None) -> str | None:
    name = attribution.get("speaker_name")
    if name and _person_key(str(name)):
        return _person_key(str(name))
    if speaker is not None:
        return _person_key(speaker["text"])
    return None


def _same_speaker(a: str | None, b: str | None) -> bool:
    """Same person: equal identities, or one a part of the other ("Zelensky")."""
    if a is None or b is None:
        return a is b
    if a == b:
        return True
    words_a, words_b = a.split(), b.split()
    shorter, longer = sorted((words_a, words_b), key=len)
    return len(shorter) < len(longer) and set(shorter) <= set(longer)


class _Attribution:
    def __init__(self, text: str, raw: Mapping[str, Any], order: int) -> None:
        self.order = order
        self.speaker = _span(text, raw.get("speaker"))
        self.cue = _span(text, raw.get("cue"))
        self.content = _span(text, raw.get("content"))
        self.who = _speaker_identity(raw, self.speaker)
        self.cue_key = folding.match_key(self.cue["text"]).casefold() if self.cue else ""
        self.content_key = folding.match_key(self.content["text"]) if self.content else ""
        self.words = folding.words(self.content_key)
        self.start = min(
            (span["start"] for span in (self.speaker, self.cue, self.content) if span), default=0
        )
        self.group = -1  # the aligned sentence group it sits in, if any
        self.nested = False  # its content span holds another one's speaker or cue

    def spans(self) -> dict[str, Span | None]:
        return {"speaker": self.speaker, "cue": self.cue, "content": self.content}


def _mark_nested(attributions: Sequence[_Attribution]) -> None:
    """Flag content spans that run over another attribution's speaker or cue."""
    marks = sorted(
        (span["start"], n)
        for n, attribution in enumerate(attributions)
        for span in (attribution.speaker, attribution.cue)
        if span
    )
    starts = [start for start, _ in marks]
    for n, attribution in enumerate(attributions):
        content = attribution.content
        if not content:
            continue
        low = bisect_left(starts, content["start"])
        high = bisect_left(starts, content["end"])
        attribution.nested = any(marks[k][1] != n for k in range(low, high))


def _mark_groups(attributions: Sequence[_Attribution], ranges: Sequence[tuple[int, int]]) -> None:
    """Give each attribution the index of the aligned range it starts in."""
    order = sorted(range(len(ranges)), key=lambda k: ranges[k])
    starts = [ranges[k][0] for k in order]
    for attribution in attributions:
        position = bisect_right(starts, attribution.start) - 1
        if position >= 0 and attribution.start < ranges[order[position]][1]:
            attribution.group = order[position]


def _overreach(old: _Attribution, new: _Attribution) -> bool:
    """One content is the other plus text over a neighbouring attribution."""
    shorter, longer = sorted((old, new), key=lambda a: len(a.content_key))
    if not longer.nested or len(WORD_RE.findall(shorter.content_key)) < OVERREACH_MIN_WORDS:
        return False
    return longer.content_key.startswith(shorter.content_key) or longer.content_key.endswith(
        shorter.content_key
    )


def _change_parts(old: _Attribution, new: _Attribution, same_content: bool) -> list[str]:
    parts = []
    if not _same_speaker(old.who, new.who):
        parts.append("speaker")
    if old.cue_key != new.cue_key:
        parts.append("cue")
    if not same_content:
        parts.append("content")
    return parts


def _change_kind(
    old: _Attribution, new: _Attribution, content: float, aligned: bool = False
) -> str | None:
    """How a candidate pair differs, or None when it is not a plausible pair."""
    if not _same_speaker(old.who, new.who):
        bar = EDITED_CONTENT if aligned else SAME_CONTENT
        return "speaker-changed" if content >= bar else None
    if old.cue_key != new.cue_key and content >= SAME_CONTENT:
        return "cue-changed"
    if old.content_key != new.content_key or old.cue_key != new.cue_key:
        if content >= EDITED_CONTENT:
            return "content-changed"
        # a sentence split (or merged) with its attribution: same speaker and
        # cue in the paired sentences, one content mostly inside the other
        if aligned and old.cue_key == new.cue_key and _part_of(old.words, new.words):
            return "content-changed"
        return None
    return "unchanged"


def _part_of(a: frozenset[str], b: frozenset[str]) -> bool:
    """The smaller word set shares at least half its words (and three) with the other."""
    smaller, larger = sorted((a, b), key=len)
    shared = len(smaller & larger)
    return shared >= OVERREACH_MIN_WORDS and shared >= PART_CONTAINMENT * len(smaller)


def attribution_changes(
    old_text: str,
    old_attrs: Sequence[Mapping[str, Any]],
    new_text: str,
    new_attrs: Sequence[Mapping[str, Any]],
    *,
    sentence_pairs: SentencePairs | None = None,
) -> list[dict[str, Any]]:
    """Attributions added, removed or changed between two revisions.

    Pairs attributions by content; same content with another speaker is
    ``speaker-changed``, then ``cue-changed``, ``content-changed``, ``added``,
    ``removed``. Unchanged attributions are not listed. Speaker changes come
    first, the rest in text order. A paired change also lists ``parts``, the
    parts that differ (``speaker``, ``cue``, ``content``).

    ``sentence_pairs`` (character ranges of the sentences the alignment
    paired, as ``diff_document`` passes them) makes attributions sitting in
    paired sentences preferred partners, and lets a speaker change there come
    with an edited quote. Quote marks, dashes and whitespace never count as an
    edit; a content span that only grew over a neighbouring attribution is the
    same content.
    """
    olds = [_Attribution(old_text, raw, n) for n, raw in enumerate(old_attrs)]
    news = [_Attribution(new_text, raw, n) for n, raw in enumerate(new_attrs)]
    _mark_nested(olds)
    _mark_nested(news)
    by_group = _by_group(olds, news, sentence_pairs)
    return _pair_greedily(olds, news, _proposals(olds, news, by_group))


# A candidate pair: (-score, rank, distance, old * len(news) + new, kind, same content).
_Proposal = tuple[float, int, int, int, str, bool]


def _by_group(
    olds: Sequence[_Attribution], news: Sequence[_Attribution], sentence_pairs: SentencePairs | None
) -> dict[int, list[int]]:
    """Mark each attribution's aligned sentence group; the new ones by group."""
    by_group: dict[int, list[int]] = defaultdict(list)
    if sentence_pairs:
        _mark_groups(olds, [old for old, _ in sentence_pairs])
        _mark_groups(news, [new for _, new in sentence_pairs])
        for n, attribution in enumerate(news):
            if attribution.group >= 0:
                by_group[attribution.group].append(n)
    return by_group


def _proposals(
    olds: Sequence[_Attribution], news: Sequence[_Attribution], by_group: Mapping[int, list[int]]
) -> list[_Proposal]:
    """Every plausible (old, new) pair, best first."""
    postings: dict[str, list[int]] = defaultdict(list)
    for n, attribution in enumerate(news):
        for word in attribution.words:
            postings[word].append(n)
    proposals: list[_Proposal] = []
    for o, old in enumerate(olds):
        for n in _candidates(old, news, postings, by_group):
            proposal = _proposal(o, old, n, news[n], len(news))
            if proposal is not None:
                proposals.append(proposal)
    proposals.sort()
    return proposals


def _candidates(
    old: _Attribution,
    news: Sequence[_Attribution],
    postings: Mapping[str, list[int]],
    by_group: Mapping[int, list[int]],
) -> list[int]:
    """New attributions sharing the most of ``old``'s rarest content words, and
    those in its aligned sentence group."""
    votes: Counter[int] = Counter()
    for word in sorted(old.words, key=lambda w: (len(postings.get(w, ())), w))[:INDEX_WORDS]:
        votes.update(postings.get(word, ()))
    if not old.words:  # empty content: only an identical one can match
        votes.update(n for n, new in enumerate(news) if not new.words)
    candidates = {n for n, _ in votes.most_common(INDEX_CANDIDATES * 2)}
    if old.group >= 0:
        candidates.update(by_group.get(old.group, ()))
    return sorted(candidates)


def _proposal(o: int, old: _Attribution, n: int, new: _Attribution, width: int) -> _Proposal | None:
    """How ``old`` and ``new`` would pair, or None when they are no pair."""
    same_content = old.content_key == new.content_key or _overreach(old, new)
    content = 1.0 if same_content else folding.dice(old.words, new.words)
    aligned = old.group >= 0 and old.group == new.group
    kind = _change_kind(old, new, content, aligned)
    if kind is None:
        return None
    if kind == "content-changed" and same_content and old.cue_key == new.cue_key:
        kind = "unchanged"
    rank = 0 if kind == "unchanged" else 1
    # a speaker change that only the alignment makes plausible ranks
    # after pairs that keep their speaker
    weak = kind == "speaker-changed" and content < SAME_CONTENT
    score = content + (ALIGNED_BONUS if aligned and not weak else 0.0)
    distance = abs(old.order - new.order)
    return (-score, rank, distance, o * width + n, kind, same_content)


def _pair_greedily(
    olds: Sequence[_Attribution], news: Sequence[_Attribution], proposals: Sequence[_Proposal]
) -> list[dict[str, Any]]:
    """Take the proposals best first, each attribution once; the rest are removed
    or added. Speaker changes first, then the rest in text order."""
    old_done = [False] * len(olds)
    new_done = [False] * len(news)
    changes: list[tuple[int, int, dict[str, Any]]] = []  # (group, position, change)
    for _, _, _, flat, kind, same_content in proposals:
        o, n = divmod(flat, len(news))
        if old_done[o] or new_done[n]:
            continue
        old_done[o] = new_done[n] = True
        if kind != "unchanged":
            group = 0 if kind == "speaker-changed" else 1
            change = {
                "kind": kind,
                "old": olds[o].spans(),
                "new": news[n].spans(),
                "parts": _change_parts(olds[o], news[n], same_content),
            }
            changes.append((group, news[n].start, change))
    for o, old in enumerate(olds):
        if not old_done[o]:
            changes.append((1, old.start, {"kind": "removed", "old": old.spans(), "new": None}))
    for n, new in enumerate(news):
        if not new_done[n]:
            changes.append((1, new.start, {"kind": "added", "old": None, "new": new.spans()}))
    changes.sort(key=lambda item: (item[0], item[1]))
    return [change for _, _, change in changes]
