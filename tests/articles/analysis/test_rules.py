"""Tests for the attribution rules (speaker, cue, content), through articles.analysis."""

from __future__ import annotations

import json
from typing import Any

import pytest

from articles.analysis import KnownName, analyse_text
from tests.conftest import GOLD_PATH as GOLD
from tests.conftest import seed_body


def gold_attributions() -> list[dict[str, Any]]:
    return json.loads(GOLD.read_text(encoding="utf-8"))["attributions"]


@pytest.fixture(scope="module")
def seed_attributions() -> list[dict[str, Any]]:
    return analyse_text(seed_body())["attributions"]


def attributions(text: str, known: tuple[KnownName, ...] = ()) -> list[dict[str, Any]]:
    return analyse_text(text, known=known)["attributions"]


def only(text: str, known: tuple[KnownName, ...] = ()) -> dict[str, Any]:
    found = attributions(text, known)
    assert len(found) == 1, found
    return found[0]


def speaker_text(attribution: dict[str, Any]) -> str | None:
    return attribution["speaker"]["text"] if attribution["speaker"] else None


def matches(found: dict[str, Any], gold: dict[str, Any]) -> bool:
    cue, content, speaker = found["cue"]["text"], found["content"]["text"], found["speaker"]
    return (
        gold["cue"] in cue
        and gold["content"] in content
        and speaker is not None
        and gold["speaker"] in speaker["text"]
        and ("resolved" not in gold or gold["resolved"] == found["speaker_name"])
        and ("kind" not in gold or gold["kind"] == found["kind"])
    )


# -- the seed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "gold", gold_attributions(), ids=lambda g: f"{g['speaker']}-{g['cue']}".replace(" ", "_")
)
def test_seed_gold_attribution_is_found(
    seed_attributions: list[dict[str, Any]], gold: dict[str, Any]
) -> None:
    assert any(matches(found, gold) for found in seed_attributions), gold


def test_seed_has_no_attribution_beyond_the_gold_ones(
    seed_attributions: list[dict[str, Any]],
) -> None:
    golds = gold_attributions()
    extra = [f for f in seed_attributions if not any(matches(f, g) for g in golds)]
    assert extra == []


def test_seed_putin_request_is_flagged_for_an_editor(
    seed_attributions: list[dict[str, Any]],
) -> None:
    putin = next(a for a in seed_attributions if speaker_text(a) == "Putin")
    assert putin["cue"]["text"] == "asked"
    assert {"speaker-mentioned-once", "speaker-switch"} <= set(putin["flags"])


def test_seed_zelensky_attributions_are_not_flagged(
    seed_attributions: list[dict[str, Any]],
) -> None:
    zelensky = [a for a in seed_attributions if a["speaker_name"] == "Volodymyr Zelensky"]
    assert len(zelensky) == 5
    assert all(a["flags"] == [] for a in zelensky)


def test_seed_quote_over_two_sentences_is_one_direct_content(
    seed_attributions: list[dict[str, Any]],
) -> None:
    declared = next(a for a in seed_attributions if a["cue"]["text"] == "declared")
    assert declared["kind"] == "direct"
    assert declared["content"]["text"].startswith("Today, we are here with you. And until")
    assert declared["content"]["text"].endswith("we will stand by your side")


# -- direct quotes ------------------------------------------------------------------


def test_quote_with_said_after_and_inverted_speaker() -> None:
    found = only('"We will not back down," said Jane Smith, the mayor.')
    assert (speaker_text(found), found["cue"]["text"], found["content"]["text"]) == (
        "Jane Smith",
        "said",
        "We will not back down",
    )
    assert found["kind"] == "direct"


def test_short_quoted_sentence_before_said_is_direct() -> None:
    found = only("“We will win!” said the coach.")
    assert (speaker_text(found), found["content"]["text"]) == ("the coach", "We will win!")


