"""Sentence alignment, word diffs and attribution changes on plain strings."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from review.diffing import (
    SCHEMA,
    align,
    attribution_changes,
    changed_numbers,
    diff_document,
    summarize,
    word_diff,
)

# --------------------------------------------------------------------------
# helpers


def old_coverage(ops: list[dict[str, Any]]) -> Counter[int]:
    """How many times each old sentence index is accounted for."""
    seen: Counter[int] = Counter()
    for op in ops:
        if op["op"] == "added":
            continue
        seen.update(op.get("merged", [op["old"]]))
    return seen


def new_coverage(ops: list[dict[str, Any]]) -> Counter[int]:
    """How many times each new sentence index is accounted for."""
    seen: Counter[int] = Counter()
    for op in ops:
        if op["op"] == "deleted":
            continue
        seen.update(op.get("split", [op["new"]]))
    return seen


def rebuilt(tokens: list[dict[str, str]]) -> tuple[str, str]:
    old = "".join(t["text"] for t in tokens if t["op"] in ("equal", "delete"))
    new = "".join(t["text"] for t in tokens if t["op"] in ("equal", "insert"))
    return old, new


def kinds(ops: list[dict[str, Any]]) -> list[tuple[str, int | None, int | None]]:
    return [(op["op"], op["old"], op["new"]) for op in ops]


# A small vocabulary makes repeated, similar, split and merged sentences likely.
WORDS = ["Kyiv", "aid", "Blinken", "said", "the", "two", "Patriot", "talks", "on"]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=7).map(
    lambda words: " ".join(words) + "."
)
sentences = st.lists(sentence, max_size=14)


@st.composite
def revisions(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """An old text and a new one made from it by edits, moves, splits, merges."""
    old = draw(sentences)
    new: list[str] = []
    for text in old:
        action = draw(st.sampled_from(["keep", "keep", "drop", "edit", "split", "twice"]))
        if action == "keep":
            new.append(text)
        elif action == "edit":
            words = text[:-1].split()
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(WORDS))
            new.append(" ".join(words) + draw(st.sampled_from([".", "!"])))
        elif action == "split":
            words = text[:-1].split()
            cut = draw(st.integers(0, len(words)))
            new.extend([" ".join(words[:cut]) + ".", " ".join(words[cut:]) + "."])
        elif action == "twice":
            new.extend([text, text])
    if len(new) > 1 and draw(st.booleans()):  # move a block
        start = draw(st.integers(0, len(new) - 1))
        stop = draw(st.integers(start + 1, len(new)))
        block, rest = new[start:stop], new[:start] + new[stop:]
        at = draw(st.integers(0, len(rest)))
        new = rest[:at] + block + rest[at:]
    for text in draw(st.lists(sentence, max_size=3)):
        new.insert(draw(st.integers(0, len(new))), text)
    return old, new


pairs = st.one_of(revisions(), st.tuples(sentences, sentences))


# --------------------------------------------------------------------------
# properties


@given(pairs)
def test_every_old_sentence_is_accounted_for_exactly_once(
    pair: tuple[list[str], list[str]],
) -> None:
    old, new = pair
    assert old_coverage(align(old, new)) == Counter(range(len(old)))


@given(pairs)
def test_every_new_sentence_is_accounted_for_exactly_once(
    pair: tuple[list[str], list[str]],
) -> None:
    old, new = pair
    assert new_coverage(align(old, new)) == Counter(range(len(new)))


@given(pairs)
def test_ops_follow_the_reading_order_of_the_new_text(pair: tuple[list[str], list[str]]) -> None:
    old, new = pair
    order = [op["new"] for op in align(old, new) if op["new"] is not None]
    assert order == sorted(order)


@given(pairs)
def test_changed_tokens_rebuild_old_and_new_sentences(pair: tuple[list[str], list[str]]) -> None:
    old, new = pair
    for op in align(old, new):
        if not op["changed"]:
            assert op["tokens"] == []
            continue
        olds = [old[i] for i in op.get("merged", [op["old"]])]
        news = [new[j] for j in op.get("split", [op["new"]])]
        assert rebuilt(op["tokens"]) == (" ".join(olds), " ".join(news))


@given(pairs)
def test_equal_and_unedited_moves_pair_identical_sentences(
    pair: tuple[list[str], list[str]],
) -> None:
    old, new = pair
    for op in align(old, new):
        if op["op"] == "equal" or (op["op"] == "moved" and not op["changed"]):
            assert old[op["old"]] == new[op["new"]]


@given(sentences)
def test_identical_texts_give_only_equal_ops(texts: list[str]) -> None:
    ops = align(texts, list(texts))
    assert kinds(ops) == [("equal", i, i) for i in range(len(texts))]


@given(st.text(max_size=40), st.text(max_size=40))
def test_word_diff_round_trips_any_two_strings(old: str, new: str) -> None:
    assert rebuilt(word_diff(old, new)) == (old, new)


# --------------------------------------------------------------------------
# behaviours on examples

PARA_A = ["Blinken arrived in Kyiv on Tuesday.", "He met President Zelensky at the palace."]
PARA_B = ["Russian forces advanced near Kharkiv.", "Evacuations continued in border towns."]


def test_swapped_paragraphs_are_moved_not_deleted_and_added() -> None:
    ops = align(PARA_A + PARA_B, PARA_B + PARA_A)
    assert summarize(ops) == {"equal": 2, "changed": 0, "added": 0, "deleted": 0, "moved": 2}


def test_edited_sentence_in_its_slot_is_changed() -> None:
    old = ["Kyiv is calm.", "Putin asked for two Patriot batteries.", "Talks go on."]
    new = ["Kyiv is calm.", "Zelensky asked for two Patriot batteries.", "Talks go on."]
    assert kinds(align(old, new)) == [("equal", 0, 0), ("changed", 1, 1), ("equal", 2, 2)]


def test_changed_sentence_tokens_mark_only_the_edited_word() -> None:
    ops = align(
        ["Putin asked for two Patriot batteries."], ["Zelensky asked for two Patriot batteries."]
    )
    assert ops[0]["tokens"] == [
        {"op": "delete", "text": "Putin"},
        {"op": "insert", "text": "Zelensky"},
        {"op": "equal", "text": " asked for two Patriot batteries."},
    ]


def test_unrelated_replacement_is_deleted_and_added() -> None:
    old = ["Kyiv is calm.", "The weather was mild all week.", "Talks go on."]
    new = ["Kyiv is calm.", "Congress approved a large aid package.", "Talks go on."]
    assert kinds(align(old, new)) == [
        ("equal", 0, 0),
        ("deleted", 1, None),
        ("added", None, 1),
        ("equal", 2, 2),
    ]


def test_deleted_sentence_is_listed_between_its_old_neighbours() -> None:
    old = ["First one here.", "Second one here.", "Third one here.", "Fourth one here."]
    new = ["First one here.", "Third one here.", "Fourth one here."]
    assert [op["op"] for op in align(old, new)] == ["equal", "deleted", "equal", "equal"]


def test_split_sentence_is_one_changed_op_listing_both_new_sentences() -> None:
    old = ["Kyiv is calm.", "Blinken visited Kyiv on Tuesday and met Zelensky at the palace."]
    new = ["Kyiv is calm.", "Blinken visited Kyiv on Tuesday.", "He met Zelensky at the palace."]
    ops = align(old, new)
    assert [op.get("split") for op in ops if op["op"] == "changed"] == [[1, 2]]
    assert summarize(ops)["added"] == 0


def test_merged_sentences_are_one_changed_op_listing_both_old_sentences() -> None:
    old = ["Kyiv is calm.", "Blinken visited Kyiv on Tuesday.", "He met Zelensky at the palace."]
    new = ["Kyiv is calm.", "Blinken visited Kyiv on Tuesday and met Zelensky at the palace."]
    ops = align(old, new)
    assert [op.get("merged") for op in ops if op["op"] == "changed"] == [[1, 2]]
    assert summarize(ops)["deleted"] == 0


def test_sentence_split_in_three_is_one_changed_op_listing_all_three() -> None:
    old = [
        "Kyiv is calm.",
        "The storm, which hit Fujian late on Thursday, cut power to 300,000 homes "
        "and left at least four people dead, officials said.",
    ]
    new = [
        "Kyiv is calm.",
        "The storm hit Fujian late on Thursday.",
        "It cut power to 300,000 homes.",
        "At least four people were dead, officials said.",
    ]
    ops = align(old, new)
    assert [op.get("split") for op in ops if op["op"] == "changed"] == [[1, 2, 3]]
    assert summarize(ops)["added"] == 0


def test_three_sentences_merged_are_one_changed_op_listing_all_three() -> None:
    old = [
        "Kyiv is calm.",
        "Blinken visited Kyiv on Tuesday.",
        "He met Zelensky at the palace.",
        "They discussed air defence.",
    ]
    new = [
        "Kyiv is calm.",
        "Blinken visited Kyiv on Tuesday, met Zelensky at the palace and discussed air defence.",
    ]
    ops = align(old, new)
    assert [op.get("merged") for op in ops if op["op"] == "changed"] == [[1, 2, 3]]
    assert summarize(ops)["deleted"] == 0


def test_a_split_does_not_take_an_unrelated_neighbour() -> None:
    old = ["Blinken visited Kyiv on Tuesday and met Zelensky at the palace.", "Talks go on."]
    new = [
        "Blinken visited Kyiv on Tuesday.",
        "He met Zelensky at the palace.",
        "Markets in Tokyo closed higher.",
        "Talks go on.",
    ]
    ops = align(old, new)
    assert [op.get("split") for op in ops if op["op"] == "changed"] == [[0, 1]]
    assert [op["new"] for op in ops if op["op"] == "added"] == [2]


def test_sentence_moved_and_edited_is_moved_with_changed_true() -> None:
    old = [
        "Putin asked for two Patriot batteries for Kharkiv.",
        "Blinken arrived in Kyiv on Tuesday.",
        "He met President Zelensky at the palace.",
        "Talks continued late into the night.",
    ]
    new = [
        "Blinken arrived in Kyiv on Tuesday.",
        "He met President Zelensky at the palace.",
        "Talks continued late into the night.",
        "Zelensky asked for two Patriot batteries for Kharkiv.",
    ]
    moved = [op for op in align(old, new) if op["op"] == "moved"]
    assert [(op["old"], op["new"], op["changed"]) for op in moved] == [(0, 3, True)]


def test_repeated_sentence_is_matched_in_place_not_moved() -> None:
    old = ["Source: AFP", "Kyiv is calm.", "Source: AFP", "Talks go on."]
    new = ["Source: AFP", "Kyiv is calm today.", "Source: AFP", "Talks go on."]
    assert [op["op"] for op in align(old, new)] == ["equal", "changed", "equal", "equal"]


def test_whitespace_only_difference_counts_as_equal() -> None:
    assert kinds(align(["Kyiv  is\ncalm."], ["Kyiv is calm."])) == [("equal", 0, 0)]


def test_summarize_counts_a_split_once_as_changed() -> None:
    ops = align(
        ["Blinken visited Kyiv on Tuesday and met Zelensky at the palace."],
        ["Blinken visited Kyiv on Tuesday.", "He met Zelensky at the palace."],
    )
    assert summarize(ops) == {"equal": 0, "changed": 1, "added": 0, "deleted": 0, "moved": 0}


def _news_like(count: int, salt: str) -> list[str]:
    return [
        f"Officials in district {salt}{n} reported {n % 7} incidents near the {salt}{n * 3} border post."
        for n in range(count)
    ]


def test_long_text_with_every_sentence_edited_is_paired_in_place() -> None:
    """2,500 edited sentences and no anchor: each is paired with its counterpart, in order.

    How long it takes is measured by bench/bench_diff.py, not asserted here.
    """
    ops = align(_news_like(2500, "a"), _news_like(2500, "b"))
    assert [(op["op"], op["old"]) for op in ops] == [("changed", n) for n in range(2500)]


# --------------------------------------------------------------------------
# numbers


def test_changed_numbers_lists_removed_and_added_figures() -> None:
    old = "Congress approved a $61 billion package in 2022, up 4.5%, and two batteries."
    new = "Congress approved a $60 billion package in 2022, up 4.5%, and three batteries."
    assert changed_numbers(old, new) == (["$61 billion", "two"], ["$60 billion", "three"])


def test_changed_numbers_is_empty_when_figures_only_move() -> None:
    assert changed_numbers("In 2022 he sent two.", "He sent two in 2022.") == ([], [])


# --------------------------------------------------------------------------
# attributions

OLD_TEXT = (
    "Zelensky thanked Blinken. Putin asked for two Patriot batteries for the Kharkiv area. "
    '"We will stand by your side," Blinken declared.'
)


def span(text: str, fragment: str) -> dict[str, Any]:
    start = text.index(fragment)
    return {"start": start, "end": start + len(fragment), "text": fragment}


def attribution(
    text: str, speaker: str | None, cue: str, content: str, name: str | None = None
) -> dict[str, Any]:
    return {
        "speaker": span(text, speaker) if speaker else None,
        "cue": span(text, cue),
        "content": span(text, content),
        "kind": "indirect",
        "speaker_name": name,
        "flags": [],
    }


def attributions_of(text: str, asker: str = "Putin", cue: str = "declared") -> list[dict[str, Any]]:
    return [
        attribution(text, asker, "asked", "for two Patriot batteries for the Kharkiv area"),
        attribution(text, "Blinken", cue, "We will stand by your side"),
    ]


def test_putin_to_zelensky_gives_exactly_one_speaker_change() -> None:
    new_text = OLD_TEXT.replace("Putin asked", "Zelensky asked")
    changes = attribution_changes(
        OLD_TEXT, attributions_of(OLD_TEXT), new_text, attributions_of(new_text, asker="Zelensky")
    )
    assert [c["kind"] for c in changes] == ["speaker-changed"]
    assert (changes[0]["old"]["speaker"]["text"], changes[0]["new"]["speaker"]["text"]) == (
        "Putin",
        "Zelensky",
    )


def test_unchanged_attributions_are_not_listed() -> None:
    attrs = attributions_of(OLD_TEXT)
    assert attribution_changes(OLD_TEXT, attrs, OLD_TEXT, attrs) == []


def test_new_cue_for_the_same_quote_is_a_cue_change() -> None:
    new_text = OLD_TEXT.replace("declared", "said")
    changes = attribution_changes(
        OLD_TEXT, attributions_of(OLD_TEXT), new_text, attributions_of(new_text, cue="said")
    )
    assert [(c["kind"], c["old"]["cue"]["text"], c["new"]["cue"]["text"]) for c in changes] == [
        ("cue-changed", "declared", "said")
    ]


def test_edited_quote_of_the_same_speaker_is_a_content_change() -> None:
    new_text = OLD_TEXT.replace("your side", "your side always")
    new_attrs = attributions_of(new_text)
    new_attrs[1] = attribution(new_text, "Blinken", "declared", "We will stand by your side always")
    changes = attribution_changes(OLD_TEXT, attributions_of(OLD_TEXT), new_text, new_attrs)
    assert [(c["kind"], c["new"]["content"]["text"]) for c in changes] == [
        ("content-changed", "We will stand by your side always")
    ]


def test_unmatched_attributions_are_added_and_removed() -> None:
    new_text = OLD_TEXT + " Kuleba said talks would continue."
    new_attrs = [
        attributions_of(new_text)[1],
        attribution(new_text, "Kuleba", "said", "talks would continue"),
    ]
    changes = attribution_changes(OLD_TEXT, attributions_of(OLD_TEXT), new_text, new_attrs)
    assert sorted(c["kind"] for c in changes) == ["added", "removed"]


def test_speaker_changes_come_before_other_changes() -> None:
    new_text = "Kuleba said talks went on. " + OLD_TEXT.replace("Putin asked", "Zelensky asked")
    new_attrs = [
        attribution(new_text, "Kuleba", "said", "talks went on"),
        *attributions_of(new_text, asker="Zelensky"),
    ]
    changes = attribution_changes(OLD_TEXT, attributions_of(OLD_TEXT), new_text, new_attrs)
    assert [c["kind"] for c in changes] == ["speaker-changed", "added"]


def test_speakers_are_compared_by_resolved_name_when_present() -> None:
    """ "He" and "Blinken" resolved to the same person are the same speaker."""
    new_text = OLD_TEXT.replace("Blinken declared", "he declared")
    old_attrs = attributions_of(OLD_TEXT)
    old_attrs[1]["speaker_name"] = "Antony Blinken"
    new_attrs = attributions_of(new_text)
    new_attrs[1] = attribution(
        new_text, "he", "declared", "We will stand by your side", "Antony Blinken"
    )
    assert attribution_changes(OLD_TEXT, old_attrs, new_text, new_attrs) == []


def test_surname_and_full_name_of_a_speaker_are_the_same_speaker() -> None:
    """An unresolved "Blinken" matches a speaker resolved as "Antony Blinken"."""
    old_attrs = attributions_of(OLD_TEXT)
    old_attrs[1]["speaker_name"] = "Antony Blinken"
    assert attribution_changes(OLD_TEXT, old_attrs, OLD_TEXT, attributions_of(OLD_TEXT)) == []


def test_a_respelt_name_is_not_a_speaker_change() -> None:
    """Transliteration house style: Zelenskiy -> Zelensky is the same person."""
    old_text = "Zelenskiy said talks would go on."
    new_text = "Zelensky said talks would go on."
    old = [attribution(old_text, "Zelenskiy", "said", "talks would go on", "Volodymyr Zelenskiy")]
    new = [attribution(new_text, "Zelensky", "said", "talks would go on", "Volodymyr Zelenskyy")]
    assert attribution_changes(old_text, old, new_text, new) == []
    accents = [attribution(old_text, "Zelenskiy", "said", "talks would go on", "Pedro Sánchez")]
    plain = [attribution(new_text, "Zelensky", "said", "talks would go on", "Pedro Sanchez")]
    assert attribution_changes(old_text, accents, new_text, plain) == []


def test_a_similar_but_different_surname_is_a_speaker_change() -> None:
    old_text = "Schulz said talks would go on."
    new_text = "Scholz said talks would go on."
    old = [attribution(old_text, "Schulz", "said", "talks would go on")]
    new = [attribution(new_text, "Scholz", "said", "talks would go on")]
    assert [c["kind"] for c in attribution_changes(old_text, old, new_text, new)] == [
        "speaker-changed"
    ]


def test_a_figure_corrected_inside_a_speaker_is_not_a_speaker_change() -> None:
    """The extractor may read "about 1,200 farms had asked" as a speaker."""
    old_text = "About 1,200 farms asked for aid."
    new_text = "About 1,400 farms asked for aid."
    old = [attribution(old_text, "About 1,200 farms", "asked", "for aid")]
    new = [attribution(new_text, "About 1,400 farms", "asked", "for aid")]
    assert attribution_changes(old_text, old, new_text, new) == []


def test_attribution_of_a_split_sentence_keeps_its_speaker_as_a_content_change() -> None:
    """Its content shrinks to the last part of the split: same speaker and cue."""
    old_text = (
        "The storm, which hit Fujian late on Thursday, cut power to 300,000 homes "
        "and left at least four people dead, officials said."
    )
    new_text = (
        "The storm hit Fujian late on Thursday. It cut power to 300,000 homes. "
        "At least four people were killed, officials said."
    )
    content = old_text[: old_text.index(", officials")]
    old = [attribution(old_text, "officials", "said", content)]
    new = [attribution(new_text, "officials", "said", "At least four people were killed")]
    assert sorted(c["kind"] for c in attribution_changes(old_text, old, new_text, new)) == [
        "added",
        "removed",
    ]
    pairs = [((0, len(old_text)), (0, len(new_text)))]
    changes = attribution_changes(old_text, old, new_text, new, sentence_pairs=pairs)
    assert [(c["kind"], c["parts"]) for c in changes] == [("content-changed", ["content"])]


# --------------------------------------------------------------------------
# documents


def test_diff_document_follows_the_diff_schema() -> None:
    old_text = "Kyiv is calm. Putin asked for two Patriot batteries."
    new_text = "Kyiv is calm. Zelensky asked for two Patriot batteries."
    analysis_old = {"sentences": [{"start": 0, "end": 13}, {"start": 14, "end": len(old_text)}]}
    analysis_new = {"sentences": [{"start": 0, "end": 13}, {"start": 14, "end": len(new_text)}]}
    diff = diff_document(old_text, analysis_old, new_text, analysis_new)
    assert set(diff) == {"schema", "old", "new", "ops", "attribution_changes"}
    assert diff["schema"] == SCHEMA
    assert diff["new"] == {"text": new_text, "sentences": analysis_new["sentences"]}
    assert kinds(diff["ops"]) == [("equal", 0, 0), ("changed", 1, 1)]


@settings(max_examples=30)
@given(pairs)
def test_diff_document_ops_index_the_analysis_sentences(pair: tuple[list[str], list[str]]) -> None:
    old, new = pair
    old_text, new_text = " ".join(old), " ".join(new)

    def analysis(texts: list[str]) -> dict[str, Any]:
        spans, at = [], 0
        for text in texts:
            spans.append({"start": at, "end": at + len(text)})
            at += len(text) + 1
        return {"sentences": spans, "attributions": []}

    diff = diff_document(old_text, analysis(old), new_text, analysis(new))
    assert diff["ops"] == align(old, new)


# --------------------------------------------------------------------------
# typography, honorifics, attributions in aligned sentences


def test_typographic_revision_anchors_in_place_and_is_flagged() -> None:
    old = ['"We will stand by you," Blinken said.', "He left - briefly - for Kharkiv."]
    new = ["“We will stand by you,” Blinken said.", "He left—briefly—for Kharkiv."]
    ops = align(old, new)
    assert [(op["op"], op.get("typographic")) for op in ops] == [
        ("changed", True),
        ("changed", True),
    ]
    assert rebuilt(ops[0]["tokens"]) == (old[0], new[0])


def test_typographic_change_of_many_sentences_keeps_a_moved_one_moved() -> None:
    old = ["A “one” here.", "B “two” here.", "C “three” here.", "D “four” here."]
    new = ['D "four" here.', 'A "one" here.', 'B "two" here.', 'C "three" here.']
    assert [(op["op"], op["old"], op["new"]) for op in align(old, new)] == [
        ("moved", 3, 0),
        ("changed", 0, 1),
        ("changed", 1, 2),
        ("changed", 2, 3),
    ]


def test_curly_quotes_in_cue_and_content_are_no_attribution_change() -> None:
    new_text = OLD_TEXT.replace('"We will stand by your side,"', "“We will stand by your side,”")
    new_attrs = attributions_of(new_text)
    old_attrs = attributions_of(OLD_TEXT)
    old_attrs[1]["cue"] = span(OLD_TEXT, '"')
    new_attrs[1]["cue"] = span(new_text, "“")
    assert attribution_changes(OLD_TEXT, old_attrs, new_text, new_attrs) == []


def test_an_honorific_is_not_a_speaker_change() -> None:
    old_text = "Mr Blinken said talks would go on."
    new_text = "Antony Blinken said talks would go on."
    old = [attribution(old_text, "Mr Blinken", "said", "talks would go on")]
    new = [attribution(new_text, "Antony Blinken", "said", "talks would go on")]
    assert attribution_changes(old_text, old, new_text, new) == []


def test_speaker_fixed_and_quote_reworded_in_a_paired_sentence_is_a_speaker_change() -> None:
    """Content similarity below the same-content bar, but the sentences are paired."""
    old_text = '"Our partners have the systems, and they know it," Kuleba said.'
    new_text = '"Our partners have these systems and they know that," Shmyhal said.'
    old = [
        attribution(old_text, "Kuleba", "said", "Our partners have the systems, and they know it")
    ]
    new = [
        attribution(
            new_text, "Shmyhal", "said", "Our partners have these systems and they know that"
        )
    ]
    assert sorted(c["kind"] for c in attribution_changes(old_text, old, new_text, new)) == [
        "added",
        "removed",
    ]
    pairs = [((0, len(old_text)), (0, len(new_text)))]
    changes = attribution_changes(old_text, old, new_text, new, sentence_pairs=pairs)
    assert [(c["kind"], c["parts"]) for c in changes] == [
        ("speaker-changed", ["speaker", "content"])
    ]


def test_content_span_grown_over_a_neighbouring_attribution_is_no_change() -> None:
    """Biden's quote is untouched; only the extractor's span for it ran on over "Scholz said"."""
    old_text = "Biden said the loan sent a message, while Macron said it would help."
    new_text = "Biden said the loan sent a message, while Scholz said it would help."

    def second(text: str, speaker: str) -> dict[str, Any]:
        found = attribution(text, speaker, "said", "it would help")
        found["cue"] = span(text, f"{speaker} said")
        found["cue"]["start"] += len(speaker) + 1
        found["cue"]["text"] = "said"
        return found

    old = [
        attribution(old_text, "Biden", "said", "the loan sent a message"),
        second(old_text, "Macron"),
    ]
    grown = "the loan sent a message, while Scholz said it would help"
    new = [attribution(new_text, "Biden", "said", grown), second(new_text, "Scholz")]
    changes = attribution_changes(old_text, old, new_text, new)
    assert [(c["kind"], c["new"]["speaker"]["text"]) for c in changes] == [
        ("speaker-changed", "Scholz")
    ]


def test_diff_document_passes_paired_sentences_to_the_attribution_diff() -> None:
    old_text = '"Our partners have the systems, and they know it," Kuleba said.'
    new_text = '"Our partners have these systems and they know that," Shmyhal said.'
    old = {
        "sentences": [{"start": 0, "end": len(old_text)}],
        "attributions": [
            attribution(
                old_text, "Kuleba", "said", "Our partners have the systems, and they know it"
            )
        ],
    }
    new = {
        "sentences": [{"start": 0, "end": len(new_text)}],
        "attributions": [
            attribution(
                new_text, "Shmyhal", "said", "Our partners have these systems and they know that"
            )
        ],
    }
    diff = diff_document(old_text, old, new_text, new)
    assert [c["kind"] for c in diff["attribution_changes"]] == ["speaker-changed"]
