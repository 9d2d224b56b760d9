"""articles.changes: which new versions are only minor changes (plain strings)."""

from __future__ import annotations

from articles.changes import fold_typography, is_minor_change

BODY = (
    "“We need two Patriot batteries,” Zelensky said on Tuesday.\n\n"
    "The talks on 3 June ended without a deal — officials said."
)


def version(body: str = BODY, **fields: str) -> dict[str, str]:
    return {"title": "Talks end", "standfirst": "", "byline": "Jo Reporter", "body": body, **fields}


def test_identical_versions_are_not_a_minor_change() -> None:
    assert not is_minor_change(version(), version())


def test_straight_quotes_for_curly_ones_are_minor() -> None:
    assert is_minor_change(version(), version(BODY.replace("“", '"').replace("”", '"')))


def test_a_dash_and_spacing_change_is_minor() -> None:
    assert is_minor_change(version(), version(BODY.replace(" — ", " - ").replace("on ", "on  ")))


def test_a_comma_added_before_a_space_is_minor() -> None:
    assert is_minor_change(version(), version(BODY.replace("The talks on", "The talks, on")))


def test_a_furniture_paragraph_added_is_minor() -> None:
    assert is_minor_change(version(), version(BODY + "\n\nAdvertisement"))


def test_a_changed_timestamp_line_is_minor() -> None:
    old = version(BODY + "\n\nUpdated 14 May 2024 22:34 BST")
    new = version(BODY + "\n\nUpdated 3 June 2024 17:01 BST")
    assert is_minor_change(old, new)


def test_a_changed_speaker_is_not_minor() -> None:
    assert not is_minor_change(version(), version(BODY.replace("Zelensky", "Putin")))


def test_a_changed_date_inside_a_sentence_is_not_minor() -> None:
    assert not is_minor_change(version(), version(BODY.replace("3 June", "4 June")))


def test_a_changed_number_is_not_minor() -> None:
    assert not is_minor_change(version(), version(BODY.replace("two Patriot", "three Patriot")))


def test_a_changed_headline_is_not_minor() -> None:
    assert not is_minor_change(version(), version(title="Talks collapse"))


def test_a_headline_changed_only_in_typography_is_minor() -> None:
    assert is_minor_change(version(title="Kyiv's plea"), version(title="Kyiv’s plea"))


def test_thousands_separators_are_not_folded_away() -> None:
    assert fold_typography("1,000 troops") != fold_typography("1000 troops")