def test_quote_after_said_and_colon() -> None:
    found = only("The mayor said: “We will rebuild every house on this street.”")
    assert speaker_text(found) == "The mayor"
    assert found["content"]["text"] == "We will rebuild every house on this street."


def test_quote_continuing_after_attributed_quote_keeps_its_speaker() -> None:
    found = attributions(
        "She told reporters: “I am not worried.” “We have done this before and we will again.”"
    )
    assert [speaker_text(a) for a in found] == ["She", "She"]
    assert found[1]["content"]["text"].startswith("We have done this before")


def test_quote_split_by_its_attribution_is_one_attribution_over_both_halves() -> None:
    found = only("“The plan is sound,” Smith said, “and we will finish it on time.”")
    assert speaker_text(found) == "Smith"
    assert found["content"]["text"].startswith("The plan is sound")
    assert found["content"]["text"].endswith("and we will finish it on time.")


def test_quote_inside_a_quote_keeps_the_outer_quote_as_content() -> None:
    found = only("“He told me ‘we will win’ before he left,” Smith said.")
    assert found["content"]["text"] == "He told me ‘we will win’ before he left"
    assert speaker_text(found) == "Smith"


def test_quote_without_a_speaker_is_kept_and_flagged() -> None:
    found = only("The banner read: “We will never forget what happened here today.”")
    assert found["speaker"] is None
    assert found["flags"] == ["unattributed-quote"]
    assert found["content"]["text"] == "We will never forget what happened here today."


def test_short_scare_quote_is_not_an_attribution() -> None:
    assert attributions("Critics dismissed it as a “so-called” reform of the tax code.") == []


def test_indirect_content_holding_a_quote_is_mixed() -> None:
    found = only("Smith said the aid was “on its way to the front”.")
    assert found["kind"] == "mixed"
    assert found["content"]["text"] == "the aid was “on its way to the front”"


# -- indirect speech -------------------------------------------------------------------


def test_company_as_speaker_with_day_between_verb_and_clause() -> None:
    found = only("Apple said on Tuesday that it would open a new store in Paris.")
    assert (speaker_text(found), found["content"]["text"]) == (
        "Apple",
        "it would open a new store in Paris",
    )
    assert found["speaker_name"] == "Apple"


def test_headline_style_says() -> None:
    found = only("Minister says talks will resume")
    assert (speaker_text(found), found["cue"]["text"], found["content"]["text"]) == (
        "Minister",
        "says",
        "talks will resume",
    )


def test_told_reporters_takes_the_clause_not_the_audience() -> None:
    found = only("He told reporters on Monday that the talks had failed.")
    assert found["content"]["text"] == "the talks had failed"


def test_said_in_a_statement_that() -> None:
    found = only("The mayor said in a statement that the bridge would reopen next week.")
    assert found["content"]["text"] == "the bridge would reopen next week"


def test_two_speakers_in_one_sentence_get_separate_contents() -> None:
    found = attributions("Smith said the economy was growing, while Jones said it was shrinking.")
    assert [(speaker_text(a), a["content"]["text"]) for a in found] == [
        ("Smith", "the economy was growing"),
        ("Jones", "it was shrinking"),
    ]


def test_reporting_clause_after_the_content() -> None:
    found = only("Prices will rise sharply next year, analysts say.")
    assert (speaker_text(found), found["content"]["text"]) == (
        "analysts",
        "Prices will rise sharply next year",
    )


def test_parenthetical_reporting_clause_covers_the_whole_clause() -> None:
    found = only("The war, officials warned, could last for years.")
    assert (speaker_text(found), found["cue"]["text"]) == ("officials", "warned")
    assert found["content"]["text"] == "The war, officials warned, could last for years"


def test_according_to_at_the_end_of_the_clause() -> None:
    found = only("The suspect fled the scene on foot, according to the police.")
    assert (speaker_text(found), found["cue"]["text"], found["content"]["text"]) == (
        "the police",
        "according to",
        "The suspect fled the scene on foot",
    )


