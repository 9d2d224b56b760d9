"""Anchoring annotations to text and placing them on later revisions, on plain strings."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from review.anchoring import CONTEXT, PLACEMENT_STATES, Placement, Quote, locate, place, quote_for
from review.diffing import align

# --------------------------------------------------------------------------
# helpers

Sentences = list[dict[str, int]]
Article = tuple[str, Sentences]


def article(*paragraphs: list[str]) -> Article:
    """Body text and sentence offsets: sentences joined by a space, paragraphs by a blank line."""
    text, sentences = "", []
    for p, paragraph in enumerate(paragraphs):
        if p:
            text += "\n\n"
        for s, sentence in enumerate(paragraph):
            if s:
                text += " "
            sentences.append({"start": len(text), "end": len(text) + len(sentence)})
            text += sentence
    return text, sentences


def quote_at(text: str, exact: str, occurrence: int = 0) -> Quote:
    """The quote of the n-th occurrence of exact in text."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(exact, start + 1)
    return quote_for(text, start, start + len(exact))


def placed(old: Article, new: Article, exact: str, occurrence: int = 0) -> Placement:
    return place(
        quote_at(old[0], exact, occurrence),
        old_text=old[0],
        old_sentences=old[1],
        new_text=new[0],
        new_sentences=new[1],
    )


def ops_of(old: Article, new: Article) -> list[dict[str, Any]]:
    return align(
        [old[0][s["start"] : s["end"]] for s in old[1]],
        [new[0][s["start"] : s["end"]] for s in new[1]],
    )


def carried_at(new: Article, exact: str, occurrence: int = 0) -> Placement:
    start = quote_at(new[0], exact, occurrence)["start"]
    return {"state": "carried", "start": start, "end": start + len(exact), "text": exact}


def changed_to(new: Article, text: str) -> Placement:
    start = new[0].index(text)
    return {"state": "changed", "start": start, "end": start + len(text), "text": text}


ORPHANED: Placement = {"state": "orphaned", "start": None, "end": None, "text": None}

# A story of our own: a misattribution corrected in a later revision.
LEDE = "Ukraine pressed its allies on Tuesday for more air defence to protect its second city."
PUTIN = "Putin asked for two Patriot batteries for the Kharkiv area."
ZELENSKY = "Zelensky asked for two Patriot batteries for the Kharkiv area."
GRID = "The request came a day after Russian strikes damaged the city's power grid."
WASHINGTON = "Officials in Washington said the administration was weighing the request."
GERMANY = "Germany has delivered three Patriot systems since the start of the war."
KREMLIN = "The Kremlin did not respond to a request for comment."
SHELLING = "Kharkiv has been under near-daily bombardment since early May."
WATER = "Residents queued for water at distribution points across the city."
SCHOOLS = "The mayor said schools would stay closed until the end of the week."
NATO = "A NATO spokesperson declined to comment on the talks."

OLD = article([LEDE, PUTIN], [GRID, WASHINGTON], [GERMANY, KREMLIN])


# --------------------------------------------------------------------------
# quote_for and locate


def test_quote_for_keeps_the_exact_text_and_its_context() -> None:
    text = OLD[0]
    start = text.index("two Patriot")
    quote = quote_for(text, start, start + len("two Patriot"))
    assert quote == {
        "exact": "two Patriot",
        "prefix": text[start - CONTEXT : start],
        "suffix": text[start + 11 : start + 11 + CONTEXT],
        "start": start,
        "end": start + 11,
    }


def test_quote_for_context_stops_at_the_ends_of_the_text() -> None:
    quote = quote_for(PUTIN, 0, len("Putin"), context=10)
    assert (quote["prefix"], quote["suffix"]) == ("", " asked for")


def test_locate_finds_a_quote_in_its_own_text() -> None:
    quote = quote_at(OLD[0], "the request")
    assert locate(OLD[0], quote) == (quote["start"], quote["end"])


@given(
    st.text(alphabet="ab .\n", min_size=1, max_size=80),
    st.data(),
    st.integers(min_value=0, max_value=40),
)
def test_quote_for_then_locate_round_trips_on_any_text(
    text: str, data: st.DataObject, context: int
) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assume(text[start:end].strip())
    quote = quote_for(text, start, end, context=context)
    assert quote["exact"] == text[start:end]
    assert locate(text, quote) == (start, end)


