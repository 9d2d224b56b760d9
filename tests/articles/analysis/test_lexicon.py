"""The lexicon files: how they are read, and what must hold between the lists."""

from __future__ import annotations

import pytest

from articles.analysis import lexicon

# Lists that a rule checks one after the other, so that a word in both would
# silently take the first rule only.
MUST_BE_DISJOINT = [
    # speaker_name: he/she resolve to a person before they/them to a group.
    ("person_pronouns", "plural_pronouns"),
    # _context_label: a name ending in a facility word is FAC before ORG.
    ("facility_heads", "org_heads"),
    # _context_label: an organisation noun before a name makes it ORG before a
    # role noun can make it PERSON ("agency AFAD", "boss Unai Emery").
    ("org_nouns", "role_nouns"),
    # A name modifying a place noun votes GPE; one modifying a medium is ORG.
    ("place_nouns", "media_nouns"),
    # _numeric_spans: a scale word is read before the currency word after it.
    ("scales", "currencies"),
    # A cue under a refusal is dropped ("declined to say"): never a cue itself.
    ("refusal_verbs", "reporting_verbs"),
    # A quotation-only cue reports nothing elsewhere: never a reporting verb too.
    ("quote_cue_verbs", "reporting_verbs"),
    # Pronoun agreement: a first name, a title or a pronoun says one gender only.
    ("female_first_names", "male_first_names"),
    ("feminine_titles", "masculine_titles"),
    ("feminine_pronouns", "masculine_pronouns"),
]

# Lists that qualify entries of another list, so must only name those.
MUST_BE_WITHIN = [
    ("finite_clause_verbs", "reporting_verbs"),
    ("speech_object_verbs", "reporting_verbs"),
    ("reporting_verb_particles", "reporting_verbs"),
    ("mental_verbs", "reporting_verbs"),
    # he/she agreement only narrows the person pronouns.
    ("feminine_pronouns", "person_pronouns"),
]


# Files of a key and its values a line.
TABLES = {"reporting_verbs", "reporting_verb_particles", "verb_lemma_fixes"}


def keys(name: str) -> frozenset[str]:
    """A list's terms, or a table's keys."""
    if name in TABLES:
        return frozenset(lexicon.table(name))
    return lexicon.words(name)


def test_parse_skips_comments_and_blank_lines() -> None:
    text = "# a heading\n\nsay\n  tell  # the verb\n#\nadd\n"
    assert lexicon.parse(text) == ["say", "tell", "add"]


def test_parse_keeps_a_phrase_with_its_inner_spaces_folded() -> None:
    assert lexicon.parse("in   particular\nwhat's more\n") == ["in particular", "what's more"]


def test_parse_keeps_signs_and_case() -> None:
    assert lexicon.parse("$\nUS$\n€\n") == ["$", "US$", "€"]


def test_repeated_lists_each_repeated_item_once() -> None:
    assert lexicon.repeated(["predict", "say", "predict", "declare", "predict", "declare"]) == [
        "predict",
        "declare",
    ]
    assert lexicon.repeated(["say", "tell"]) == []


def test_a_lexicon_file_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    first = lexicon.words("demonyms")
    monkeypatch.setattr(lexicon, "DIRECTORY", lexicon.DIRECTORY / "missing")
    assert lexicon.words("demonyms") is first


def test_a_repeated_term_is_an_error(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "twice.txt").write_text("predict\nsay\npredict\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "DIRECTORY", tmp_path)
    lexicon.terms.cache_clear()
    try:
        with pytest.raises(lexicon.LexiconError, match=r"twice\.txt repeats predict"):
            lexicon.terms("twice")
    finally:
        lexicon.terms.cache_clear()


def test_a_repeated_table_key_is_an_error(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "verbs.txt").write_text("complain clause\ncomplain clause about\n", "utf-8")
    monkeypatch.setattr(lexicon, "DIRECTORY", tmp_path)
    lexicon.terms.cache_clear()
    lexicon.table.cache_clear()
    try:
        with pytest.raises(lexicon.LexiconError, match=r"verbs\.txt repeats complain"):
            lexicon.table("verbs")
    finally:
        lexicon.terms.cache_clear()
        lexicon.table.cache_clear()


def test_a_table_maps_each_key_to_its_values() -> None:
    verbs = lexicon.table("reporting_verbs")
    assert verbs["warn"] == ("clause", "of", "against", "about")
    assert verbs["say"] == ("clause",)


@pytest.mark.parametrize("name", lexicon.names())
def test_no_lexicon_repeats_a_term(name: str) -> None:
    terms = lexicon.parse((lexicon.DIRECTORY / f"{name}.txt").read_text(encoding="utf-8"))
    if name in TABLES:
        terms = [term.split()[0] for term in terms]
    assert lexicon.repeated(terms) == []


@pytest.mark.parametrize(("first", "second"), MUST_BE_DISJOINT)
def test_lists_checked_in_turn_share_no_word(first: str, second: str) -> None:
    assert sorted(keys(first) & keys(second)) == []


@pytest.mark.parametrize(("part", "whole"), MUST_BE_WITHIN)
def test_qualifying_lists_only_name_words_of_their_list(part: str, whole: str) -> None:
    assert sorted(keys(part) - keys(whole)) == []


def test_every_reporting_verb_takes_a_known_kind_of_content() -> None:
    prepositions = {"of", "against", "about", "for", "on", "to"}
    for lemma, contents in lexicon.table("reporting_verbs").items():
        assert contents, lemma
        assert set(contents) <= {"clause", "dobj"} | prepositions, lemma


def test_the_verbs_listed_twice_inline_keep_the_contents_that_were_in_effect() -> None:
    """Six lemmas were in both the clause and the clause-or-object lists (the second
    won), and "complain" was in the clause list and given prepositions (those won)."""
    verbs = lexicon.table("reporting_verbs")
    for lemma in ("announce", "acknowledge", "admit", "note", "reiterate", "reaffirm"):
        assert verbs[lemma] == ("clause", "dobj")
    assert verbs["complain"] == ("clause", "about", "of")
    assert verbs["predict"] == verbs["declare"] == ("clause",)
