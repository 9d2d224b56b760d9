"""Reads for the reading desk and the compare page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from django.core.cache import cache
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe

from articles import nlp
from articles.models import Analysis, Article, Revision
from articles.selectors import latest_analyses_for, latest_analysis_for
from review import diffing
from review.highlight import Paragraph, render_paragraphs, render_tokens

ENTITY_GROUPS = {
    "People": ("PERSON",),
    "Places": ("GPE", "LOC", "FAC"),
    "Organisations": ("ORG",),
    "Groups": ("NORP",),
}
ENTITY_LEGEND = [
    ("PERSON", "Person"),
    ("GPE", "Country / city"),
    ("LOC", "Location"),
    ("ORG", "Organisation"),
    ("NORP", "Nationality / group"),
    ("DATE", "Date"),
    ("MONEY", "Money"),
    ("CARDINAL", "Number"),
]
OTHER_LABELS = (
    "FAC",
    "EVENT",
    "PRODUCT",
    "LAW",
    "WORK_OF_ART",
    "LANGUAGE",
    "TIME",
    "PERCENT",
    "QUANTITY",
    "ORDINAL",
)


def article_revisions(article: Article) -> list[Revision]:
    return list(article.revisions.select_related("author").order_by("number"))


def revision_get(article: Article, number: int | None) -> Revision:
    revisions = article.revisions.select_related("author")
    revision = (
        revisions.order_by("-number").first()
        if number is None
        else revisions.filter(number=number).first()
    )
    if revision is None:
        raise Http404("No such revision.")
    return revision


def analysis_dict(revision: Revision) -> dict[str, list[dict[str, object]]]:
    analysis: Analysis | None = latest_analysis_for(revision)
    if analysis is None:
        return {"sentences": [], "entities": [], "attributions": []}
    return analysis.as_dict()


@dataclass(frozen=True)
class RosterEntry:
    text: str
    label: str
    count: int


@dataclass(frozen=True)
class AttributionView:
    index: int
    speaker: str | None
    speaker_name: str | None
    cue: str
    content: str
    kind: str
    flags: list[str]
    sentence: int | None


@dataclass
class Reading:
    revision: Revision
    paragraphs: list[Paragraph]
    roster: dict[str, list[RosterEntry]]
    attributions: list[AttributionView]
    labels: list[tuple[str, str]]
    analysed: bool
    flagged_count: int = 0


def _sentence_of(offset: int, sentences: Sequence[Mapping[str, object]]) -> int | None:
    for index, sentence in enumerate(sentences):
        if sentence["start"] <= offset < sentence["end"]:  # type: ignore[operator]
            return index
    return None


def _merged_counts(entities: Sequence[Mapping[str, object]]) -> Counter[tuple[str, str]]:
    """Mentions per (name, label); a person's surname counts under their full name
    when the article names exactly one person that way ("Blinken" -> "Antony Blinken")."""
    counts: Counter[tuple[str, str]] = Counter((str(e["text"]), str(e["label"])) for e in entities)
    people = {text for text, label in counts if label == "PERSON"}
    for short in sorted(people):
        fuller = [p for p in people if p != short and p.endswith(" " + short)]
        if len(fuller) == 1:
            counts[(fuller[0], "PERSON")] += counts.pop((short, "PERSON"))
    return counts


def reading_for(revision: Revision) -> Reading:
    """The reading desk's content for one revision, from its stored analysis."""
    analysis = analysis_dict(revision)
    text = revision.body
    sentences = analysis["sentences"]
    entities = analysis["entities"]
    attributions = analysis["attributions"]
    paragraphs = render_paragraphs(
        text, sentences=sentences, entities=entities, attributions=attributions
    )
    counts = _merged_counts(entities)
    roster: dict[str, list[RosterEntry]] = {}
    for group, labels in ENTITY_GROUPS.items():
        entries = [
            RosterEntry(text=t, label=lab, count=n)
            for (t, lab), n in counts.most_common()
            if lab in labels
        ]
        if entries:
            roster[group] = entries
    views = []
    for index, attribution in enumerate(attributions):
        speaker = attribution.get("speaker")
        cue = attribution["cue"]
        content = attribution["content"]
        views.append(
            AttributionView(
                index=index,
                speaker=speaker["text"] if isinstance(speaker, Mapping) else None,
                speaker_name=attribution.get("speaker_name"),  # type: ignore[arg-type]
                cue=cue["text"],  # type: ignore[index]
                content=content["text"],  # type: ignore[index]
                kind=str(attribution.get("kind", "")),
                flags=list(attribution.get("flags") or []),  # type: ignore[call-overload]
                sentence=_sentence_of(cue["start"], sentences),  # type: ignore[index]
            )
        )
    views.sort(key=lambda v: (-len(v.flags), v.index))
    present = {str(e["label"]) for e in entities}
    labels = [(code, name) for code, name in ENTITY_LEGEND if code in present]
    labels += [(code, code.title().replace("_", " ")) for code in OTHER_LABELS if code in present]
    return Reading(
        revision=revision,
        paragraphs=paragraphs,
        roster=roster,
        attributions=views,
        labels=labels,
        analysed=bool(sentences),
        flagged_count=sum(1 for v in views if v.flags),
    )