def test_locate_in_another_text_follows_the_shift() -> None:
    quote = quote_at(OLD[0], "two Patriot batteries")
    shifted = "Russian strikes hit Kharkiv overnight. " + OLD[0]
    start = shifted.index("two Patriot batteries")
    assert locate(shifted, quote) == (start, start + len("two Patriot batteries"))


def test_locate_returns_none_when_the_text_is_gone() -> None:
    assert locate(OLD[0].replace("Patriot", "air defence"), quote_at(OLD[0], "Patriot")) is None


TWICE_BY_PREFIX = "Putin said the talks would resume. Zelensky said the talks would resume."
TWICE_BY_SUFFIX = "The talks would resume on Monday. The talks would resume on Friday."


def test_same_quote_twice_is_told_apart_by_its_prefix() -> None:
    quote = quote_at(TWICE_BY_PREFIX, "the talks would resume", occurrence=1)
    moved_away = "Earlier, " + TWICE_BY_PREFIX.replace("Putin said", "Putin, speaking late, said")
    start = moved_away.index("Zelensky said ") + len("Zelensky said ")
    assert locate(moved_away, quote) == (start, start + len("the talks would resume"))


def test_same_quote_twice_is_told_apart_by_its_suffix() -> None:
    quote = quote_at(TWICE_BY_SUFFIX, "The talks would resume")
    reworded = "Officials said that " + TWICE_BY_SUFFIX
    start = reworded.index("The talks would resume on Monday")
    assert locate(reworded, quote) == (start, start + len("The talks would resume"))


def test_same_quote_twice_follows_its_context_when_the_order_flips() -> None:
    quote = quote_at(TWICE_BY_PREFIX, "the talks would resume", occurrence=1)
    flipped = "Zelensky said the talks would resume. Putin said the talks would resume."
    start = len("Zelensky said ")
    assert locate(flipped, quote) == (start, start + len("the talks would resume"))


def test_same_quote_twice_with_the_other_occurrence_followed_by_suffix() -> None:
    quote = quote_at(TWICE_BY_SUFFIX, "The talks would resume", occurrence=1)
    flipped = "The talks would resume on Friday. The talks would resume on Monday."
    assert locate(flipped, quote) == (0, len("The talks would resume"))


REPEATED = "Source: AFP. Weather: mild. Source: AFP."


def test_same_context_twice_is_decided_by_the_nearer_position() -> None:
    quote = quote_at(REPEATED, "Source: AFP.", occurrence=1)
    shifted = "Updated. " + REPEATED
    start = shifted.rindex("Source: AFP.")
    assert locate(shifted, quote) == (start, start + len("Source: AFP."))


def test_locate_is_none_when_context_and_position_cannot_decide() -> None:
    first, second = REPEATED.index("AFP"), REPEATED.rindex("AFP")
    midway = (first + second) // 2
    quote: Quote = {"exact": "AFP", "prefix": "", "suffix": "", "start": midway, "end": midway + 3}
    assert locate(REPEATED, quote) is None


# --------------------------------------------------------------------------
# place: carried, changed, orphaned


def test_insertion_before_the_quote_carries_it_at_new_offsets() -> None:
    new = article([SHELLING, LEDE, PUTIN], [GRID, WASHINGTON], [GERMANY, KREMLIN])
    assert placed(OLD, new, "two Patriot batteries") == carried_at(new, "two Patriot batteries")


def test_identical_text_carries_the_quote_where_it_was() -> None:
    quote = quote_at(OLD[0], "weighing the request")
    placement = place(
        quote, old_text=OLD[0], old_sentences=OLD[1], new_text=OLD[0], new_sentences=OLD[1]
    )
    assert (placement["state"], placement["start"]) == ("carried", quote["start"])


def test_edited_anchored_text_is_changed_with_its_new_text() -> None:
    new = article([LEDE, ZELENSKY], [GRID, WASHINGTON], [GERMANY, KREMLIN])
    assert placed(OLD, new, "Putin") == changed_to(new, "Zelensky")


def test_edited_whole_sentence_is_changed_with_the_new_sentence() -> None:
    new = article([LEDE, ZELENSKY], [GRID, WASHINGTON], [GERMANY, KREMLIN])
    assert placed(OLD, new, PUTIN) == changed_to(new, ZELENSKY)


