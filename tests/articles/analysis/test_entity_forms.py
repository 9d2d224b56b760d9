"""Entity readings on sentences written for this test: teams named by their city,
names in all-capitals headlines, hyphenated company names, demonyms."""

from __future__ import annotations

from articles.analysis import analyse_text


def labels(text: str) -> dict[str, str]:
    return {e["text"]: e["label"] for e in analyse_text(text)["entities"]}


def test_cities_that_beat_each_other_with_a_score_are_teams() -> None:
    found = labels("Halifax beat Quebec 5-2 on Sunday afternoon.")
    assert (found.get("Halifax"), found.get("Quebec")) == ("ORG", "ORG")


def test_a_city_that_loses_to_another_in_a_game_is_a_team() -> None:
    found = labels("Winnipeg lost to Vancouver in the second game of the series.")
    assert (found.get("Winnipeg"), found.get("Vancouver")) == ("ORG", "ORG")


def test_a_score_is_not_part_of_a_team_name() -> None:
    found = labels("Toronto edged Ottawa 4-3 in overtime.")
    assert found.get("Ottawa") == "ORG"
    assert not any(text.endswith("4-3") for text in found)


def test_a_country_that_beats_another_outside_a_game_stays_a_place() -> None:
    found = labels("India beat Japan in the race to build the first plant.")
    assert (found.get("India"), found.get("Japan")) == ("GPE", "GPE")


def test_a_city_in_a_plain_sentence_stays_a_place() -> None:
    assert labels("Flights to Boston were delayed by the snow.").get("Boston") == "GPE"


def test_a_name_in_an_all_capitals_headline_takes_its_label_from_the_body() -> None:
    text = (
        "LUKASHENKO WARNS NEIGHBOURS OVER DRILLS\n\n"
        "Alexander Lukashenko said on Monday that the drills would go ahead."
    )
    found = labels(text)
    assert found.get("LUKASHENKO") == "PERSON"


def test_a_lone_hyphenated_name_that_reports_a_loss_is_a_company() -> None:
    assert labels("Abbott-Baxter reported a loss for the quarter.").get("Abbott-Baxter") == "ORG"


def test_a_hyphenated_surname_of_a_named_person_stays_a_person() -> None:
    text = "Sarah Ellis-Hart chairs the board.\n\nEllis-Hart said the vote was close."
    assert labels(text).get("Ellis-Hart") == "PERSON"


def test_a_mountain_range_named_sierra_is_no_nationality() -> None:
    found = labels("Snow closed the passes of the Sierra Nevada on Tuesday.")
    assert found.get("Sierra") != "NORP"
    assert "NORP" not in found.values()


def test_a_first_name_makes_a_name_the_model_took_for_a_thing_a_person() -> None:
    assert labels("Elena Varga met the union on Friday.").get("Elena Varga") == "PERSON"