def _sentence_texts(text: str, sentences: Sequence[Mapping[str, object]]) -> list[str]:
    return [text[s["start"] : s["end"]] for s in sentences]  # type: ignore[misc]


def _summary_key(old: Revision, new: Revision) -> str:
    return f"change-summary:{nlp.PIPELINE_VERSION}:{old.content_hash}:{new.content_hash}"


def change_summaries(
    pairs: Sequence[tuple[Revision, Revision]],
) -> dict[tuple[Revision, Revision], dict[str, int]]:
    """Counts of changed/added/deleted/moved sentences for each (old, new) pair.

    Cached per pair of contents; the pairs not in the cache read their revisions'
    analyses in one query, however many there are."""
    keys = {pair: _summary_key(*pair) for pair in pairs}
    cached = cache.get_many(list(keys.values()))
    missing = [pair for pair in pairs if keys[pair] not in cached]
    if missing:
        analyses = latest_analyses_for({r for pair in missing for r in pair})
        computed = {}
        for old, new in missing:
            old_sents = _sentence_texts(old.body, _sentences(analyses.get(old.pk)))
            new_sents = _sentence_texts(new.body, _sentences(analyses.get(new.pk)))
            computed[keys[(old, new)]] = diffing.summarize(diffing.align(old_sents, new_sents))
        cache.set_many(computed, 3600)
        cached.update(computed)
    return {pair: cached[keys[pair]] for pair in pairs}


def _sentences(analysis: Analysis | None) -> list[dict[str, object]]:
    return analysis.sentences if analysis is not None else []


def summary_line(summary: Mapping[str, int]) -> str:
    parts = [
        f"{summary[k]} {k}" for k in ("changed", "added", "deleted", "moved") if summary.get(k)
    ]
    return ", ".join(parts) if parts else "no sentence changed"


@dataclass(frozen=True)
class HistoryEntry:
    revision: Revision
    summary: str


def history_for(revisions: Sequence[Revision]) -> list[HistoryEntry]:
    """Each revision with a one-line summary of what changed against the previous one."""
    changed = [
        (old, new) for old, new in pairwise(revisions) if old.content_hash != new.content_hash
    ]
    summaries = change_summaries(changed)
    entries = []
    previous: Revision | None = None
    for revision in revisions:
        if previous is None:
            line = "first recorded version"
        elif previous.content_hash == revision.content_hash:
            line = "no change"
        else:
            line = summary_line(summaries[(previous, revision)])
            if previous.title != revision.title:
                line = "headline changed; " + line
        entries.append(HistoryEntry(revision=revision, summary=line))
        previous = revision
    return entries


@dataclass(frozen=True)
class CompareRow:
    op: str
    old_index: int | None
    new_index: int | None
    old_html: SafeString
    new_html: SafeString
    inline_html: SafeString
    moved_edited: bool
    split: bool
    merged: bool
    typographic: bool
    numbers_removed: list[str]
    numbers_added: list[str]
    entities_removed: list[str]
    entities_added: list[str]


@dataclass(frozen=True)
class AttributionChangeView:
    anchor: str
    kind: str
    old_speaker: str | None
    new_speaker: str | None
    old_cue: str | None
    new_cue: str | None
    old_content: str | None
    new_content: str | None


def _entities_in(entities: Sequence[Mapping[str, object]], start: int, end: int) -> set[str]:
    return {str(e["text"]) for e in entities if start <= e["start"] and e["end"] <= end}  # type: ignore[operator]