def test_edit_elsewhere_in_the_sentence_keeps_the_quote_carried() -> None:
    new = article([LEDE, ZELENSKY], [GRID, WASHINGTON], [GERMANY, KREMLIN])
    assert placed(OLD, new, "two Patriot batteries") == carried_at(new, "two Patriot batteries")


def test_name_that_recurs_later_in_the_edited_sentence_is_not_carried_there() -> None:
    """The misattributed "Putin" becomes "Zelensky"; a later "Putin" is another mention."""
    edited = "Zelensky asked for two Patriot batteries for the Kharkiv area, which Putin called a provocation."
    new = article([LEDE, edited], [GRID, WASHINGTON], [GERMANY, KREMLIN])
    assert placed(OLD, new, "Putin") == changed_to(new, "Zelensky")


def test_inserted_word_inside_the_quote_is_changed() -> None:
    edited = PUTIN.replace("two Patriot", "two more Patriot")
    new = article([LEDE, edited], [GRID, WASHINGTON], [GERMANY, KREMLIN])
    assert placed(OLD, new, "two Patriot batteries") == changed_to(
        new, "two more Patriot batteries"
    )


def test_quoted_words_cut_from_a_surviving_sentence_give_the_whole_sentence() -> None:
    old = article([LEDE, "Putin asked for two Patriot batteries for the Kharkiv area on Monday."])
    new = article([LEDE, PUTIN])
    assert placed(old, new, " on Monday") == changed_to(new, PUTIN)


def test_deleted_sentence_orphans_its_annotation() -> None:
    new = article([LEDE], [GRID, WASHINGTON], [GERMANY, KREMLIN])
    assert placed(OLD, new, "Putin asked") == ORPHANED


def test_similar_sentence_elsewhere_does_not_receive_the_annotation() -> None:
    """The sentence is cut; a near-identical one in another paragraph must not take its note."""
    elsewhere = "Zelensky asked for two Patriot batteries for the Kharkiv area, his office said."
    old = article([LEDE, PUTIN], [GRID, WASHINGTON], [elsewhere, KREMLIN])
    new = article([LEDE], [GRID, WASHINGTON], [elsewhere, KREMLIN])
    assert placed(old, new, PUTIN) == ORPHANED


def test_exact_words_elsewhere_do_not_receive_the_annotation_of_a_cut_sentence() -> None:
    old = article([LEDE, PUTIN], [GRID, WASHINGTON], [GERMANY, KREMLIN])
    new = article([LEDE], [GRID, WASHINGTON], [GERMANY.replace("three", "two"), KREMLIN])
    assert "two Patriot" in new[0]
    assert placed(old, new, "two Patriot") == ORPHANED


def test_moved_sentence_is_carried_to_its_new_place() -> None:
    new = article([LEDE], [GRID, WASHINGTON], [GERMANY, KREMLIN, PUTIN])
    assert placed(OLD, new, "for the Kharkiv area") == carried_at(new, "for the Kharkiv area")


def test_moved_and_edited_sentence_is_changed_in_its_new_place() -> None:
    new = article([LEDE], [GRID, WASHINGTON], [GERMANY, KREMLIN, ZELENSKY])
    assert any(op["op"] == "moved" and op["changed"] for op in ops_of(OLD, new))
    assert placed(OLD, new, "Putin asked") == changed_to(new, "Zelensky asked")


def test_moved_sentence_with_the_same_quote_twice_follows_the_alignment() -> None:
    old = article(
        ["Putin said the talks would resume.", WATER], ["Zelensky said the talks would resume."]
    )
    new = article(
        ["Zelensky said the talks would resume.", WATER], ["Putin said the talks would resume."]
    )
    assert placed(old, new, "the talks would resume", occurrence=1) == carried_at(
        new, "the talks would resume"
    )


SPLIT_OLD = (
    "The mayor said schools would stay closed until Friday, and officials said water was rationed."
)
SPLIT_NEW = [
    "The mayor said schools would stay closed until Friday.",
    "Officials said water was rationed.",
]


def test_split_sentence_carries_a_quote_inside_one_part() -> None:
    old = article([LEDE, SPLIT_OLD, NATO])
    new = article([LEDE, *SPLIT_NEW, NATO])
    assert placed(old, new, "water was rationed") == carried_at(new, "water was rationed")


