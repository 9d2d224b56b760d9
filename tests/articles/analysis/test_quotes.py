"""Quotation marks paired on plain strings (articles.analysis.quotes)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from articles.analysis.quotes import inner, quotations


def quoted(text: str) -> list[str]:
    """The text of each quotation found, marks included when closed."""
    return [text[a : b + 1] if closed else text[a:b] for a, b, closed in quotations(text)]


def test_straight_double_quotes_pair_left_to_right() -> None:
    text = '"We will win," she said. "And soon."'
    assert quoted(text) == ['"We will win,"', '"And soon."']


def test_curly_quotes_and_guillemets_pair() -> None:
    text = "“Hold the line,” he said; «Nous tiendrons», wrote Le Monde."
    assert quoted(text) == ["“Hold the line,”", "«Nous tiendrons»"]


def test_a_quotation_open_at_the_end_of_its_line_is_not_closed() -> None:
    text = "He said: “We will fight on\n“And we will win.”"
    assert quotations(text) == [(9, 26, False), (27, 44, True)]


def test_a_quotation_never_runs_over_a_line_break() -> None:
    text = 'She said "yes\nand" no'
    assert quotations(text) == [(9, 13, False)]  # the closing mark opens nothing


def test_a_straight_quote_before_a_space_does_not_open() -> None:
    assert quotations('A 6" pipe and a 12" one') == []


def test_curly_single_quotes_pair_on_a_line_without_double_quotes() -> None:
    text = "The minister called it ‘a betrayal of farmers’ on Tuesday."
    assert quoted(text) == ["‘a betrayal of farmers’"]


def test_an_apostrophe_inside_a_word_does_not_close_a_single_quote() -> None:
    text = "He called it ‘Kyiv’s darkest hour’ yesterday."
    assert quoted(text) == ["‘Kyiv’s darkest hour’"]


def test_single_quotes_are_ignored_where_double_quotes_pair() -> None:
    text = "“It was ‘unacceptable’,” she said."
    assert quoted(text) == ["“It was ‘unacceptable’,”"]


def test_offsets_index_the_whole_text_across_crlf_lines() -> None:
    text = 'First line.\r\n"Second," he said.'
    ((open_at, close_at, closed),) = quotations(text)
    assert (text[open_at], text[close_at], closed) == ('"', '"', True)


def test_inner_drops_spaces_and_a_trailing_comma() -> None:
    text = "“ We will win, ” she said"
    assert inner(text, 0, 15) == (2, 13)
    assert text[2:13] == "We will win"


def test_inner_is_none_without_a_word_inside() -> None:
    assert inner('"…"', 0, 2) is None
    assert inner('""', 0, 1) is None


@given(st.text(alphabet='ab “”"«»‘’\n.,', max_size=60))
def test_quotations_open_before_they_close_inside_one_line(text: str) -> None:
    for open_at, close_at, _ in quotations(text):
        assert 0 <= open_at < close_at <= len(text)
        assert "\n" not in text[open_at:close_at]
