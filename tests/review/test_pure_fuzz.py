"""Fuzzing the diff and the anchoring with any input, well formed or not: each either
answers or refuses with a ValueError that says what is wrong, never anything else."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from review import diffing
from review.anchoring import locate, place, quote_for

#: Text with the characters that matter to sentence splitting, quoting and folding.
texts = st.text(
    alphabet=st.sampled_from(list("ab Z.,;:!?\"'“”‘’—-\n\t\u00a0é😀\u05d0\u0627€0123")),
    max_size=60,
)
#: Anything JSON can hold (and a few things it cannot), as a bad field value.
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=80),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
)
offsets = st.one_of(st.integers(min_value=-3, max_value=70), junk)


def spans(keys: tuple[str, ...] = ("start", "end")) -> st.SearchStrategy[Any]:
    """A span dict, mostly well typed, sometimes missing a key or holding junk."""
    whole = st.fixed_dictionaries({k: st.integers(min_value=-3, max_value=70) for k in keys})
    broken = st.dictionaries(st.sampled_from([*keys, "text", "x"]), offsets, max_size=3)
    return st.one_of(whole, whole, broken, junk)


attributions = st.fixed_dictionaries(
    {},
    optional={
        "speaker": st.one_of(st.none(), spans()),
        "cue": spans(),
        "content": spans(),
        "kind": st.one_of(st.sampled_from(["direct", "indirect", "mixed"]), junk),
        "speaker_name": st.one_of(st.none(), st.text(max_size=10), junk),
        "flags": st.one_of(st.lists(st.text(max_size=5), max_size=2), junk),
    },
)
analyses = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "sentences": st.one_of(st.lists(spans(), max_size=5), junk),
            "entities": st.one_of(st.lists(spans(), max_size=3), junk),
            "attributions": st.one_of(st.lists(attributions, max_size=3), junk),
        },
    ),
    junk,
)


def _well_formed_sentences(text: str) -> list[dict[str, int]]:
    """Sentences of ``text`` as the pipeline gives them: in order, inside the text."""
    out, start = [], 0
    for n, ch in enumerate(text):
        if ch in ".!?\n" and text[start : n + 1].strip():
            out.append({"start": start, "end": n + 1})
            start = n + 1
    if text[start:].strip():
        out.append({"start": start, "end": len(text)})
    return out


def assert_ops_index_sentences(ops: list[dict[str, Any]], olds: int, news: int) -> None:
    """Every sentence index an op names (merged and split groups too) is in range."""
    for op in ops:
        for index in [op["old"], *op.get("merged", [])]:
            assert index is None or 0 <= index < olds
        for index in [op["new"], *op.get("split", [])]:
            assert index is None or 0 <= index < news


@given(texts, analyses, texts, analyses)
def test_the_diff_answers_or_refuses_any_two_analyses(
    old: str, old_analysis: Any, new: str, new_analysis: Any
) -> None:
    try:
        result = diffing.diff_document(old, old_analysis, new, new_analysis)
    except ValueError as refused:
        assert str(refused)  # says what is wrong
        return
    assert result["schema"] == "newsdesk.diff/1"
    assert_ops_index_sentences(
        result["ops"], len(result["old"]["sentences"]), len(result["new"]["sentences"])
    )


@given(texts, texts)
def test_the_diff_of_any_two_texts_with_their_sentences_answers(old: str, new: str) -> None:
    result = diffing.diff_document(
        old,
        {"sentences": _well_formed_sentences(old)},
        new,
        {"sentences": _well_formed_sentences(new)},
    )
    assert result["old"]["sentences"] == _well_formed_sentences(old)
    assert_ops_index_sentences(
        result["ops"], len(result["old"]["sentences"]), len(result["new"]["sentences"])
    )


@given(st.lists(texts, max_size=6), st.lists(texts, max_size=6))
def test_the_sentence_alignment_answers_any_two_lists_of_strings(
    old: list[str], new: list[str]
) -> None:
    ops = diffing.align(old, new)
    assert_ops_index_sentences(ops, len(old), len(new))


quotes = st.one_of(
    st.fixed_dictionaries(
        {"exact": texts, "prefix": texts, "suffix": texts, "start": offsets, "end": offsets}
    ),
    st.dictionaries(st.sampled_from(["exact", "prefix", "suffix", "start", "end"]), junk),
    junk,
)


@given(texts, offsets, offsets)
def test_quote_for_answers_or_refuses_any_range(text: str, start: Any, end: Any) -> None:
    try:
        quote = quote_for(text, start, end)
    except ValueError as refused:
        assert str(refused)
        return
    assert text[quote["start"] : quote["end"]] == quote["exact"]


@given(texts, quotes)
def test_locate_answers_or_refuses_any_quote(text: str, quote: Any) -> None:
    try:
        found = locate(text, quote)
    except ValueError as refused:
        assert str(refused)
        return
    assert found is None or text[found[0] : found[1]] == quote["exact"]


@given(
    texts,
    st.one_of(st.lists(spans(), max_size=4), junk),
    texts,
    st.one_of(st.lists(spans(), max_size=4), junk),
    quotes,
)
def test_placing_answers_or_refuses_any_quote_on_any_texts(
    old: str, old_sentences: Any, new: str, new_sentences: Any, quote: Any
) -> None:
    try:
        placement = place(
            quote,
            old_text=old,
            old_sentences=old_sentences,
            new_text=new,
            new_sentences=new_sentences,
        )
    except ValueError as refused:
        assert str(refused)
        return
    assert placement["state"] in {"carried", "changed", "orphaned"}
    if placement["state"] == "carried":
        assert new[placement["start"] : placement["end"]] == quote["exact"]


@given(texts, texts, st.data())
def test_placing_a_real_quote_answers(old: str, new: str, data: st.DataObject) -> None:
    """A quote made by quote_for on the old text, sentences as the pipeline gives them."""
    if not old.strip():
        return
    start = data.draw(st.integers(min_value=0, max_value=len(old) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(old)))
    if not old[start:end].strip():
        return
    placement = place(
        quote_for(old, start, end),
        old_text=old,
        old_sentences=_well_formed_sentences(old),
        new_text=new,
        new_sentences=_well_formed_sentences(new),
    )
    assert placement["state"] in {"carried", "changed", "orphaned"}
