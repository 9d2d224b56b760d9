"""Anchor editorial annotations to text and place them on a later revision.

Pure module: plain strings and dicts in and out, no Django, no spaCy.

**Anchor.** An annotation is anchored to the body text of one revision like
the W3C Web Annotation TextQuoteSelector plus TextPositionSelector: the
``exact`` text, up to ``CONTEXT`` characters of ``prefix`` and ``suffix``, and
``start``/``end`` (Python str indices). ``quote_for()`` builds it.

**Locate.** ``locate()`` finds a quote in a text: every occurrence of
``exact`` is scored by how many characters of its prefix (read backwards) and
suffix (read forwards) match. The best score wins. Among equally good ones,
the one nearest to ``start`` wins when it is clearly nearer (less than half
the runner-up's distance). Otherwise the answer is None: ambiguous.

**Place.** ``place()`` puts an annotation made on an old revision onto a newer
one, through the sentence alignment of ``review.diffing.align()``:

1. The old sentences under the quote (its leading and trailing whitespace
   stripped) are looked up in the ops. Each op pairs some of them with new
   sentences (``equal``, ``changed``, ``moved``, a ``split`` into several, a
   ``merged`` group) or with nothing (``deleted``). The quote falls into one
   piece per op.
2. Each op's old and new sentences are diffed word by word
   (``diffing.tokenize`` + difflib), and the piece's start and end are mapped
   through that diff. Inside unchanged text an offset moves with the text.
   Inside an edit, a start goes to the start of the replacement and an end to
   its end, so "Putin" in "Putin asked" maps to "Zelensky" in "Zelensky asked".
3. **carried** when the pieces lie in one run of adjacent new sentences, in
   the old order, and the mapped range holds ``exact`` character for
   character. Failing that, also when ``exact`` occurs inside the paired new
   sentences with at least ``CONTEXT_SHARE`` of its context intact, as
   ``locate()`` picks it (best context, then clearly nearest). A clause moved
   inside its sentence keeps its context this way; a name that only recurs
   later in the edited sentence does not.
4. **changed** when some of the quote's sentences are paired but the text is
   not carried. The span is the mapped range in the run of paired sentences
   that holds most of the quote; or those whole sentences when the quoted
   words were cut from them.
5. **orphaned** when every sentence under the quote was deleted.

The search never leaves the sentences that the alignment paired with the
quote's own. A similar (or identical) text elsewhere is never a target: an
orphan rather than a wrong re-attachment. Carried means exactly the same
characters (``new_text[start:end] == exact``): curly quotes for straight
ones, or another whitespace run, inside the quoted range is ``changed``. A
quote outside every sentence (no sentence analysis) is carried only on a
credible, unambiguous exact match in the whole new text, and is otherwise
orphaned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal, TypedDict

from review.diffing import align, tokenize

__all__ = [
    "CONTEXT",
    "PLACEMENT_STATES",
    "Placement",
    "Quote",
    "locate",
    "place",
    "quote_for",
]


class Quote(TypedDict):
    """W3C TextQuoteSelector (exact, prefix, suffix) + TextPositionSelector (start, end)."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


class Placement(TypedDict):
    """Where an annotation sits in a later revision (start/end/text None when orphaned)."""

    state: Literal["carried", "changed", "orphaned"]
    start: int | None
    end: int | None
    text: str | None


PLACEMENT_STATES = ("carried", "changed", "orphaned")

#: Characters of prefix and suffix kept with a quote.
CONTEXT = 32
#: Share of the quote's context that must still match for an exact occurrence
#: to be carried when the word diff alone does not carry it.
CONTEXT_SHARE = 0.5

Span = tuple[int, int]


# --------------------------------------------------------------------------
# validation


def _int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an integer, got {value!r}")
    return value


def _check_range(length: int, start: object, end: object, what: str) -> None:
    """start and end are integers with 0 <= start < end <= length."""
    low, high = _int(start, f"{what}: start"), _int(end, f"{what}: end")
    if not 0 <= low < high <= length:
        raise ValueError(f"{what}: need 0 <= start < end <= {length}, got start={low}, end={high}")


