"""Attribution forms beyond "X said": each on sentences written for this test.

Mental states, evaluative and naming verbs, "as X put it", transcript labels,
signature lines, colon cues, two-character quote marks, split quotes, cues
after long speakers, relative and subordinate cues, title-case headlines, the
content-span and speaker rules (docs/ANALYSIS.md, "Attribution forms").
"""

from __future__ import annotations

from typing import Any

import pytest

from articles.analysis import analyse_text
from review.diffing import diff_document


def attributions(text: str) -> list[dict[str, Any]]:
    return analyse_text(text)["attributions"]


def only(text: str) -> dict[str, Any]:
    found = attributions(text)
    assert len(found) == 1, found
    return found[0]


def reading(attribution: dict[str, Any]) -> tuple[str | None, str, str]:
    speaker = attribution["speaker"]["text"] if attribution["speaker"] else None
    return speaker, attribution["cue"]["text"], attribution["content"]["text"]


# -- mental states and intentions ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Many shopkeepers on the high street fear the new parking rules will drive customers away.",
            (
                "Many shopkeepers on the high street",
                "fear",
                "the new parking rules will drive customers away",
            ),
        ),
        (
            "The health secretary believes the waiting lists have peaked.",
            ("The health secretary", "believes", "the waiting lists have peaked"),
        ),
        (
            "Parents at the school want the crossing moved.",
            ("Parents at the school", "want", "the crossing moved"),
        ),
        (
            "Economists expect the jobless rate to edge higher this winter.",
            ("Economists", "expect", "the jobless rate to edge higher this winter"),
        ),
        (
            "Councillor Imogen Reyes hopes to finish the review by June.",
            ("Councillor Imogen Reyes", "hopes", "to finish the review by June"),
        ),
    ],
)
def test_a_mental_state_of_a_person_or_group_is_an_attribution(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert reading(only(text)) == expected


def test_a_thing_holds_no_mental_state() -> None:
    assert attributions("The index expects a quiet week after the holiday.") == []


def test_an_impersonal_expectation_has_no_speaker() -> None:
    assert attributions("The bridge is expected to reopen in the spring.") == []


# -- evaluative and naming verbs -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Okafor called the new timetable 'a shambles'.",
            ("Okafor", "called", "the new timetable 'a shambles'"),
        ),
        (
            "The opposition leader blasted the verdict as a whitewash.",
            ("The opposition leader", "blasted", "the verdict as a whitewash"),
        ),
        (
            "The nurses' union described the latest offer as insulting.",
            ("The nurses' union", "described", "the latest offer as insulting"),
        ),
    ],
)
def test_a_naming_verb_reports_the_object_and_what_it_is_called(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert reading(only(text)) == expected


def test_calling_someone_without_a_name_for_it_reports_nothing() -> None:
    assert attributions("The landlord called the police at midnight.") == []


def test_called_on_someone_to_act_is_the_person_and_the_act() -> None:
    found = only("The regulator called on the water companies to cut their bonuses.")
    assert reading(found) == ("The regulator", "called", "the water companies to cut their bonuses")


# -- as X put it ---------------------------------------------------------------


def test_as_x_put_it_attributes_the_quotation_after_it() -> None:
    found = only('As one fisherman put it, "the sea gives and the sea keeps."')
    assert reading(found) == ("one fisherman", "put", "the sea gives and the sea keeps.")
    assert found["kind"] == "direct"


def test_as_police_have_said_attributes_the_clause_before_it() -> None:
    found = only("The two men left the warehouse by a side door, as police have said.")
    assert reading(found) == ("police", "said", "The two men left the warehouse by a side door")


# -- transcripts, signature lines, colon cues ----------------------------------


def test_transcript_labels_speak_their_lines() -> None:
    text = (
        "INTERVIEWER: Were you surprised by the result?\n"
        "OKONJO: Not at all. We knew the numbers were there.\n"
    )
    found = attributions(text)
    assert [reading(a) for a in found] == [
        ("INTERVIEWER", ":", "Were you surprised by the result?"),
        ("OKONJO", ":", "Not at all. We knew the numbers were there."),
    ]
    assert {a["kind"] for a in found} == {"direct"}


def test_a_lone_moderator_label_is_a_speaker() -> None:
    assert reading(only("MODERATOR: Do you accept the count?")) == (
        "MODERATOR",
        ":",
        "Do you accept the count?",
    )


def test_a_lone_dateline_with_a_colon_is_not_a_speaker() -> None:
    found = only("LAGOS: The port authority said on Monday that exports rose.")
    assert reading(found)[0] == "The port authority"


def test_no_cue_is_read_inside_a_transcript_line() -> None:
    text = "HOST: Your rival said you would lose.\nGUEST: He says a lot of things.\n"
    assert [reading(a)[0] for a in attributions(text)] == ["HOST", "GUEST"]


def test_a_signature_line_names_the_speaker_of_the_quotation_above() -> None:
    text = (
        '"The ward has not had a full night shift since August."\n'
        "— Priya Raman, a nurse in Cardiff\n"
    )
    found = only(text)
    assert reading(found) == (
        "Priya Raman",
        "—",
        "The ward has not had a full night shift since August.",
    )
    assert found["speaker_name"] == "Priya Raman"
    assert "unattributed-quote" not in found["flags"]


def test_a_colon_cue_with_continued_attributes_the_quotation() -> None:
    found = only('The minister continued: "We will not be rushed into this."')
    assert reading(found) == ("The minister", "continued", "We will not be rushed into this.")


def test_continued_without_a_quotation_reports_nothing() -> None:
    assert attributions("After the storm passed, the match continued.") == []


# -- quote marks, split quotes, long speakers ----------------------------------


def test_two_apostrophe_quote_marks_make_a_direct_quote() -> None:
    found = only("''We expect the line to reopen on Friday,'' the operator said.")
    assert reading(found) == ("the operator", "said", "We expect the line to reopen on Friday")
    assert found["kind"] == "direct"


def test_backtick_quote_marks_make_a_direct_quote() -> None:
    found = only("``Nobody told us the school would close,'' said one parent.")
    assert reading(found)[2] == "Nobody told us the school would close"
    assert found["kind"] == "direct"


def test_a_quote_split_by_its_cue_and_a_full_stop_is_one_attribution() -> None:
    found = only('"The first tunnel is finished," she said. "The second opens in May."')
    assert found["content"]["text"].startswith("The first tunnel is finished")
    assert found["content"]["text"].endswith("The second opens in May.")


def test_a_quote_split_by_its_cue_and_a_comma_is_one_attribution() -> None:
    found = only('"The first tunnel is finished," he said, "and the second opens in May."')
    assert reading(found)[:2] == ("he", "said")
    assert found["content"]["text"].endswith("and the second opens in May.")


def test_a_cue_after_a_long_titled_speaker_with_adjuncts() -> None:
    found = only(
        '"We will rebuild every school," the region\'s education minister, Tomas Berg, '
        "said on Thursday at a briefing in the capital."
    )
    assert reading(found)[1:] == ("said", "We will rebuild every school")
    assert found["speaker_name"] == "Tomas Berg"


@pytest.mark.parametrize("cue", ["yelled", "wrote", "tweeted"])
def test_yelled_wrote_and_tweeted_are_quotation_cues(cue: str) -> None:
    found = only(f'"Keep the gates shut until the police arrive," the steward {cue}.')
    assert reading(found) == (
        "the steward",
        cue,
        "Keep the gates shut until the police arrive",
    )


# -- relative and subordinate cues, headlines ----------------------------------


def test_a_relative_cue_reports_its_clause_without_the_cue() -> None:
    found = only("The report, which auditors said was finished in March, named two firms.")
    assert reading(found) == ("auditors", "said", "was finished in March")


def test_a_cue_with_a_time_adjunct_before_its_clause() -> None:
    found = only("The mayor posted late on Sunday that the ferries were cancelled.")
    assert reading(found) == ("The mayor", "posted", "the ferries were cancelled")


def test_a_subordinate_cue_is_reported() -> None:
    found = attributions(
        "Although he conceded that the bus fleet was old, he refused to cut fares."
    )
    assert [reading(a) for a in found] == [("he", "conceded", "the bus fleet was old")]


def test_a_title_case_headline_is_an_attribution() -> None:
    found = only("Minister Says Rail Strike Will End by Friday")
    assert reading(found) == ("Minister", "Says", "Rail Strike Will End by Friday")


# -- content spans ---------------------------------------------------------------


def test_content_runs_past_a_partial_quote_while_the_clause_goes_on() -> None:
    found = only('The coach said the defeat was "hard to take", but that the squad would recover.')
    assert found["content"]["text"].endswith("the squad would recover")
    assert found["kind"] == "mixed"


def test_an_inner_report_by_the_same_speaker_is_not_reported_again() -> None:
    found = only("The council said it would announce the new fares in April.")
    assert reading(found) == ("The council", "said", "it would announce the new fares in April")


def test_an_inner_report_by_someone_else_is_a_statement_of_its_own() -> None:
    found = attributions("The lawyer said his client denied every charge.")
    assert [reading(a)[:2] for a in found] == [("The lawyer", "said"), ("his client", "denied")]


# -- speakers --------------------------------------------------------------------


def test_she_skips_a_man_named_in_between() -> None:
    text = (
        "Senator Ann Ruiz opposed the bill. Tom Baker, the committee chair, defended it.\n\n"
        "She tweeted that the vote would fail."
    )
    assert only(text)["speaker_name"] == "Ann Ruiz"


def test_he_skips_a_woman_named_with_a_title() -> None:
    text = (
        "Dr Okafor presented the findings. Mrs Lindqvist chaired the panel.\n\n"
        "He said the data were clear."
    )
    assert only(text)["speaker_name"] == "Okafor"


def test_unknown_gender_never_blocks_resolution() -> None:
    text = "Kerry Vance opened the session.\n\nShe said the hall was full."
    assert only(text)["speaker_name"] == "Kerry Vance"


def test_a_name_inside_a_quotation_is_never_the_speaker() -> None:
    text = 'Elena Varga met the union on Friday.\n\n"Tell Marcus Hale the deal is off," she said.'
    assert only(text)["speaker_name"] == "Elena Varga"


def test_a_thing_is_never_the_body_a_pronoun_speaks_for() -> None:
    text = "The index said nothing new. It said the market would recover."
    assert all(a["speaker_name"] != "The index" for a in attributions(text))


def _speaker_changes(old: str, new: str) -> list[dict[str, Any]]:
    diff = diff_document(old, analyse_text(old), new, analyse_text(new))
    return [c for c in diff["attribution_changes"] if c["kind"] == "speaker-changed"]


def test_an_edit_elsewhere_does_not_flip_the_speaker_of_an_unchanged_pronoun() -> None:
    old = (
        "Senator Ann Ruiz opposed the bill. Tom Baker, the committee chair, defended it.\n\n"
        "She tweeted that the vote would fail."
    )
    new = old.replace("Tom Baker", "Peter Hall")
    assert _speaker_changes(old, new) == []


def test_a_real_change_of_antecedent_is_a_speaker_change() -> None:
    old = (
        "Senator Ann Ruiz opposed the bill. Tom Baker, the committee chair, defended it.\n\n"
        "She tweeted that the vote would fail."
    )
    new = old.replace("Senator Ann Ruiz", "Senator Maria Lopez")
    changes = _speaker_changes(old, new)
    assert [c["new"]["speaker"]["text"] for c in changes] == ["She"]


def test_a_naming_verb_keeps_the_closing_mark_of_its_quoted_name() -> None:
    found = only('Mendes called the ruling "a disgrace".')
    assert found["content"]["text"] == 'the ruling "a disgrace"'
    assert found["kind"] == "mixed"


def test_a_transcript_label_by_surname_names_the_person() -> None:
    text = (
        "Councillor Naomi Adler answered questions on Monday.\n\n"
        "ADLER: We will publish the figures next week.\n"
        "REPORTER: Why not today?\n"
    )
    found = attributions(text)
    assert [a["speaker_name"] for a in found] == ["Naomi Adler", "REPORTER"]
