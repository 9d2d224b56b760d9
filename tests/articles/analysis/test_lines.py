"""Line forms on plain strings: transcript labels, signature lines, headlines."""

from __future__ import annotations

from articles.analysis import lines


def parts(line: str, form: lines.LineAttribution | None) -> tuple[str, ...] | None:
    if form is None:
        return None
    return tuple(line[a:b] for a, b in (form.speaker, form.cue, form.content))


def test_transcript_label_speaks_the_rest_of_its_line() -> None:
    line = "CHAIRWOMAN: Will the witness please state her name?"
    assert parts(line, lines.transcript_label(line)) == (
        "CHAIRWOMAN",
        ":",
        "Will the witness please state her name?",
    )


def test_transcript_label_of_several_words_and_a_question_letter() -> None:
    assert (
        parts(
            "SEN. OKORO: We were never told.",
            lines.transcript_label("SEN. OKORO: We were never told."),
        )[0]
        == "SEN. OKORO"
    )
    assert parts("Q: Did you sign it?", lines.transcript_label("Q: Did you sign it?")) == (
        "Q",
        ":",
        "Did you sign it?",
    )


def test_page_labels_are_not_speakers() -> None:
    assert lines.transcript_label("UPDATE: The bridge reopened at noon.") is None
    assert lines.transcript_label("READ MORE: How the tolls are set") is None


def test_a_sentence_with_a_colon_is_no_transcript_label() -> None:
    assert lines.transcript_label("The reason was simple: nobody paid.") is None
    assert lines.transcript_label("Mayor Ito: a profile") is None


def test_signature_line_gives_the_dash_and_the_name() -> None:
    line = "— Priya Raman, a teacher in Cardiff"
    found = lines.signature(line)
    assert found is not None
    dash, name = found
    assert (line[dash[0] : dash[1]], line[name[0] : name[1]]) == ("—", "Priya Raman")


def test_signature_with_a_plain_dash_and_no_description() -> None:
    line = "- Joost van der Berg"
    found = lines.signature(line)
    assert found is not None
    assert line[found[1][0] : found[1][1]] == "Joost van der Berg"


def test_a_dashed_sentence_is_no_signature() -> None:
    assert lines.signature("— and then the lights went out across the valley.") is None


def test_headline_with_speaker_first() -> None:
    line = "Governor Says Schools Will Reopen in March"
    assert parts(line, lines.headline(line)) == (
        "Governor",
        "Says",
        "Schools Will Reopen in March",
    )


def test_headline_with_speaker_and_cue_last() -> None:
    line = "Ferry Fares Must Fall, Islanders Say"
    assert parts(line, lines.headline(line)) == ("Islanders", "Say", "Ferry Fares Must Fall")


def test_a_sentence_in_lower_case_is_no_headline() -> None:
    assert lines.headline("The mayor says the budget will balance by spring") is None


def test_a_headline_without_a_cue_word_is_left_alone() -> None:
    assert lines.headline("Storm Closes Coastal Roads for a Second Day") is None