def _check_quote(quote: Mapping[str, Any]) -> None:
    if not isinstance(quote, Mapping):
        raise ValueError(
            f"quote must be a mapping (exact, prefix, suffix, start, end), got {quote!r}"
        )
    exact = quote.get("exact")
    if not isinstance(exact, str) or not exact.strip():
        raise ValueError("quote: exact must be a non-empty string, not all whitespace")
    for key in ("prefix", "suffix"):
        if not isinstance(quote.get(key), str):
            raise ValueError(f"quote: {key} must be a string")
    start, end = _int(quote.get("start"), "quote: start"), _int(quote.get("end"), "quote: end")
    if start < 0 or end - start != len(exact):
        raise ValueError(
            f"quote: start={start}, end={end} do not span exact ({len(exact)} characters)"
        )


def _check_sentences(text: str, sentences: Sequence[Mapping[str, int]], what: str) -> None:
    if not isinstance(text, str):
        raise ValueError(f"{what}: the text must be a string, got {type(text).__name__}")
    if isinstance(sentences, (str, bytes)) or not isinstance(sentences, Sequence):
        raise ValueError(f"{what} must be a list of spans, got {type(sentences).__name__}")
    for n, sentence in enumerate(sentences):
        if not isinstance(sentence, Mapping):
            raise ValueError(f"{what}[{n}] must be a span (start, end), got {sentence!r}")
        start = _int(sentence.get("start"), f"{what}[{n}]: start")
        end = _int(sentence.get("end"), f"{what}[{n}]: end")
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"{what}[{n}]: start={start}, end={end} outside the text")


def quote_for(text: str, start: int, end: int, *, context: int = CONTEXT) -> Quote:
    """The selector for text[start:end] (ValueError on a bad range or an all-whitespace selection)."""
    _check_range(len(text), start, end, "range")
    if _int(context, "context") < 0:
        raise ValueError(f"context must not be negative, got {context}")
    exact = text[start:end]
    if not exact.strip():
        raise ValueError(f"range {start}..{end} selects only whitespace")
    return {
        "exact": exact,
        "prefix": text[max(0, start - context) : start],
        "suffix": text[end : end + context],
        "start": start,
        "end": end,
    }


# --------------------------------------------------------------------------
# locating an exact quote