def test_split_sentence_changes_a_quote_over_the_split() -> None:
    old = article([LEDE, SPLIT_OLD, NATO])
    new = article([LEDE, *SPLIT_NEW, NATO])
    assert placed(old, new, "Friday, and officials said") == changed_to(
        new, "Friday. Officials said"
    )


def test_merged_sentences_carry_a_quote_inside_one_of_them() -> None:
    old = article([LEDE, *SPLIT_NEW, NATO])
    new = article([LEDE, SPLIT_OLD, NATO])
    assert placed(old, new, "schools would stay closed") == carried_at(
        new, "schools would stay closed"
    )


def test_merged_sentences_change_a_quote_over_the_merge() -> None:
    old = article([LEDE, *SPLIT_NEW, NATO])
    new = article([LEDE, SPLIT_OLD, NATO])
    assert placed(old, new, "Friday. Officials") == changed_to(new, "Friday, and officials")


def test_quote_over_two_sentences_is_carried_when_both_stay_together() -> None:
    new = article([SHELLING], [LEDE, PUTIN], [GRID, WASHINGTON], [GERMANY, KREMLIN])
    exact = "for the Kharkiv area.\n\nThe request came"
    assert placed(OLD, new, exact) == carried_at(new, exact)


def test_quote_over_two_sentences_is_changed_when_one_is_edited() -> None:
    new = article([LEDE, ZELENSKY], [GRID, WASHINGTON], [GERMANY, KREMLIN])
    exact = "protect its second city. Putin asked"
    assert placed(OLD, new, exact) == changed_to(new, "protect its second city. Zelensky asked")


def test_quote_over_two_sentences_is_changed_to_the_surviving_one() -> None:
    new = article([LEDE], [GRID, WASHINGTON], [GERMANY, KREMLIN])
    exact = "its second city. Putin asked"
    assert placed(OLD, new, exact) == changed_to(new, "its second city.")


def test_quote_over_two_sentences_drifting_apart_is_changed() -> None:
    new = article([PUTIN], [GRID, WASHINGTON], [GERMANY, KREMLIN, LEDE])
    placement = placed(OLD, new, "its second city. Putin asked")
    assert placement == changed_to(new, "its second city.")


def test_quote_over_two_sentences_whose_order_flips_is_changed() -> None:
    new = article([PUTIN, LEDE], [GRID, WASHINGTON], [GERMANY, KREMLIN])
    assert placed(OLD, new, "second city. Putin asked")["state"] == "changed"


def test_curly_quotes_in_the_quoted_range_make_it_changed() -> None:
    old = article([LEDE, 'He called it "a lifeline for Kharkiv", his office said.'])
    new = article([LEDE, "He called it \u201ca lifeline for Kharkiv\u201d, his office said."])
    assert placed(old, new, '"a lifeline for Kharkiv"') == changed_to(
        new, "\u201ca lifeline for Kharkiv\u201d"
    )


def test_curly_quotes_outside_the_quoted_range_keep_it_carried() -> None:
    old = article([LEDE, 'He called it "a lifeline for Kharkiv", his office said.'])
    new = article([LEDE, "He called it \u201ca lifeline for Kharkiv\u201d, his office said."])
    assert placed(old, new, "a lifeline for Kharkiv") == carried_at(new, "a lifeline for Kharkiv")


def test_clause_moved_inside_its_sentence_is_carried_by_its_context() -> None:
    """The word diff keeps the long clause in place; the moved one is found by its context."""
    old = article(
        [
            LEDE,
            "Two Patriot batteries and their crews reached the Kharkiv region overnight after "
            "weeks of delays at the Polish border, the defence ministry in Kyiv said in a "
            "statement on Tuesday.",
        ]
    )
    new = article(
        [
            LEDE,
            "The defence ministry in Kyiv said in a statement on Tuesday that two Patriot "
            "batteries and their crews reached the Kharkiv region overnight after weeks of "
            "delays at the Polish border.",
        ]
    )
    exact = "ministry in Kyiv said in a statement"
    assert placed(old, new, exact) == carried_at(new, exact)