def test_according_to_at_the_start_of_the_clause() -> None:
    found = only("According to the police, the suspect fled the scene on foot.")
    assert found["content"]["text"] == "the suspect fled the scene on foot"


def test_passive_with_by_gives_the_agent_as_speaker() -> None:
    found = only("The decision was criticised by opposition leaders.")
    assert (speaker_text(found), found["cue"]["text"], found["content"]["text"]) == (
        "opposition leaders",
        "criticised",
        "The decision",
    )


def test_passive_of_write_is_not_an_attribution() -> None:
    assert attributions("The report was written by a team of scientists.") == []


def test_relative_clause_speaker_is_the_antecedent() -> None:
    found = only("The senator, who insisted that the vote was fair, left early.")
    assert (speaker_text(found), found["content"]["text"]) == ("The senator", "the vote was fair")


def test_participle_cue_takes_the_subject_of_the_main_clause() -> None:
    found = only("The minister visited the site, saying that repairs would start soon.")
    assert (speaker_text(found), found["cue"]["text"]) == ("The minister", "saying")


def test_object_control_verb_gives_its_object_as_speaker() -> None:
    found = only("The crisis prompted the finance minister to promise new funding for schools.")
    assert (speaker_text(found), found["cue"]["text"], found["content"]["text"]) == (
        "the finance minister",
        "promise",
        "new funding for schools",
    )


def test_call_for_takes_the_prepositional_phrase() -> None:
    found = only("Protesters called for the resignation of the minister.")
    assert found["content"]["text"] == "for the resignation of the minister"


def test_thanked_for_takes_the_prepositional_phrase() -> None:
    found = only("The mayor thanked the volunteers for their tireless help with the cleanup.")
    assert found["content"]["text"] == "for their tireless help with the cleanup"


@pytest.mark.parametrize(
    "text",
    [
        "The company added 300 jobs in March.",
        "Farmers maintained the roads throughout the winter.",
        "Shares rose 3 percent on Monday after the report.",
        "She asked the waiter a question.",
        "He made a promise that was later broken.",
    ],
)
def test_ordinary_verbs_and_nouns_are_not_cues(text: str) -> None:
    assert attributions(text) == []


# -- noun cues --------------------------------------------------------------------------


def test_light_verb_with_assurance_noun_is_a_cue() -> None:
    found = only("Maria Lopez gave voters a firm assurance that taxes would not rise.")
    assert (speaker_text(found), found["cue"]["text"], found["content"]["text"]) == (
        "Maria Lopez",
        "gave",
        "taxes would not rise",
    )


def test_possessive_noun_cue_with_that_clause() -> None:
    found = only("Lopez's claim that the vote was rigged drew criticism.")
    assert (speaker_text(found), found["cue"]["text"], found["content"]["text"]) == (
        "Lopez",
        "claim",
        "the vote was rigged",
    )


# -- speaker names -------------------------------------------------------------------------


def test_pronoun_speaker_resolves_to_the_previous_subject() -> None:
    found = only("Jane Smith met the minister on Monday. She warned that prices would rise.")
    assert speaker_text(found) == "She"
    assert found["speaker_name"] == "Jane Smith"


def test_pronoun_falls_back_to_the_previous_named_speaker() -> None:
    text = "“We have no choice,” Doe told AFP. He added that the army would withdraw by Friday."
    found = attributions(text)
    assert [a["speaker_name"] for a in found] == ["Doe", "Doe"]


def test_surname_speaker_resolves_to_the_full_name_in_the_article() -> None:
    text = "Angela Merkel arrived in Paris on Monday. Merkel said the talks were useful."
    found = only(text)
    assert found["speaker_name"] == "Angela Merkel"