def _occurrences(text: str, exact: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Starts of every occurrence of exact inside text[lo:hi], overlapping ones too."""
    hi = len(text) if hi is None else hi
    found: list[int] = []
    at = text.find(exact, lo, hi)
    while at >= 0:
        found.append(at)
        at = text.find(exact, at + 1, hi)
    return found


def _shared_head(a: str, b: str) -> int:
    """Length of the common beginning of a and b."""
    if a == b:
        return len(a)
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _context_score(text: str, quote: Mapping[str, Any], at: int) -> int:
    """Characters of prefix (read backwards) and suffix matching around an occurrence."""
    prefix, suffix = quote["prefix"], quote["suffix"]
    before = text[max(0, at - len(prefix)) : at]
    after_start = at + len(quote["exact"])
    after = text[after_start : after_start + len(suffix)]
    return _shared_head(before[::-1], prefix[::-1]) + _shared_head(after, suffix)


def _pick(text: str, quote: Mapping[str, Any], starts: Sequence[int], expected: int) -> int | None:
    """The best occurrence by context, then clearly nearest to expected; None when ambiguous."""
    if not starts:
        return None
    scores = {at: _context_score(text, quote, at) for at in starts}
    best = max(scores.values())
    tied = sorted((at for at in starts if scores[at] == best), key=lambda at: abs(at - expected))
    if len(tied) == 1 or 2 * abs(tied[0] - expected) < abs(tied[1] - expected):
        return tied[0]
    return None


def locate(text: str, quote: Quote) -> tuple[int, int] | None:
    """Where the quote is in `text` (same or another text) by exact + prefix/suffix + position; None if absent or ambiguous."""
    _check_quote(quote)
    at = _pick(text, quote, _occurrences(text, quote["exact"]), quote["start"])
    return None if at is None else (at, at + len(quote["exact"]))


def _credible(text: str, quote: Mapping[str, Any], at: int) -> bool:
    """At least CONTEXT_SHARE of the quote's context still matches at an occurrence."""
    available = len(quote["prefix"]) + len(quote["suffix"])
    return _context_score(text, quote, at) >= CONTEXT_SHARE * available


def _search(
    text: str, quote: Mapping[str, Any], blocks: Sequence[Span], expected: int
) -> Span | None:
    """A credible, unambiguous exact occurrence inside the blocks, or None."""
    starts = [at for lo, hi in blocks for at in _occurrences(text, quote["exact"], lo, hi)]
    at = _pick(text, quote, starts, expected)
    if at is None or not _credible(text, quote, at):
        return None
    return at, at + len(quote["exact"])


# --------------------------------------------------------------------------
# mapping offsets through a word diff

Opcode = tuple[str, int, int, int, int]  # tag, old start, old end, new start, new end (chars)


def _char_opcodes(old: str, new: str) -> list[Opcode]:
    """The word diff of old and new as difflib opcodes over character offsets."""
    if old == new:
        return [("equal", 0, len(old), 0, len(new))]
    a, b = tokenize(old), tokenize(new)
    a_at, b_at = [0], [0]
    for token in a:
        a_at.append(a_at[-1] + len(token))
    for token in b:
        b_at.append(b_at[-1] + len(token))
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [
        (tag, a_at[i1], a_at[i2], b_at[j1], b_at[j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _map_start(opcodes: Sequence[Opcode], at: int) -> int:
    """New offset of an old start offset: inside an edit, the start of its replacement."""
    for tag, a1, a2, b1, _ in opcodes:
        if a1 <= at < a2:
            return b1 + (at - a1) if tag == "equal" else b1
    return opcodes[-1][4] if opcodes else 0


def _map_end(opcodes: Sequence[Opcode], at: int) -> int:
    """New offset of an old end offset: inside an edit, the end of its replacement."""
    for tag, a1, a2, b1, b2 in opcodes:
        if a1 < at <= a2:
            return b1 + (at - a1) if tag == "equal" else b2
    return opcodes[0][3] if opcodes else 0


# --------------------------------------------------------------------------
# placing


@dataclass(frozen=True)
class _Piece:
    """The part of the quote that one op pairing old and new sentences accounts for."""

    lo: int  # the part, in the old text
    hi: int
    first: int  # the op's new sentences: first and last index
    last: int
    segment: Span  # those sentences in the new text
    span: Span  # lo..hi mapped into the new text


def _covered(sentences: Sequence[Mapping[str, int]], lo: int, hi: int) -> list[int]:
    """Indices of the sentences overlapping text[lo:hi]."""
    return [
        n
        for n, s in enumerate(sentences)
        if s["start"] < s["end"] and s["start"] < hi and s["end"] > lo
    ]


def _op_sides(op: Mapping[str, Any]) -> tuple[list[int], list[int]]:
    """The old and the new sentence indices of an op (a merge or split has several)."""
    olds = list(op.get("merged") or ([] if op["old"] is None else [op["old"]]))
    news = list(op.get("split") or ([] if op["new"] is None else [op["new"]]))
    return olds, news


def _ops_for(
    ops: Sequence[Mapping[str, Any]], covered: Sequence[int], sizes: tuple[int, int]
) -> list[Mapping[str, Any]]:
    """The ops accounting for the covered old sentences, in old order, each once."""
    by_old: dict[int, Mapping[str, Any]] = {}
    for op in ops:
        olds, news = _op_sides(op)
        if any(not 0 <= i < sizes[0] for i in olds) or any(not 0 <= j < sizes[1] for j in news):
            raise ValueError(f"ops: a sentence index is out of range in {op!r}")
        by_old.update(dict.fromkeys(olds, op))
    found: list[Mapping[str, Any]] = []
    for i in covered:
        if i not in by_old:
            raise ValueError(f"ops: old sentence {i} is not accounted for")
        if not any(op is by_old[i] for op in found):
            found.append(by_old[i])
    return found


@dataclass(frozen=True)
class _Texts:
    old: str
    old_sentences: Sequence[Mapping[str, int]]
    new: str
    new_sentences: Sequence[Mapping[str, int]]


def _piece(op: Mapping[str, Any], core: Span, texts: _Texts) -> _Piece | None:
    """The core's part in the op's old sentences, mapped onto its new ones (None: deleted)."""
    olds, news = _op_sides(op)
    if not news:
        return None
    old_lo = texts.old_sentences[olds[0]]["start"]
    old_hi = texts.old_sentences[olds[-1]]["end"]
    new_lo = texts.new_sentences[news[0]]["start"]
    new_hi = texts.new_sentences[news[-1]]["end"]
    lo, hi = max(core[0], old_lo), min(core[1], old_hi)
    opcodes = _char_opcodes(texts.old[old_lo:old_hi], texts.new[new_lo:new_hi])
    span = (new_lo + _map_start(opcodes, lo - old_lo), new_lo + _map_end(opcodes, hi - old_lo))
    return _Piece(lo, hi, news[0], news[-1], (new_lo, new_hi), span)


def _runs(pieces: Sequence[_Piece | None]) -> list[list[_Piece]]:
    """Paired pieces grouped into runs of adjacent new sentences, in old order."""
    runs: list[list[_Piece]] = []
    previous: _Piece | None = None
    for piece in pieces:
        if piece is not None and previous is not None and previous.last + 1 == piece.first:
            runs[-1].append(piece)
        elif piece is not None:
            runs.append([piece])
        previous = piece
    return runs


def _run_span(run: Sequence[_Piece]) -> Span:
    """The mapped range of a run, or its whole sentences when the quoted words are gone."""
    start, end = run[0].span[0], run[-1].span[1]
    if start < end:
        return start, end
    return run[0].segment[0], run[-1].segment[1]


def _mapped_carry(quote: Mapping[str, Any], run: Sequence[_Piece], new_text: str) -> Span | None:
    """The mapped range, widened by the quote's text outside sentences, when it holds exact."""
    start = run[0].span[0] - (run[0].lo - quote["start"])
    end = run[-1].span[1] + (quote["end"] - run[-1].hi)
    if start >= 0 and new_text[start:end] == quote["exact"]:
        return start, end
    return None


def _blocks(runs: Sequence[Sequence[_Piece]], text: str) -> list[Span]:
    """The runs' new sentences in the text, widened over surrounding whitespace."""
    blocks: list[Span] = []
    for run in runs:
        lo, hi = run[0].segment[0], run[-1].segment[1]
        while lo > 0 and text[lo - 1].isspace():
            lo -= 1
        while hi < len(text) and text[hi].isspace():
            hi += 1
        blocks.append((lo, hi))
    return blocks


def _orphaned() -> Placement:
    return {"state": "orphaned", "start": None, "end": None, "text": None}


def _placed(state: Literal["carried", "changed"], text: str, span: Span) -> Placement:
    return {"state": state, "start": span[0], "end": span[1], "text": text[span[0] : span[1]]}


def _place_pieces(
    quote: Mapping[str, Any], pieces: Sequence[_Piece | None], new_text: str
) -> Placement:
    """Carried, changed or orphaned, from the pieces of a quote (steps 3 to 5)."""
    runs = _runs(pieces)
    if not runs:
        return _orphaned()
    if len(runs) == 1 and len(runs[0]) == len(pieces):
        span = _mapped_carry(quote, runs[0], new_text)
        if span is not None:
            return _placed("carried", new_text, span)
    best = max(runs, key=lambda run: sum(piece.hi - piece.lo for piece in run))
    expected = best[0].span[0] - (best[0].lo - quote["start"])
    found = _search(new_text, quote, _blocks(runs, new_text), expected)
    if found is not None:
        return _placed("carried", new_text, found)
    return _placed("changed", new_text, _run_span(best))


def place(
    quote: Quote,
    *,
    old_text: str,
    old_sentences: Sequence[Mapping[str, int]],
    new_text: str,
    new_sentences: Sequence[Mapping[str, int]],
    ops: Sequence[Mapping[str, Any]] | None = None,
) -> Placement:
    """Place an annotation made on old_text onto new_text. ops = diffing.align(...) of the two sentence lists; computed here when None."""
    _check_quote(quote)
    start, end, exact = quote["start"], quote["end"], quote["exact"]
    if end > len(old_text):
        raise ValueError(f"quote: end={end} is past the end of old_text ({len(old_text)})")
    if old_text[start:end] != exact:
        raise ValueError(f"quote: old_text[{start}:{end}] is not the quote's exact text")
    _check_sentences(old_text, old_sentences, "old_sentences")
    _check_sentences(new_text, new_sentences, "new_sentences")
    core = (start + len(exact) - len(exact.lstrip()), end - len(exact) + len(exact.rstrip()))
    covered = _covered(old_sentences, *core)
    if not covered:  # no sentence to align: only the exact text, in context, will do
        found = _search(new_text, quote, [(0, len(new_text))], start)
        return _orphaned() if found is None else _placed("carried", new_text, found)
    if ops is None:
        ops = align(
            [old_text[s["start"] : s["end"]] for s in old_sentences],
            [new_text[s["start"] : s["end"]] for s in new_sentences],
        )
    texts = _Texts(old_text, old_sentences, new_text, new_sentences)
    pieces = [
        _piece(op, core, texts)
        for op in _ops_for(ops, covered, (len(old_sentences), len(new_sentences)))
    ]
    return _place_pieces(quote, pieces, new_text)
