"""Sentence-level alignment of two revisions, word-level diffs inside sentences.

Pure module: plain strings and dicts in and out, no Django, no spaCy.

The alignment is near-linear in the number of sentences:

1. exact matches (sentence hashes with whitespace, quote marks and dashes
   folded: a typographic edit still anchors, as "changed"), patience style:
   sentences unique on both sides anchor the alignment, the longest increasing
   run of anchors is kept in place ("equal"), anchors off that run are "moved";
   the gaps between kept anchors are aligned recursively the same way;
2. leftover duplicate sentences are matched in place when the gap allows it,
   otherwise as moves;
3. inside each gap between in-place matches, the unmatched sentences are
   paired by word similarity: candidate pairs (all of a small gap; near the
   diagonal or sharing rare words in a large one), splits (one old sentence ->
   two or three consecutive new ones) and merges (two or three consecutive
   old -> one new) are scored, and the heaviest chain in order on both sides is kept;
4. sentences still unmatched are paired through an inverted index of their
   rarest words ("moved" and edited, or "changed" when the pair fits in place).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

__all__ = [
    "SCHEMA",
    "SIMILARITY_THRESHOLD",
    "align",
    "attribution_changes",
    "changed_numbers",
    "diff_document",
    "numbers",
    "similarity",
    "summarize",
    "tokenize",
    "word_diff",
]

SCHEMA = "newsdesk.diff/1"

#: Two sentences in the same slot are "changed" (not deleted + added) at or
#: above this word-set similarity (Dice coefficient over lower-cased words).
SIMILARITY_THRESHOLD = 0.5
#: A sentence edited *and* moved elsewhere needs more evidence.
MOVED_SIMILARITY_THRESHOLD = 0.6
#: Each half of a split (or merge) must share this share of its words with the
#: sentence on the other side.
PART_CONTAINMENT = 0.5
#: A split (or merge) covers at most this many consecutive sentences.
MAX_PARTS = 3
#: Gaps up to this many sentence pairs are scored exhaustively; in larger ones
#: only pairs near the diagonal or sharing rare words (never all pairs).
FULL_GAP_CELLS = 1024
GAP_BAND = 3
#: Inverted index for moved-and-edited sentences: words used per sentence,
#: postings longer than this are too common to be evidence, candidates scored.
INDEX_WORDS = 8
INDEX_MAX_POSTINGS = 64
INDEX_CANDIDATES = 6

OPS = ("equal", "changed", "added", "deleted", "moved")

_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")
_WORD_RE = re.compile(r"\w+")

Op = dict[str, Any]
Segment = dict[str, str]


# --------------------------------------------------------------------------
# words and similarity


def _key(sentence: str) -> str:
    """Whitespace-normalised form used to recognise identical sentences."""
    return " ".join(sentence.split())


#: Typographic variants folded for matching: curly quotes and primes, dashes,
#: the ellipsis, invisible characters (soft hyphen, zero-width spaces, BOM).
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        "\u2026": "...",
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", None),
    }
)
_DASH_RE = re.compile(r"\s*-{2,}\s*|\s+-\s*|\s*-\s+")


def _match_key(sentence: str) -> str:
    """The form under which two sentences are "the same" for matching.

    Whitespace runs, quote marks, dashes (spaced or not, "--" or an em dash)
    and the ellipsis are folded, so a typographic revision still matches.
    Only for matching: ops and token diffs always keep the exact texts.
    """
    return _fold(" ".join(sentence.split()))


def _fold(key: str) -> str:
    """``_match_key`` of a whitespace-normalised ``key`` (itself when plain ASCII)."""
    if not key.isascii():
        key = " ".join(unicodedata.normalize("NFKC", key.translate(_TYPOGRAPHY)).split())
    return _DASH_RE.sub("-", key) if "-" in key else key


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD_RE.findall(text.casefold()))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    total = len(a) + len(b)
    if not total:
        return 1.0
    return 2.0 * len(a & b) / total


def _contained(part: frozenset[str], whole: frozenset[str]) -> bool:
    return bool(part) and len(part & whole) >= PART_CONTAINMENT * len(part)


def similarity(a: str, b: str) -> float:
    """Word-set similarity of two sentences in [0, 1] (Dice coefficient)."""
    return _dice(_words(a), _words(b))


# --------------------------------------------------------------------------
# word-level diff inside a sentence


def tokenize(text: str) -> list[str]:
    """Words, whitespace runs and single other characters; joins back exactly."""
    return _TOKEN_RE.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments ``{"op": "equal"|"delete"|"insert", "text"}`` turning old into new.

    Concatenating equal + delete texts gives ``old`` exactly, equal + insert
    gives ``new`` exactly. Whitespace left alone between two edits is folded
    into them so that the edits read as phrases, not word salad.
    """
    if old == new:
        return [{"op": "equal", "text": old}] if old else []
    a, b = tokenize(old), tokenize(new)
    head = 0  # common leading and trailing tokens are matched without difflib
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    raw: list[tuple[str, str, str]] = []  # (kind, old text, new text)
    if head:
        raw.append(("equal", "".join(a[:head]), "".join(b[:head])))
    a_mid, b_mid = a[head : len(a) - tail], b[head : len(b) - tail]
    matcher = SequenceMatcher(None, a_mid, b_mid, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "equal" if tag == "equal" else "edit"
        raw.append((kind, "".join(a_mid[i1:i2]), "".join(b_mid[j1:j2])))
    if tail:
        raw.append(("equal", "".join(a[len(a) - tail :]), "".join(b[len(b) - tail :])))
    segments: list[Segment] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted and "".join(deleted):
            segments.append({"op": "delete", "text": "".join(deleted)})
        if inserted and "".join(inserted):
            segments.append({"op": "insert", "text": "".join(inserted)})
        deleted.clear()
        inserted.clear()

    for index, (kind, old_text, new_text) in enumerate(raw):
        between_edits = 0 < index < len(raw) - 1
        if kind == "equal" and not (between_edits and old_text.isspace()):
            flush()
            if segments and segments[-1]["op"] == "equal":
                segments[-1]["text"] += old_text
            else:
                segments.append({"op": "equal", "text": old_text})
        else:
            deleted.append(old_text)
            inserted.append(new_text)
    flush()
    return segments


# --------------------------------------------------------------------------
# alignment


def _lis(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest run of ``pairs`` (sorted by old index) increasing in new index."""
    tails: list[int] = []  # smallest new index ending a run of each length
    tail_at: list[int] = []  # position in pairs of that tail
    back: list[int] = [-1] * len(pairs)
    for position, (_, new) in enumerate(pairs):
        length = bisect_left(tails, new)
        if length == len(tails):
            tails.append(new)
            tail_at.append(position)
        else:
            tails[length] = new
            tail_at[length] = position
        back[position] = tail_at[length - 1] if length else -1
    run: list[tuple[int, int]] = []
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        run.append(pairs[position])
        position = back[position]
    run.reverse()
    return run


def _patience(
    old_keys: Sequence[str], new_keys: Sequence[str]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Exact matches: (in-place pairs, crossing pairs), patience diff style."""
    in_place: list[tuple[int, int]] = []
    crossing: list[tuple[int, int]] = []
    stack = [(0, len(old_keys), 0, len(new_keys))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        while alo < ahi and blo < bhi and old_keys[alo] == new_keys[blo]:
            in_place.append((alo, blo))
            alo += 1
            blo += 1
        while alo < ahi and blo < bhi and old_keys[ahi - 1] == new_keys[bhi - 1]:
            ahi -= 1
            bhi -= 1
            in_place.append((ahi, bhi))
        if alo >= ahi or blo >= bhi:
            continue
        seen: dict[str, list[int]] = {}  # key -> [old count, old index, new count, new index]
        for i in range(alo, ahi):
            entry = seen.get(old_keys[i])
            if entry is None:
                seen[old_keys[i]] = [1, i, 0, -1]
            else:
                entry[0] += 1
        for j in range(blo, bhi):
            entry = seen.get(new_keys[j])
            if entry is not None:
                entry[2] += 1
                entry[3] = j
        unique = sorted((e[1], e[3]) for e in seen.values() if e[0] == 1 and e[2] == 1)
        if not unique:
            continue
        run = _lis(unique)
        kept = set(run)
        crossing.extend(pair for pair in unique if pair not in kept)
        prev_old, prev_new = alo - 1, blo - 1
        for i, j in run:
            in_place.append((i, j))
            stack.append((prev_old + 1, i, prev_new + 1, j))
            prev_old, prev_new = i, j
        stack.append((prev_old + 1, ahi, prev_new + 1, bhi))
    in_place.sort()
    return in_place, crossing


class _Chain:
    """Matches kept in place: sorted by old index and, equally, by new index."""

    def __init__(self) -> None:
        self.old: list[int] = []
        self.new: list[int] = []
        self.op_new: list[int] = []  # the "new" index of the op the entry belongs to

    def slot(self, old: int, new: int) -> int | None:
        """Insertion position keeping the chain monotone, or None."""
        position = bisect_left(self.old, old)
        return position if position == bisect_left(self.new, new) else None

    def insert(self, old: int, new: int, op_new: int) -> None:
        position = bisect_left(self.old, old)
        self.old.insert(position, old)
        self.new.insert(position, new)
        self.op_new.insert(position, op_new)

    def extend(self, entries: Iterable[tuple[int, int, int]]) -> None:
        merged = sorted([*zip(self.old, self.new, self.op_new, strict=True), *entries])
        self.old = [entry[0] for entry in merged]
        self.new = [entry[1] for entry in merged]
        self.op_new = [entry[2] for entry in merged]


def _runs_through(indices: Sequence[int], at: int) -> Iterable[tuple[int, int]]:
    """Runs of 2 .. MAX_PARTS consecutive sentences holding ``indices[at]``.

    Yields ``(first position in indices, length)``; the sentences of a run are
    consecutive in the text, not only in ``indices``.
    """
    for parts in range(2, MAX_PARTS + 1):
        for first in range(at - parts + 1, at + 1):
            last = first + parts - 1
            if first < 0 or last >= len(indices):
                continue
            if indices[last] - indices[first] == parts - 1:
                yield first, parts


class _Aligner:
    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        self.old = old
        self.new = new
        self.old_keys = [_key(s) for s in old]  # identical (but for whitespace)
        self.new_keys = [_key(s) for s in new]
        self.old_match = [_fold(k) for k in self.old_keys]  # the same but for typography
        self.new_match = [_fold(k) for k in self.new_keys]
        self.old_used = [False] * len(old)
        self.new_used = [False] * len(new)
        self.chain = _Chain()
        self.ops: dict[int, Op] = {}  # by the op's first new index
        self._old_words: dict[int, frozenset[str]] = {}
        self._new_words: dict[int, frozenset[str]] = {}

    # words, cached per sentence
    def old_words(self, i: int) -> frozenset[str]:
        words = self._old_words.get(i)
        if words is None:
            words = self._old_words[i] = _words(self.old[i])
        return words

    def new_words(self, j: int) -> frozenset[str]:
        words = self._new_words.get(j)
        if words is None:
            words = self._new_words[j] = _words(self.new[j])
        return words

    def rare_word_candidates(self, j: int, postings: Mapping[str, list[int]]) -> list[int]:
        """Old sentences sharing the most of new sentence ``j``'s rarest words (bounded)."""
        words = [w for w in self.new_words(j) if 0 < len(postings.get(w, ())) <= INDEX_MAX_POSTINGS]
        words.sort(key=lambda w: (len(postings[w]), w))
        votes: Counter[int] = Counter()
        for word in words[:INDEX_WORDS]:
            votes.update(postings[word])
        return [i for i, _ in votes.most_common(INDEX_CANDIDATES)]

    # recording matches
    def _record(self, op: Op, olds: Sequence[int], news: Sequence[int]) -> None:
        for i in olds:
            self.old_used[i] = True
        for j in news:
            self.new_used[j] = True
        self.ops[news[0]] = op

    def _pair_op(self, i: int, j: int, moved: bool) -> Op:
        edited = self.old_keys[i] != self.new_keys[j]
        if moved:
            kind = "moved"
        else:
            kind = "changed" if edited else "equal"
        tokens = word_diff(self.old[i], self.new[j]) if edited else []
        op: Op = {"op": kind, "old": i, "new": j, "changed": edited, "tokens": tokens}
        if edited and self.old_match[i] == self.new_match[j]:
            op["typographic"] = True  # quotes, dashes, invisible characters only
        return op

    def run(self) -> list[Op]:
        self._exact()
        self._duplicates()
        self._gaps()
        self._far()
        return self._emit()

    # 1. exact matches
    def _exact(self) -> None:
        in_place, crossing = _patience(self.old_match, self.new_match)
        for i, j in in_place:
            self._record(self._pair_op(i, j, moved=False), [i], [j])
        self.chain.extend((i, j, j) for i, j in in_place)
        for i, j in crossing:
            self._record(self._pair_op(i, j, moved=True), [i], [j])

    # 2. repeated sentences left over
    def _duplicates(self) -> None:
        olds_by_key: dict[str, list[int]] = defaultdict(list)
        for i, used in enumerate(self.old_used):
            if not used:
                olds_by_key[self.old_match[i]].append(i)
        news_by_key: dict[str, list[int]] = defaultdict(list)
        for j, used in enumerate(self.new_used):
            if not used and self.new_match[j] in olds_by_key:
                news_by_key[self.new_match[j]].append(j)
        for key, news in news_by_key.items():
            olds = olds_by_key[key]
            for j in news:  # in place where the chain allows it
                position = bisect_left(self.chain.new, j)
                low = self.chain.old[position - 1] if position else -1
                high = self.chain.old[position] if position < len(self.chain.old) else len(self.old)
                at = bisect_right(olds, low)
                if at < len(olds) and olds[at] < high:
                    i = olds.pop(at)
                    self._record(self._pair_op(i, j, moved=False), [i], [j])
                    self.chain.insert(i, j, j)
            for j in news:  # the rest moved, in order
                if olds and not self.new_used[j]:
                    i = olds.pop(0)
                    self._record(self._pair_op(i, j, moved=True), [i], [j])

    # 3. similar sentences between in-place matches
    def _gaps(self) -> None:
        free_old = [i for i, used in enumerate(self.old_used) if not used]
        free_new = [j for j, used in enumerate(self.new_used) if not used]
        if not free_old or not free_new:
            return
        bounds_old = [-1, *self.chain.old, len(self.old)]
        bounds_new = [-1, *self.chain.new, len(self.new)]
        found: list[tuple[int, int, int]] = []
        for k in range(len(bounds_old) - 1):
            o1 = bisect_right(free_old, bounds_old[k])
            o2 = bisect_left(free_old, bounds_old[k + 1])
            n1 = bisect_right(free_new, bounds_new[k])
            n2 = bisect_left(free_new, bounds_new[k + 1])
            if o1 < o2 and n1 < n2:
                found.extend(self._align_gap(free_old[o1:o2], free_new[n1:n2]))
        self.chain.extend(found)

    def _split_score(self, i: int, j: int, parts: int) -> float:
        """Old ``i`` split into new ``j .. j + parts - 1``: score, or -1."""
        whole = self.old_words(i)
        pieces = [self.new_words(j + k) for k in range(parts)]
        if not all(_contained(piece, whole) for piece in pieces):
            return -1.0
        score = _dice(whole, frozenset().union(*pieces))
        return score if score >= SIMILARITY_THRESHOLD else -1.0

    def _merge_score(self, i: int, j: int, parts: int) -> float:
        """Old ``i .. i + parts - 1`` merged into new ``j``: score, or -1."""
        whole = self.new_words(j)
        pieces = [self.old_words(i + k) for k in range(parts)]
        if not all(_contained(piece, whole) for piece in pieces):
            return -1.0
        score = _dice(frozenset().union(*pieces), whole)
        return score if score >= SIMILARITY_THRESHOLD else -1.0

    def _gap_candidates(self, olds: list[int], news: list[int]) -> set[tuple[int, int]]:
        """Positions (in olds, in news) worth scoring as pairs in one gap."""
        n, m = len(olds), len(news)
        if n * m <= FULL_GAP_CELLS:
            return {(a, b) for a in range(n) for b in range(m)}
        postings: dict[str, list[int]] = defaultdict(list)
        for a, i in enumerate(olds):
            for word in self.old_words(i):
                postings[word].append(a)
        found: set[tuple[int, int]] = set()
        for b, j in enumerate(news):
            centre = b * n // m
            found.update(
                (a, b) for a in range(max(centre - GAP_BAND, 0), min(centre + GAP_BAND + 1, n))
            )
            found.update((a, b) for a in self.rare_word_candidates(j, postings))
        return found

    def _align_gap(self, olds: list[int], news: list[int]) -> list[tuple[int, int, int]]:
        """Pair the sentences of one gap in order; returns chain entries.

        Candidate pairs, splits and merges are scored by similarity, then the
        heaviest chain increasing on both sides is kept (a weighted longest
        increasing subsequence over a Fenwick tree: O(k log k) in candidates).
        """
        # items: (old first, old last, new first, new last, weight, kind)
        items: list[tuple[int, int, int, int, float, str]] = []
        seen_split: set[tuple[int, int, int]] = set()
        seen_merge: set[tuple[int, int, int]] = set()
        for a, b in sorted(self._gap_candidates(olds, news)):
            old_words, new_words = self.old_words(olds[a]), self.new_words(news[b])
            shared = len(old_words & new_words)
            if not shared:
                continue
            score = 2.0 * shared / (len(old_words) + len(new_words))
            if score >= SIMILARITY_THRESHOLD:
                items.append((a, a, b, b, score, "pair"))
            # a split of old a into consecutive news c .. c + parts - 1 around b
            # needs new b inside old a
            if shared >= PART_CONTAINMENT * len(new_words):
                for c, parts in _runs_through(news, b):
                    key = (a, c, parts)
                    if key not in seen_split:
                        seen_split.add(key)
                        score = self._split_score(olds[a], news[c], parts)
                        if score >= 0:
                            items.append((a, a, c, c + parts - 1, score, "split"))
            # and a merge into new b needs old a inside new b
            if shared >= PART_CONTAINMENT * len(old_words):
                for c, parts in _runs_through(olds, a):
                    key = (c, b, parts)
                    if key not in seen_merge:
                        seen_merge.add(key)
                        score = self._merge_score(olds[c], news[b], parts)
                        if score >= 0:
                            items.append((c, c + parts - 1, b, b, score, "merge"))
        if not items:
            return []
        items.sort(key=lambda item: (item[0], item[2], item[1], item[3]))
        size = len(news) + 1
        tree: list[tuple[float, int]] = [(0.0, -1)] * (size + 1)  # prefix max over new last
        total: list[float] = [0.0] * len(items)
        back: list[int] = [-1] * len(items)
        by_old_last = sorted(range(len(items)), key=lambda k: items[k][1])
        inserted = 0
        for k, (old_first, _, new_first, _, weight, _) in enumerate(items):
            while inserted < len(by_old_last) and items[by_old_last[inserted]][1] < old_first:
                done = by_old_last[inserted]
                position = items[done][3] + 1
                while position <= size:
                    if total[done] > tree[position][0]:
                        tree[position] = (total[done], done)
                    position += position & -position
                inserted += 1
            best: tuple[float, int] = (0.0, -1)
            position = new_first  # entries whose new last < new_first
            while position > 0:
                if tree[position][0] > best[0]:
                    best = tree[position]
                position -= position & -position
            total[k] = best[0] + weight
            back[k] = best[1]
        k = max(range(len(items)), key=lambda index: (total[index], -index))
        entries: list[tuple[int, int, int]] = []
        while k >= 0:
            a, a_last, b, b_last, _, kind = items[k]
            o, w = olds[a], news[b]
            if kind == "pair":
                self._record(self._pair_op(o, w, moved=False), [o], [w])
                entries.append((o, w, w))
            elif kind == "split":
                parts = list(range(w, w + b_last - b + 1))
                joined = " ".join(self.new[j] for j in parts)
                op = {
                    "op": "changed",
                    "old": o,
                    "new": w,
                    "changed": True,
                    "tokens": word_diff(self.old[o], joined),
                    "split": parts,
                }
                self._record(op, [o], parts)
                entries.extend((o, j, w) for j in parts)
            else:
                parts = list(range(o, o + a_last - a + 1))
                joined = " ".join(self.old[i] for i in parts)
                op = {
                    "op": "changed",
                    "old": o,
                    "new": w,
                    "changed": True,
                    "tokens": word_diff(joined, self.new[w]),
                    "merged": parts,
                }
                self._record(op, parts, [w])
                entries.extend((i, w, w) for i in parts)
            k = back[k]
        return entries

    # 4. moved and edited: candidates from an index of rare words
    def _far(self) -> None:
        free_old = [i for i, used in enumerate(self.old_used) if not used]
        free_new = [j for j, used in enumerate(self.new_used) if not used]
        if not free_old or not free_new:
            return
        postings: dict[str, list[int]] = defaultdict(list)
        for i in free_old:
            for word in self.old_words(i):
                postings[word].append(i)
        proposals: list[tuple[float, int, int]] = []
        for j in free_new:
            for i in self.rare_word_candidates(j, postings):
                score = _dice(self.old_words(i), self.new_words(j))
                if score >= MOVED_SIMILARITY_THRESHOLD:
                    proposals.append((score, i, j))
        proposals.sort(key=lambda p: (-p[0], p[1], p[2]))
        for _, i, j in proposals:
            if self.old_used[i] or self.new_used[j]:
                continue
            in_place = self.chain.slot(i, j) is not None
            self._record(self._pair_op(i, j, moved=not in_place), [i], [j])
            if in_place:
                self.chain.insert(i, j, j)

    # ops in reading order of the new text, deletions after their old neighbour
    def _emit(self) -> list[Op]:
        deleted_after: dict[int, list[Op]] = defaultdict(list)
        for i, used in enumerate(self.old_used):
            if not used:
                position = bisect_left(self.chain.old, i) - 1
                anchor = self.chain.op_new[position] if position >= 0 else -1
                deleted_after[anchor].append(
                    {"op": "deleted", "old": i, "new": None, "changed": False, "tokens": []}
                )
        ops: list[Op] = list(deleted_after.get(-1, ()))
        for j in range(len(self.new)):
            op = self.ops.get(j)
            if op is not None:
                ops.append(op)
            elif not self.new_used[j]:
                ops.append({"op": "added", "old": None, "new": j, "changed": False, "tokens": []})
            ops.extend(deleted_after.get(j, ()))
        return ops


def align(old: Sequence[str], new: Sequence[str]) -> list[Op]:
    """Align two lists of sentences; ops in reading order of the new text.

    Each op is ``{"op", "old", "new", "changed", "tokens"}`` with sentence
    indices (None on the missing side); a split carries ``"split": [j, j+1, ...]``
    (all the new indices, up to ``MAX_PARTS``), a merge ``"merged": [i, i+1, ...]``
    (old indices).
    """
    return _Aligner(old, new).run()


def summarize(ops: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Count ops by kind (a split or merge counts once, as changed)."""
    counts = dict.fromkeys(OPS, 0)
    for op in ops:
        counts[op["op"]] += 1
    return counts


# --------------------------------------------------------------------------
# numbers inside changed sentences

_NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    "sixty|seventy|eighty|ninety|hundred|dozen|dozens|hundreds|thousands|millions|"
    "billions|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    "half|quarter|twice|thrice"
)
_SCALE = r"(?:\s(?:hundred|thousand|million|billion|trillion|bn|mn|m|k)\b)?"
_PERCENT = r"(?:\s?%|\s(?:percent|per\scent)\b)?"
_NUMBER_RE = re.compile(
    rf"(?<![\w.,])(?:[$€£¥]\s?|(?:US|A|C)\$\s?)?\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?{_PERCENT}{_SCALE}"
    rf"|\b(?:{_NUMBER_WORDS})(?:[-\s](?:{_NUMBER_WORDS}))*\b{_PERCENT}{_SCALE}",
    re.IGNORECASE,
)


def numbers(text: str) -> list[str]:
    """Number expressions in reading order ("$61 billion", "two", "4.5%", "2022")."""
    return [match.group() for match in _NUMBER_RE.finditer(text)]


def changed_numbers(old_sentence: str, new_sentence: str) -> tuple[list[str], list[str]]:
    """Numbers removed from and added to a sentence (multiset difference)."""
    old_numbers, new_numbers = numbers(old_sentence), numbers(new_sentence)
    removed_left = Counter(old_numbers) - Counter(new_numbers)
    added_left = Counter(new_numbers) - Counter(old_numbers)
    removed: list[str] = []
    for number in old_numbers:
        if removed_left[number] > 0:
            removed_left[number] -= 1
            removed.append(number)
    added: list[str] = []
    for number in new_numbers:
        if added_left[number] > 0:
            added_left[number] -= 1
            added.append(number)
    return removed, added


# --------------------------------------------------------------------------
# attributions

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
    words = _WORD_RE.findall(_match_key(name).casefold())
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
        self.cue_key = _match_key(self.cue["text"]).casefold() if self.cue else ""
        self.content_key = _match_key(self.content["text"]) if self.content else ""
        self.words = _words(self.content_key)
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
    if not longer.nested or len(_WORD_RE.findall(shorter.content_key)) < OVERREACH_MIN_WORDS:
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
    by_group: dict[int, list[int]] = defaultdict(list)
    if sentence_pairs:
        _mark_groups(olds, [old for old, _ in sentence_pairs])
        _mark_groups(news, [new for _, new in sentence_pairs])
        for n, attribution in enumerate(news):
            if attribution.group >= 0:
                by_group[attribution.group].append(n)
    postings: dict[str, list[int]] = defaultdict(list)
    for n, attribution in enumerate(news):
        for word in attribution.words:
            postings[word].append(n)
    proposals: list[tuple[float, int, int, int, str, bool]] = []
    for o, old in enumerate(olds):
        votes: Counter[int] = Counter()
        for word in sorted(old.words, key=lambda w: (len(postings.get(w, ())), w))[:INDEX_WORDS]:
            votes.update(postings.get(word, ()))
        if not old.words:  # empty content: only an identical one can match
            votes.update(n for n, new in enumerate(news) if not new.words)
        candidates = {n for n, _ in votes.most_common(INDEX_CANDIDATES * 2)}
        if old.group >= 0:
            candidates.update(by_group.get(old.group, ()))
        for n in sorted(candidates):
            new = news[n]
            same_content = old.content_key == new.content_key or _overreach(old, new)
            content = 1.0 if same_content else _dice(old.words, new.words)
            aligned = old.group >= 0 and old.group == new.group
            kind = _change_kind(old, new, content, aligned)
            if kind is None:
                continue
            if kind == "content-changed" and same_content and old.cue_key == new.cue_key:
                kind = "unchanged"
            rank = 0 if kind == "unchanged" else 1
            # a speaker change that only the alignment makes plausible ranks
            # after pairs that keep their speaker
            weak = kind == "speaker-changed" and content < SAME_CONTENT
            score = content + (ALIGNED_BONUS if aligned and not weak else 0.0)
            distance = abs(old.order - new.order)
            proposals.append((-score, rank, distance, o * len(news) + n, kind, same_content))
    proposals.sort()
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


# --------------------------------------------------------------------------
# documents


def _sentence_spans(analysis: Mapping[str, Any]) -> list[dict[str, int]]:
    return [{"start": int(s["start"]), "end": int(s["end"])} for s in analysis.get("sentences", ())]


def diff_document(
    old_text: str,
    old_analysis: Mapping[str, Any],
    new_text: str,
    new_analysis: Mapping[str, Any],
) -> dict[str, Any]:
    """The ``newsdesk.diff/1`` object for two analysed texts."""
    old_spans = _sentence_spans(old_analysis)
    new_spans = _sentence_spans(new_analysis)
    ops = align(
        [old_text[s["start"] : s["end"]] for s in old_spans],
        [new_text[s["start"] : s["end"]] for s in new_spans],
    )
    sentence_pairs = []
    for op in ops:
        if op["old"] is None or op["new"] is None:
            continue
        olds = [old_spans[i] for i in op.get("merged", [op["old"]])]
        news = [new_spans[j] for j in op.get("split", [op["new"]])]
        sentence_pairs.append(
            ((olds[0]["start"], olds[-1]["end"]), (news[0]["start"], news[-1]["end"]))
        )
    return {
        "schema": SCHEMA,
        "old": {"text": old_text, "sentences": old_spans},
        "new": {"text": new_text, "sentences": new_spans},
        "ops": ops,
        "attribution_changes": attribution_changes(
            old_text,
            old_analysis.get("attributions", ()),
            new_text,
            new_analysis.get("attributions", ()),
            sentence_pairs=sentence_pairs,
        ),
    }
