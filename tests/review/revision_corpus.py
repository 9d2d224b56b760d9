"""Shared helpers of the revision-pair corpora (``tests/data/revisions*``).

Each pair in a corpus folder is ``NN_name.old.txt`` / ``NN_name.new.txt`` with
``NN_name.expected.json``: what an editor would say changed, by sentence
snippets (whitespace-normalised substrings). The expectation keys are described
in ``tests/review/test_revision_corpus.py``. One extra key: ``"capture": true``
says the two files are page captures, compared as ``manage.py diff`` does
without ``--raw`` (the body parsed out by ``parse_capture``).

The ``check_*`` functions hold the assertions; the test modules parametrise them
over their corpus.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from review.diffing import changed_numbers, diff_document

Diff = dict[str, Any]


def cases_of(corpus: Path) -> list[str]:
    return sorted(
        path.name.removesuffix(".expected.json") for path in corpus.glob("*.expected.json")
    )


def norm(text: str) -> str:
    return " ".join(text.split())


def load_expected(corpus: Path, case: str) -> dict[str, Any]:
    return json.loads((corpus / f"{case}.expected.json").read_text(encoding="utf-8"))


def load_diffs(corpus: Path, cases: list[str]) -> dict[str, Diff]:
    """Every pair's ``newsdesk.diff/1`` object, all texts analysed in one batch."""
    from articles.analysis import analyse_texts

    texts: list[str] = []
    for case in cases:
        capture = load_expected(corpus, case).get("capture", False)
        for side in ("old", "new"):
            text = (corpus / f"{case}.{side}.txt").read_text(encoding="utf-8")
            if capture:
                from articles.ingest import parse_capture

                text = parse_capture(text).body
            texts.append(text)
    analyses = list(analyse_texts(texts))
    return {
        case: diff_document(texts[2 * n], analyses[2 * n], texts[2 * n + 1], analyses[2 * n + 1])
        for n, case in enumerate(cases)
    }


def sentence(diff: Diff, side: str, index: int) -> str:
    span = diff[side]["sentences"][index]
    return norm(diff[side]["text"][span["start"] : span["end"]])


def op_sentences(diff: Diff, op: dict[str, Any]) -> tuple[list[str], list[str]]:
    olds = op.get("merged", [op["old"]] if op["old"] is not None else [])
    news = op.get("split", [op["new"]] if op["new"] is not None else [])
    return [sentence(diff, "old", i) for i in olds], [sentence(diff, "new", j) for j in news]


def _holds(snippets: str | list[str] | None, texts: list[str]) -> bool:
    if snippets is None:
        return not texts
    if isinstance(snippets, str):
        return len(texts) == 1 and norm(snippets) in texts[0]
    return len(snippets) == len(texts) and all(
        norm(s) in t for s, t in zip(snippets, texts, strict=True)
    )


def matches(diff: Diff, want: dict[str, Any], op: dict[str, Any]) -> bool:
    kind = want["op"]
    if kind == "split":
        if op["op"] != "changed" or "split" not in op:
            return False
    elif kind == "merge":
        if op["op"] != "changed" or "merged" not in op:
            return False
    elif op["op"] != kind or "split" in op or "merged" in op:
        return False
    if kind == "moved" and "changed" in want and op["changed"] != want["changed"]:
        return False
    olds, news = op_sentences(diff, op)
    return _holds(want.get("old"), olds) and _holds(want.get("new"), news)


def find(diff: Diff, want: dict[str, Any]) -> int | None:
    for position, op in enumerate(diff["ops"]):
        if matches(diff, want, op):
            return position
    return None


def describe(diff: Diff) -> str:
    lines = []
    for op in diff["ops"]:
        if op["op"] == "equal":
            continue
        olds, news = op_sentences(diff, op)
        extra = " split" if "split" in op else " merged" if "merged" in op else ""
        lines.append(f"{op['op']}{extra} {op['old']}->{op['new']}: {olds} => {news}")
    return "\n".join(lines) or "(all equal)"


def _text(change: dict[str, Any], side: str, part: str) -> str:
    spans = change[side]
    return norm(spans[part]["text"]) if spans and spans.get(part) else ""


def attribution_matches(want: dict[str, Any], change: dict[str, Any]) -> bool:
    if change["kind"] != want["kind"]:
        return False
    for key, side, part in (
        ("old_speaker", "old", "speaker"),
        ("new_speaker", "new", "speaker"),
        ("old_cue", "old", "cue"),
        ("new_cue", "new", "cue"),
    ):
        if key in want and norm(want[key]) not in _text(change, side, part):
            return False
    content = norm(want.get("content", ""))
    return content in _text(change, "old", "content") or content in _text(change, "new", "content")


def describe_attributions(diff: Diff) -> str:
    return "\n".join(
        f"{c['kind']}: {[_text(c, 'old', p) for p in ('speaker', 'cue', 'content')]}"
        f" => {[_text(c, 'new', p) for p in ('speaker', 'cue', 'content')]}"
        for c in diff["attribution_changes"]
    )


