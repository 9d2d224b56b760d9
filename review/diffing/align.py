"""Sentence-level alignment of two revisions.

Pure: plain strings in, plain dicts out; no Django, no spaCy. Near-linear
in the number of sentences:

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
   old -> one new) are scored, and the heaviest chain in order on both sides
   is kept (:mod:`review.diffing.chain`);
4. sentences still unmatched are paired through an inverted index of their
   rarest words ("moved" and edited, or "changed" when the pair fits in place).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from review.diffing import folding
from review.diffing.chain import Link, heaviest_chain
from review.diffing.folding import PART_CONTAINMENT
from review.diffing.rewritten import group_rewritten
from review.diffing.tokens import word_diff

#: Two sentences in the same slot are "changed" (not deleted + added) at or
#: above this word-set similarity (Dice coefficient over lower-cased words).
SIMILARITY_THRESHOLD = 0.5
#: A sentence edited *and* moved elsewhere needs more evidence.
MOVED_SIMILARITY_THRESHOLD = 0.6
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

Op = dict[str, Any]


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


def _parts_score(whole: frozenset[str], pieces: list[frozenset[str]]) -> float:
    """How well consecutive sentences (``pieces``) together say ``whole``: each
    mostly inside it, and their words similar enough; -1 when they do not."""
    if not all(folding.contained(piece, whole) for piece in pieces):
        return -1.0
    score = folding.dice(whole, frozenset().union(*pieces))
    return score if score >= SIMILARITY_THRESHOLD else -1.0


def _parted_op(o: int, w: int, old_text: str, new_text: str, side: str, parts: list[int]) -> Op:
    """The "changed" op of a split (``side`` "split": the new indices) or a merge
    ("merged": the old indices)."""
    return {
        "op": "changed",
        "old": o,
        "new": w,
        "changed": True,
        "tokens": word_diff(old_text, new_text),
        side: parts,
    }


class _Aligner:
    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        self.old = old
        self.new = new
        self.old_keys = [folding.key(s) for s in old]  # identical (but for whitespace)
        self.new_keys = [folding.key(s) for s in new]
        self.old_match = [folding.fold(k) for k in self.old_keys]  # the same but for typography
        self.new_match = [folding.fold(k) for k in self.new_keys]
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
            words = self._old_words[i] = folding.words(self.old[i])
        return words

    def new_words(self, j: int) -> frozenset[str]:
        words = self._new_words.get(j)
        if words is None:
            words = self._new_words[j] = folding.words(self.new[j])
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
        return group_rewritten(self._emit(), self.old, self.new)

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
        heaviest chain increasing on both sides is kept (:func:`heaviest_chain`).
        """
        links, kinds = self._gap_links(olds, news)
        entries: list[tuple[int, int, int]] = []
        for k in heaviest_chain(links):
            entries.extend(self._keep(links[k], kinds[k], olds, news))
        return entries

    def _gap_links(self, olds: list[int], news: list[int]) -> tuple[list[Link], list[str]]:
        """Scored links between positions in ``olds`` and ``news``, and their kinds:
        "pair", "split" (one old, consecutive news) or "merge" (the reverse)."""
        links: list[Link] = []
        kinds: list[str] = []
        seen_split: set[tuple[int, int, int]] = set()
        seen_merge: set[tuple[int, int, int]] = set()
        for a, b in sorted(self._gap_candidates(olds, news)):
            old_words, new_words = self.old_words(olds[a]), self.new_words(news[b])
            shared = len(old_words & new_words)
            if not shared:
                continue
            score = 2.0 * shared / (len(old_words) + len(new_words))
            if score >= SIMILARITY_THRESHOLD:
                links.append((a, a, b, b, score))
                kinds.append("pair")
            # a split of old a into consecutive news around b needs new b inside old a
            if shared >= PART_CONTAINMENT * len(new_words):
                for c, parts, score in self._parts(
                    old_words, news, b, self.new_words, seen_split, a
                ):
                    links.append((a, a, c, c + parts - 1, score))
                    kinds.append("split")
            # and a merge of consecutive olds around a into new b, old a inside new b
            if shared >= PART_CONTAINMENT * len(old_words):
                for c, parts, score in self._parts(
                    new_words, olds, a, self.old_words, seen_merge, b
                ):
                    links.append((c, c + parts - 1, b, b, score))
                    kinds.append("merge")
        return links, kinds

    def _parts(
        self,
        whole: frozenset[str],
        indices: Sequence[int],
        at: int,
        words_of: Callable[[int], frozenset[str]],
        seen: set[tuple[int, int, int]],
        other: int,
    ) -> Iterator[tuple[int, int, float]]:
        """Runs of 2 .. MAX_PARTS consecutive sentences through ``indices[at]`` that
        together say ``whole`` (a split when they are new sentences, a merge when
        old): ``(first position in indices, length, score)``, each run once per
        ``other`` (the position of the single sentence on the other side)."""
        for first, parts in _runs_through(indices, at):
            key = (other, first, parts)
            if key in seen:
                continue
            seen.add(key)
            score = _parts_score(whole, [words_of(indices[first] + k) for k in range(parts)])
            if score >= 0:
                yield first, parts, score

    def _keep(
        self, link: Link, kind: str, olds: list[int], news: list[int]
    ) -> list[tuple[int, int, int]]:
        """Record a link of the chain as an op; returns its chain entries."""
        a, a_last, b, b_last, _ = link
        o, w = olds[a], news[b]
        if kind == "pair":
            self._record(self._pair_op(o, w, moved=False), [o], [w])
            return [(o, w, w)]
        if kind == "split":
            parts = list(range(w, w + b_last - b + 1))
            joined = " ".join(self.new[j] for j in parts)
            self._record(_parted_op(o, w, self.old[o], joined, "split", parts), [o], parts)
            return [(o, j, w) for j in parts]
        parts = list(range(o, o + a_last - a + 1))
        joined = " ".join(self.old[i] for i in parts)
        self._record(_parted_op(o, w, joined, self.new[w], "merged", parts), parts, [w])
        return [(i, w, w) for i in parts]

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
                score = folding.dice(self.old_words(i), self.new_words(j))
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