def test_precomputed_ops_give_the_same_placement() -> None:
    new = article([LEDE, ZELENSKY], [GRID, WASHINGTON], [GERMANY, KREMLIN])
    ops = ops_of(OLD, new)
    quote = quote_at(OLD[0], "Putin")
    assert place(
        quote,
        old_text=OLD[0],
        old_sentences=OLD[1],
        new_text=new[0],
        new_sentences=new[1],
        ops=ops,
    ) == changed_to(new, "Zelensky")


def test_without_sentences_only_the_exact_text_in_context_is_carried() -> None:
    quote = quote_at(OLD[0], "two Patriot batteries")
    new_text = SHELLING + " " + OLD[0]
    placement = place(quote, old_text=OLD[0], old_sentences=[], new_text=new_text, new_sentences=[])
    assert placement == carried_at((new_text, []), "two Patriot batteries")


def test_without_sentences_an_edited_quote_is_orphaned() -> None:
    quote = quote_at(OLD[0], "Putin asked")
    new_text = OLD[0].replace("Putin", "Zelensky")
    placement = place(quote, old_text=OLD[0], old_sentences=[], new_text=new_text, new_sentences=[])
    assert placement == ORPHANED


# --------------------------------------------------------------------------
# place: properties

POOL = [LEDE, PUTIN, GRID, WASHINGTON, GERMANY, KREMLIN, SHELLING, WATER, SCHOOLS, NATO]
EXTRA = [
    "Power was restored to most districts by the evening.",
    "The governor urged residents to stay in shelters during alerts.",
    "Rail services to the city resumed after a two-day halt.",
    "Aid groups said they had sent generators and blankets.",
]
FILLER_WORDS = ["reportedly", "again", "late", "briefly", "officially"]


@st.composite
def edited_around(draw: st.DrawFn) -> tuple[list[list[str]], list[list[str]], int, int, int]:
    """Old paragraphs, new paragraphs edited everywhere but one sentence, and a range in it."""
    old_sentences = draw(st.permutations(POOL).map(lambda p: list(p[: 3 + len(p) % 5])))
    anchored = draw(st.integers(0, len(old_sentences) - 1))
    spare = [s for s in EXTRA if s not in old_sentences]
    new_sentences: list[str] = []
    for n, sentence in enumerate(old_sentences):
        action = (
            "keep"
            if n == anchored
            else draw(st.sampled_from(["keep", "delete", "replace", "edit", "insert"]))
        )
        if action in ("keep", "insert"):
            new_sentences.append(sentence)
        if action == "edit":
            words = sentence.split()
            words.insert(draw(st.integers(1, len(words) - 1)), draw(st.sampled_from(FILLER_WORDS)))
            new_sentences.append(" ".join(words))
        if action in ("replace", "insert") and spare:
            new_sentences.append(spare.pop(draw(st.integers(0, len(spare) - 1))))
    if draw(st.booleans()) and spare:
        new_sentences.insert(0, spare.pop())
    text = old_sentences[anchored]
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    assume(text[start:end].strip())
    return (
        paragraphs(old_sentences, draw(st.integers(1, 3))),
        paragraphs(new_sentences, draw(st.integers(1, 3))),
        anchored,
        start,
        end,
    )


def paragraphs(sentences: list[str], size: int) -> list[list[str]]:
    return [sentences[n : n + size] for n in range(0, len(sentences), size)]


@settings(max_examples=150)
@given(edited_around())
def test_edits_outside_the_anchored_sentence_keep_the_quote_carried(
    case: tuple[list[list[str]], list[list[str]], int, int, int],
) -> None:
    old_paragraphs, new_paragraphs, anchored, start, end = case
    old, new = article(*old_paragraphs), article(*new_paragraphs)
    offset = old[1][anchored]["start"]
    quote = quote_for(old[0], offset + start, offset + end)
    placement = place(
        quote, old_text=old[0], old_sentences=old[1], new_text=new[0], new_sentences=new[1]
    )
    assert placement["state"] == "carried"
    assert new[0][placement["start"] : placement["end"]] == quote["exact"]


WORDS = ["Kyiv", "aid", "Patriot", "said", "the", "two", "talks", "on"]
small_sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(
    lambda words: " ".join(words) + "."
)