def diff_for(old: Revision, new: Revision) -> dict[str, object]:
    """The machine-interface diff (newsdesk.diff/1) of two revisions' stored analyses."""
    return diffing.diff_document(old.body, analysis_dict(old), new.body, analysis_dict(new))


def compare(old: Revision, new: Revision) -> dict[str, object]:
    """Everything the compare page shows for a pair of revisions."""
    old_analysis = analysis_dict(old)
    new_analysis = analysis_dict(new)
    result = diffing.diff_document(old.body, old_analysis, new.body, new_analysis)
    old_sents = result["old"]["sentences"]
    new_sents = result["new"]["sentences"]
    rows: list[CompareRow] = []
    for op in result["ops"]:
        old_span = _joined_span(
            old_sents, op.get("merged") or ([op["old"]] if op["old"] is not None else [])
        )
        new_span = _joined_span(
            new_sents, op.get("split") or ([op["new"]] if op["new"] is not None else [])
        )
        old_text = old.body[old_span[0] : old_span[1]] if old_span else ""
        new_text = new.body[new_span[0] : new_span[1]] if new_span else ""
        tokens = op.get("tokens") or []
        if tokens:
            old_html = render_tokens(tokens, side="old")
            new_html = render_tokens(tokens, side="new")
            inline_html = render_tokens(tokens, side="inline")
        else:
            old_html = escape(old_text, quote=False)
            new_html = escape(new_text, quote=False)
            inline_html = new_html if op["op"] != "deleted" else f"<del>{old_html}</del>"
            if op["op"] == "added":
                inline_html = f"<ins>{new_html}</ins>"
        numbers_removed: list[str] = []
        numbers_added: list[str] = []
        entities_removed: list[str] = []
        entities_added: list[str] = []
        if old_text and new_text and old_text != new_text:
            numbers_removed, numbers_added = diffing.changed_numbers(old_text, new_text)
            old_ents = _entities_in(old_analysis["entities"], *old_span)
            new_ents = _entities_in(new_analysis["entities"], *new_span)
            entities_removed = sorted(old_ents - new_ents)
            entities_added = sorted(new_ents - old_ents)
        rows.append(
            CompareRow(
                op=op["op"],
                old_index=op["old"],
                new_index=op["new"],
                old_html=mark_safe(old_html),  # noqa: S308 - escaped by render_tokens/escape
                new_html=mark_safe(new_html),  # noqa: S308
                inline_html=mark_safe(inline_html),  # noqa: S308
                moved_edited=op["op"] == "moved" and bool(op.get("changed")),
                split=bool(op.get("split")),
                merged=bool(op.get("merged")),
                typographic=bool(op.get("typographic")),
                numbers_removed=numbers_removed,
                numbers_added=numbers_added,
                entities_removed=entities_removed,
                entities_added=entities_added,
            )
        )
    changes = [_change_view(c, old_sents, new_sents) for c in result["attribution_changes"]]
    return {
        "rows": rows,
        "summary": diffing.summarize(result["ops"]),
        "attribution_changes": changes,
    }


def _joined_span(
    sentences: Sequence[Mapping[str, int]], indices: Sequence[int]
) -> tuple[int, int] | None:
    if not indices:
        return None
    return sentences[min(indices)]["start"], sentences[max(indices)]["end"]


def _text(part: object) -> str | None:
    return str(part["text"]) if isinstance(part, Mapping) else None


def _change_view(
    change: Mapping[str, object],
    old_sents: Sequence[Mapping[str, object]],
    new_sents: Sequence[Mapping[str, object]],
) -> AttributionChangeView:
    old = change.get("old") or {}
    new = change.get("new") or {}
    assert isinstance(old, Mapping) and isinstance(new, Mapping)
    if new:
        index = _sentence_of(new["cue"]["start"], new_sents)  # type: ignore[index]
        anchor = f"new-{index}" if index is not None else ""
    else:
        index = _sentence_of(old["cue"]["start"], old_sents)  # type: ignore[index]
        anchor = f"old-{index}" if index is not None else ""
    return AttributionChangeView(
        anchor=anchor,
        kind=str(change["kind"]),
        old_speaker=_text(old.get("speaker")),
        new_speaker=_text(new.get("speaker")),
        old_cue=_text(old.get("cue")),
        new_cue=_text(new.get("cue")),
        old_content=_text(old.get("content")),
        new_content=_text(new.get("content")),
    )