# --------------------------------------------------------------------------
# the checks


def check_expected_ops_are_found(diff: Diff, want_all: dict[str, Any]) -> None:
    missing = [want for want in want_all["ops"] if find(diff, want) is None]
    assert not missing, f"missing {missing}\nfound:\n{describe(diff)}"


def check_every_other_sentence_is_equal(diff: Diff, want: dict[str, Any]) -> None:
    """With ``exhaustive``, nothing but the expected ops is reported."""
    if not want.get("exhaustive"):
        pytest.skip("expectation lists only some ops")
    claimed = {find(diff, op) for op in want["ops"]}
    extra = [
        (op["op"], *op_sentences(diff, op))
        for position, op in enumerate(diff["ops"])
        if op["op"] != "equal" and position not in claimed
    ]
    assert not extra, f"unexpected {extra}\nfound:\n{describe(diff)}"


def check_edits_are_not_reported_as_deleted_and_added(diff: Diff, want_all: dict[str, Any]) -> None:
    for want in want_all["ops"]:
        if want["op"] in ("added", "deleted"):
            continue
        olds = [want["old"]] if isinstance(want["old"], str) else want["old"]
        news = [want["new"]] if isinstance(want["new"], str) else want["new"]
        deleted = [
            op
            for op in diff["ops"]
            if op["op"] == "deleted" and _holds(olds[0], [sentence(diff, "old", op["old"])])
        ]
        added = [
            op
            for op in diff["ops"]
            if op["op"] == "added" and _holds(news[0], [sentence(diff, "new", op["new"])])
        ]
        assert not (deleted and added), f"{want} reported as deleted + added"


def check_ops_account_for_every_sentence_once_and_tokens_rebuild(diff: Diff) -> None:
    olds: Counter[int] = Counter()
    news: Counter[int] = Counter()
    for op in diff["ops"]:
        if op["op"] != "added":
            olds.update(op.get("merged", [op["old"]]))
        if op["op"] != "deleted":
            news.update(op.get("split", [op["new"]]))
        if op["changed"]:
            old_text = " ".join(
                diff["old"]["text"][s["start"] : s["end"]]
                for s in (diff["old"]["sentences"][i] for i in op.get("merged", [op["old"]]))
            )
            new_text = " ".join(
                diff["new"]["text"][s["start"] : s["end"]]
                for s in (diff["new"]["sentences"][j] for j in op.get("split", [op["new"]]))
            )
            tokens = op["tokens"]
            assert "".join(t["text"] for t in tokens if t["op"] != "insert") == old_text
            assert "".join(t["text"] for t in tokens if t["op"] != "delete") == new_text
    assert olds == Counter(range(len(diff["old"]["sentences"])))
    assert news == Counter(range(len(diff["new"]["sentences"])))


def check_changed_numbers_of_corrected_figures(diff: Diff, want_all: dict[str, Any]) -> None:
    for want in want_all["ops"]:
        if "numbers" not in want:
            continue
        position = find(diff, want)
        assert position is not None, f"missing {want}"
        olds, news = op_sentences(diff, diff["ops"][position])
        removed, added = want["numbers"]
        assert changed_numbers(" ".join(olds), " ".join(news)) == (removed, added)


def check_typography_edits_touch_no_word(diff: Diff, want_all: dict[str, Any]) -> None:
    """Quotes, dashes and spaces edited: the token diff inserts and deletes no word."""
    for want in want_all["ops"]:
        if not want.get("punctuation_only"):
            continue
        position = find(diff, want)
        assert position is not None, f"missing {want}"
        edited = [t["text"] for t in diff["ops"][position]["tokens"] if t["op"] != "equal"]
        assert edited and not any(any(c.isalnum() for c in text) for text in edited), edited


def check_expected_attribution_changes_are_found(diff: Diff, want_all: dict[str, Any]) -> None:
    changes = diff["attribution_changes"]
    missing = [
        want
        for want in want_all["attributions"]
        if not any(attribution_matches(want, change) for change in changes)
    ]
    assert not missing, f"missing {missing}\nfound:\n{describe_attributions(diff)}"


def check_no_speaker_change_that_an_editor_would_not_see(diff: Diff, want: dict[str, Any]) -> None:
    if want.get("no_attribution_changes"):
        assert diff["attribution_changes"] == [], describe_attributions(diff)
    listed = [w for w in want["attributions"] if w["kind"] == "speaker-changed"]
    spurious = [
        change
        for change in diff["attribution_changes"]
        if change["kind"] == "speaker-changed"
        and not any(attribution_matches(w, change) for w in listed)
    ]
    assert not spurious, describe_attributions(diff)


def check_no_attribution_change_that_is_not_expected(diff: Diff, want: dict[str, Any]) -> None:
    """Where the expectation is exhaustive, every change reported is an expected one."""
    extra = [
        change
        for change in diff["attribution_changes"]
        if not any(attribution_matches(w, change) for w in want["attributions"])
    ]
    assert not extra, describe_attributions(diff)