@settings(max_examples=150)
@given(
    st.lists(small_sentence, min_size=1, max_size=8),
    st.lists(small_sentence, max_size=8),
    st.data(),
)
def test_any_placement_is_consistent_with_the_new_text(
    old_list: list[str], new_list: list[str], data: st.DataObject
) -> None:
    """Carried holds exact; changed is a non-empty range of the new text; orphaned has no range."""
    old, new = article(old_list), article(new_list)
    start = data.draw(st.integers(0, len(old[0]) - 1))
    end = data.draw(st.integers(start + 1, len(old[0])))
    assume(old[0][start:end].strip())
    quote = quote_for(old[0], start, end)
    placement = place(
        quote, old_text=old[0], old_sentences=old[1], new_text=new[0], new_sentences=new[1]
    )
    assert placement["state"] in PLACEMENT_STATES
    if placement["state"] == "orphaned":
        assert (placement["start"], placement["end"], placement["text"]) == (None, None, None)
        return
    assert placement["start"] is not None and placement["end"] is not None
    assert 0 <= placement["start"] < placement["end"] <= len(new[0])
    assert placement["text"] == new[0][placement["start"] : placement["end"]]
    if placement["state"] == "carried":
        assert placement["text"] == quote["exact"]


# --------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 4), (3, 3), (5, 2), (0, len(PUTIN) + 1), (len(PUTIN), len(PUTIN) + 2)],
)
def test_quote_for_rejects_a_range_outside_the_text(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="start < end"):
        quote_for(PUTIN, start, end)


def test_quote_for_rejects_an_empty_text() -> None:
    with pytest.raises(ValueError, match="start < end"):
        quote_for("", 0, 0)


def test_quote_for_rejects_a_whitespace_selection() -> None:
    with pytest.raises(ValueError, match="only whitespace"):
        quote_for(OLD[0], OLD[1][0]["end"], OLD[1][1]["start"])


def test_quote_for_rejects_a_negative_context() -> None:
    with pytest.raises(ValueError, match="context must not be negative"):
        quote_for(PUTIN, 0, 5, context=-1)


def test_quote_for_rejects_non_integer_offsets() -> None:
    with pytest.raises(ValueError, match="must be an integer"):
        quote_for(PUTIN, "0", 5)  # type: ignore[arg-type]


def bad(**changes: Any) -> Quote:
    quote = quote_at(OLD[0], "Putin")
    return {**quote, **changes}  # type: ignore[typeddict-item]


@pytest.mark.parametrize(
    ("quote", "message"),
    [
        (bad(exact=""), "exact"),
        (bad(exact="   "), "exact"),
        (bad(end=bad()["start"]), "do not span"),
        (bad(start=-1, end=4), "do not span"),
        (bad(prefix=None), "prefix"),
    ],
)
def test_locate_rejects_a_malformed_quote(quote: Quote, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        locate(OLD[0], quote)


def place_on_itself(quote: Quote, text: str = OLD[0], sentences: Sentences = OLD[1]) -> Placement:
    return place(
        quote, old_text=text, old_sentences=sentences, new_text=text, new_sentences=sentences
    )


def test_place_rejects_a_quote_that_is_not_in_the_old_text() -> None:
    with pytest.raises(ValueError, match="not the quote's exact text"):
        place_on_itself(bad(exact="Biden"))


def test_place_rejects_a_quote_past_the_end_of_the_old_text() -> None:
    end = len(OLD[0]) + 5
    with pytest.raises(ValueError, match="past the end"):
        place_on_itself(bad(start=end - 5, end=end))


def test_place_rejects_an_empty_old_text() -> None:
    with pytest.raises(ValueError, match="past the end"):
        place_on_itself(bad(), text="", sentences=[])


def test_place_rejects_sentences_outside_the_text() -> None:
    with pytest.raises(ValueError, match=r"old_sentences\[0\]"):
        place_on_itself(bad(), sentences=[{"start": 0, "end": len(OLD[0]) + 1}])


def test_place_rejects_ops_that_miss_the_quoted_sentence() -> None:
    quote = quote_at(OLD[0], "Putin")
    with pytest.raises(ValueError, match="old sentence 1 is not accounted for"):
        place(
            quote,
            old_text=OLD[0],
            old_sentences=OLD[1],
            new_text=OLD[0],
            new_sentences=OLD[1],
            ops=[{"op": "equal", "old": 0, "new": 0, "changed": False, "tokens": []}],
        )