def test_registry_alias_gives_the_canonical_name() -> None:
    known = (KnownName("Volodymyr Zelensky", aliases=("Zelenskyy",)),)
    found = only("Zelenskyy said the front line was holding.", known)
    assert found["speaker_name"] == "Volodymyr Zelensky"


def test_possessor_of_a_speech_noun_is_the_speaker_name() -> None:
    text = (
        "Jane Smith arrived in the city on Monday.\n\n"
        "Her remarks to local reporters stressed the need for calm."
    )
    found = only(text)
    assert speaker_text(found).startswith("Her remarks")
    assert found["speaker_name"] == "Jane Smith"


def test_group_speaker_name_is_its_text() -> None:
    found = only("Ukrainian officials said the bridge had been destroyed.")
    assert found["speaker_name"] == "Ukrainian officials"


# -- flags --------------------------------------------------------------------------------------


def test_continuation_sentence_with_a_new_speaker_is_flagged() -> None:
    text = (
        "Jane Smith said the hospital needed more beds. "
        "Specifically, Jones asked for two new wards. Smith also met Jones."
    )
    found = attributions(text)
    jones = next(a for a in found if speaker_text(a) == "Jones")
    assert "speaker-switch" in jones["flags"]


def test_continuation_by_the_same_speaker_is_not_a_switch() -> None:
    text = (
        "Jane Smith said the hospital needed more beds. In particular, she asked for two new wards."
    )
    found = attributions(text)
    assert [a["flags"] for a in found] == [["speaker-mentioned-once"], []]


def test_speaker_named_twice_is_not_mentioned_once() -> None:
    text = "Jane Smith arrived on Monday. Smith said the talks were useful."
    assert only(text)["flags"] == []


def test_speaker_named_only_once_is_flagged() -> None:
    text = "The talks ended on Monday. Putin said the talks were useful."
    assert only(text)["flags"] == ["speaker-mentioned-once"]


def test_group_speaker_with_one_named_example_resolves_to_that_person() -> None:
    (item,) = attributions(
        "Prominent figures like French President Emmanuel Macron denounce the violence."
    )
    assert item["speaker_name"] == "Emmanuel Macron"
    assert item["cue"]["text"] == "denounce"


def test_such_as_example_resolves_the_speaker() -> None:
    (item,) = attributions(
        "Leaders such as German Chancellor Olaf Scholz warned that the deal was fragile."
    )
    assert item["speaker_name"] == "Olaf Scholz"


def test_group_speaker_with_several_examples_stays_the_group() -> None:
    (item,) = attributions("Officials including John Smith and Mary Jones said the talks failed.")
    assert item["speaker_name"] == "Officials including John Smith and Mary Jones"


# -- wire conventions (pipeline 2) ------------------------------------------------------------


def test_appositive_name_belongs_to_the_speaker() -> None:
    found = only('"We are ready," the coach, Tom Hill, said.')
    assert (speaker_text(found), found["speaker_name"]) == ("the coach, Tom Hill", "Tom Hill")


def test_they_resolves_to_the_group_speaker_just_before() -> None:
    found = attributions(
        "Officials said they would review the case. They added that no decision had been made."
    )
    assert [a["speaker_name"] for a in found] == ["Officials", "Officials"]


def test_it_said_resolves_to_the_organisation_just_before() -> None:
    found = attributions(
        "The company said it would sell the unit. It said the sale would close in May."
    )
    assert [(speaker_text(a), a["speaker_name"]) for a in found] == [
        ("The company", "The company"),
        ("It", "The company"),
    ]


def test_expletive_it_is_not_a_speaker() -> None:
    assert attributions("It emerged on Monday that the minister had resigned.") == []


def test_second_cue_coordinated_inside_a_clause_is_its_own_attribution() -> None:
    found = attributions(
        "Mwangi denied that any forms had been altered and said observers had been present."
    )
    assert [(a["cue"]["text"], a["content"]["text"]) for a in found] == [
        ("denied", "any forms had been altered"),
        ("said", "observers had been present"),
    ]
    assert speaker_text(found[1]) == "Mwangi"


def test_partial_quote_in_reported_speech_is_one_mixed_attribution() -> None:
    found = only('Jana Richter wrote on X that the budget "forgets the people who rent".')
    assert found["kind"] == "mixed"
    assert found["content"]["text"] == 'the budget "forgets the people who rent"'


def test_content_before_a_final_reporting_clause_without_a_parse_link() -> None:
    text = (
        "The magnitude 6.8 quake hit at 4:17 a.m. local time near the city of Malatya, "
        "at a depth of 10 km (6 miles), the U.S. Geological Survey said."
    )
    found = only(text)
    assert speaker_text(found) == "the U.S. Geological Survey"
    assert found["content"]["text"].startswith("The magnitude 6.8 quake hit")


def test_passive_cue_in_a_relative_clause_takes_the_antecedent_as_content() -> None:
    found = attributions(
        "The regional government, which has been criticised by lawmakers, said it had "
        "distributed 12,000 nets."
    )
    criticised = next(a for a in found if a["cue"]["text"] == "criticised")
    assert (speaker_text(criticised), criticised["content"]["text"]) == (
        "lawmakers",
        "The regional government",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Nordwind said on Monday it had agreed to buy SkyBridge.",
        "Substitute Jacob Ramsey added a third in the 78th minute.",
        "The government in Lisbon rejected the bid.",
        "The electoral commission declared Samuel Otieno the winner.",
        "Police found the body of a man in the river.",
        "Residents were told to stay indoors.",
        "The said property will be sold at auction.",
    ],
)
def test_actions_are_not_reports(text: str) -> None:
    """Agreeing to act, adding a goal, rejecting a bid, a passive order: no extra cue."""
    found = attributions(text)
    assert all(a["cue"]["text"] in ("said",) for a in found), found
    assert len(found) <= 1


def test_study_finding_is_attributed_to_the_study() -> None:
    found = only("A study found that coffee drinkers lived longer.")
    assert (speaker_text(found), found["cue"]["text"]) == ("A study", "found")


def test_court_heard_that_is_an_attribution_without_a_speaker() -> None:
    found = only("The court heard that the driver had been using his phone.")
    assert found["speaker"] is None
    assert found["cue"]["text"] == "heard"
    assert "the driver had been using his phone" in found["content"]["text"]


def test_open_question_after_a_negated_cue_is_not_reported() -> None:
    assert attributions("The ministry could not say when the bridge would reopen.") == []
    assert attributions("The new data will show whether the scheme worked.") == []


def test_strong_cue_coordinated_inside_a_reported_clause_keeps_the_outer_speaker() -> None:
    found = attributions(
        "Union leader Maria Costa said the offer was an insult and called for a strike."
    )
    call = next(a for a in found if a["cue"]["text"].startswith("called"))
    assert call["speaker_name"] == "Maria Costa"


def test_according_to_at_the_start_keeps_the_whole_clause() -> None:
    found = only("According to the survey, eating breakfast every day was linked to better sleep.")
    assert found["content"]["text"].startswith("eating breakfast every day")


def test_verbless_headline_before_a_cue_is_the_content() -> None:
    text = "- Two bridges closed in the north, police say\n- Schools shut on Friday"
    found = only(text)
    assert speaker_text(found) == "police"
    assert found["content"]["text"] == "Two bridges closed in the north"


def test_she_says_after_a_closing_quote_line_keeps_the_profile_subject() -> None:
    text = (
        'Lena Ortiz opened her workshop in 2019. "I fix what others throw away," she says. '
        '"Every chair has a story.\n\n"'
        "The workshop has two benches. It also has a waiting list. Is she worried?\n\n"
        '"Not really," she says.'
    )
    found = attributions(text)
    last = max(found, key=lambda a: a["cue"]["start"])
    assert last["speaker_name"] == "Lena Ortiz"
