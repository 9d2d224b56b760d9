"""Reads for the reading desk and the compare page."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe

from articles import analysis as nlp
from articles.models import Analysis, Article, Person, Revision
from articles.roles import ADMINS, COPY_DESK, EDITORS
from articles.selectors import latest_analyses_for, latest_analysis_for
from newsdesk.release import RELEASE
from review import diffing
from review.flags import FlagExplanation, attribution_key, explain
from review.highlight import Paragraph, paragraph_spans, render_paragraphs, render_tokens
from review.models import (
    Annotation,
    Comment,
    Correction,
    CorrectionEvent,
    FlagDecision,
    Follow,
    Notification,
    Placement,
    StatusChange,
)
from review.permissions import can_change_status

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


def analysis_dict(revision: Revision) -> nlp.Analysis:
    analysis: Analysis | None = latest_analysis_for(revision)
    if analysis is None:
        return {"sentences": [], "entities": [], "attributions": []}
    return analysis.as_dict()


def _as_dict(analysis: Analysis | None) -> nlp.Analysis:
    if analysis is None:
        return {"sentences": [], "entities": [], "attributions": []}
    return analysis.as_dict()


#: How long a rendered fragment of immutable data stays cached. Its key names
#: everything it is made of, so it never goes stale; this only bounds the memory.
RENDER_CACHE_SECONDS = 7 * 24 * 3600


def cache_key(kind: str, *parts: object) -> str:
    """A cache key naming the pipeline and everything the cached value is made of."""
    digest = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]
    return f"newsdesk:{kind}:{nlp.PIPELINE_VERSION}:{RELEASE}:{digest}"


def analysis_tokens(revision_ids: Iterable[int]) -> dict[int, str]:
    """For each revision, a token naming the stored analysis that pages show for it
    (the one ``latest_analysis_for`` picks): its id and when it was stored. One query,
    without reading the analyses themselves."""
    current = (nlp.PIPELINE_VERSION, nlp.model_name())
    rows = (
        Analysis.objects.filter(revision_id__in=set(revision_ids))
        .order_by("-created_at")
        .values_list("revision_id", "id", "pipeline_version", "model", "created_at")
    )
    best: dict[int, tuple[bool, str]] = {}
    for revision_id, pk, version, model, created in rows:  # newest first, as latest_analyses_for
        is_current = (version, model) == current
        chosen = best.get(revision_id)
        if chosen is None or (is_current and not chosen[0]):
            best[revision_id] = (is_current, f"{pk}@{created.isoformat()}")
    return {revision_id: token for revision_id, (_, token) in best.items()}


def reading_cached(
    revision: Revision, *, annotations: Sequence[tuple[int, int, int, int]] = ()
) -> Reading:
    """``reading_for()``, cached: a recorded revision and its analysis never change.

    The key names the revision (id and content hash), the analysis shown, the
    pipeline version, the newsroom's time zone and the annotation marks."""
    token = analysis_tokens([revision.pk]).get(revision.pk, "")
    key = cache_key(
        "reading", revision.pk, revision.content_hash, token, tuple(annotations), settings.TIME_ZONE
    )
    reading = cache.get(key)
    if reading is None:
        reading = reading_for(revision, annotations=annotations)
        cache.set(key, reading, RENDER_CACHE_SECONDS)
    reading.revision = revision
    reading.key = key  # the page caches its rendered text and roster under it
    return reading


def compare_cached(old: Revision, new: Revision) -> dict[str, object]:
    """``compare()`` of two recorded revisions, cached (keyed as ``reading_cached``)."""
    tokens = analysis_tokens([old.pk, new.pk])
    key = cache_key(
        "compare",
        old.pk,
        old.content_hash,
        tokens.get(old.pk, ""),
        new.pk,
        new.content_hash,
        tokens.get(new.pk, ""),
        settings.TIME_ZONE,
    )
    result = cache.get(key)
    if result is None:
        result = compare(old, new)
        cache.set(key, result, RENDER_CACHE_SECONDS)
    # The page caches its rendered body under the same key (the template's cache tag).
    return {**result, "compare_key": key}


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
    key: str = ""
    explanations: tuple[FlagExplanation, ...] = ()
    suggested_speaker: str | None = None


@dataclass
class Reading:
    revision: Revision
    paragraphs: list[Paragraph]
    roster: dict[str, list[RosterEntry]]
    attributions: list[AttributionView]
    labels: list[tuple[str, str]]
    analysed: bool
    flagged_count: int = 0
    #: Set by ``reading_cached``: the cache key of this reading.
    key: str = ""


def _sentence_of(offset: int, sentences: Sequence[nlp.Sentence]) -> int | None:
    for index, sentence in enumerate(sentences):
        if sentence["start"] <= offset < sentence["end"]:
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


def reading_for(
    revision: Revision, *, annotations: Sequence[tuple[int, int, int, int]] = ()
) -> Reading:
    """The reading desk's content for one revision, from its stored analysis.

    ``annotations`` are the marks to show in the text: ``(start, end, id, number)``.
    """
    analysis = analysis_dict(revision)
    text = revision.body
    sentences = analysis["sentences"]
    entities = analysis["entities"]
    attributions = analysis["attributions"]
    paragraphs = render_paragraphs(
        text,
        sentences=sentences,
        entities=entities,
        attributions=attributions,
        annotations=annotations,
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
        flag_reading = explain(analysis, index) if attribution.get("flags") else None
        views.append(
            AttributionView(
                index=index,
                speaker=speaker["text"] if isinstance(speaker, Mapping) else None,
                speaker_name=attribution.get("speaker_name"),
                cue=cue["text"],
                content=content["text"],
                kind=str(attribution.get("kind", "")),
                flags=list(attribution.get("flags") or []),
                sentence=_sentence_of(cue["start"], sentences),
                key=attribution_key(attribution),
                explanations=tuple(flag_reading.explanations) if flag_reading else (),
                suggested_speaker=flag_reading.suggested_speaker if flag_reading else None,
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


def _sentence_texts(text: str, sentences: Sequence[nlp.Sentence]) -> list[str]:
    return [text[s["start"] : s["end"]] for s in sentences]


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


def _sentences(analysis: Analysis | None) -> list[nlp.Sentence]:
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


def history_shown(
    history: Sequence[HistoryEntry], *, show_minor: bool, reading: int
) -> list[HistoryEntry]:
    """The history a reader sees: minor revisions left out unless asked for (the
    revision being read always stays)."""
    return [
        h for h in history if show_minor or not h.revision.minor or h.revision.number == reading
    ]


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
    rewritten: bool
    numbers_removed: list[str]
    numbers_added: list[str]
    entities_removed: list[str]
    entities_added: list[str]
    old_start: int | None = None
    new_start: int | None = None
    #: How many sentences the row holds on each side (more than one for a split,
    #: a merge or a rewritten passage).
    old_count: int = 1
    new_count: int = 1


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


#: The page fields compared above the sentences: (Revision attribute, label, name
#: in the summary line). Text fields get a word-level diff, times a whole-value one.
TEXT_FIELDS = (
    ("title", "Headline", "headline"),
    ("standfirst", "Standfirst", "standfirst"),
    ("byline", "Byline", "byline"),
)
TIME_FIELDS = (
    ("stated_published_at", "Published", "published time"),
    ("stated_updated_at", "Last updated", "updated time"),
)
#: Shown on the side of a field change where the revision states nothing.
MISSING_HTML = '<span class="none">—</span>'
#: Stated times as the rest of the app shows them ("14 May 2024 22:34").
TIME_FORMAT = "j M Y H:i"


@dataclass(frozen=True)
class FieldChange:
    """A page field (headline, standfirst, byline, a stated time) that differs
    between two revisions. ``old_text``/``new_text`` are "" where the revision
    states nothing; times are in the newsroom's zone."""

    field: str
    label: str
    name: str
    old_text: str
    new_text: str
    old_html: SafeString
    new_html: SafeString
    inline_html: SafeString


def _stated_time(value: datetime | None, fmt: str) -> str:
    return formats.date_format(timezone.localtime(value), fmt) if value is not None else ""


def _text_change(field: str, label: str, name: str, old: str, new: str) -> FieldChange:
    tokens = diffing.word_diff(old, new)
    return FieldChange(
        field=field,
        label=label,
        name=name,
        old_text=old,
        new_text=new,
        old_html=mark_safe(render_tokens(tokens, side="old") if old else MISSING_HTML),  # noqa: S308 - escaped by render_tokens
        new_html=mark_safe(render_tokens(tokens, side="new") if new else MISSING_HTML),  # noqa: S308
        inline_html=mark_safe(render_tokens(tokens, side="inline")),  # noqa: S308
    )


def _time_change(
    field: str, label: str, name: str, old: datetime | None, new: datetime | None
) -> FieldChange:
    old_text, new_text = _stated_time(old, TIME_FORMAT), _stated_time(new, TIME_FORMAT)
    if old_text == new_text:  # a change within the minute: show the seconds
        old_text, new_text = (
            _stated_time(old, TIME_FORMAT + ":s"),
            _stated_time(new, TIME_FORMAT + ":s"),
        )
    old_html = f"<del>{escape(old_text, quote=False)}</del>" if old_text else MISSING_HTML
    new_html = f"<ins>{escape(new_text, quote=False)}</ins>" if new_text else MISSING_HTML
    return FieldChange(
        field=field,
        label=label,
        name=name,
        old_text=old_text,
        new_text=new_text,
        old_html=mark_safe(old_html),  # noqa: S308 - escaped above
        new_html=mark_safe(new_html),  # noqa: S308
        inline_html=mark_safe(f"{old_html} → {new_html}"),  # noqa: S308
    )


def field_changes(old: Revision, new: Revision) -> list[FieldChange]:
    """The headline, standfirst, byline and stated times that differ, in that order.

    A text field whose only difference is whitespace is unchanged; two stated
    times are unchanged when they are the same instant."""
    changes = []
    for field, label, name in TEXT_FIELDS:
        old_value, new_value = getattr(old, field) or "", getattr(new, field) or ""
        if old_value.split() != new_value.split():
            changes.append(_text_change(field, label, name, old_value, new_value))
    for field, label, name in TIME_FIELDS:
        old_time, new_time = getattr(old, field), getattr(new, field)
        if old_time != new_time:
            changes.append(_time_change(field, label, name, old_time, new_time))
    return changes


def field_summary(changes: Sequence[FieldChange]) -> str:
    """The field part of the compare summary line: "headline and byline changed", or ""."""
    names = [c.name for c in changes]
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{listed} changed"


def _entities_in(entities: Sequence[nlp.Entity], start: int, end: int) -> list[nlp.Entity]:
    return [e for e in entities if start <= e["start"] and e["end"] <= end]


def diff_for(old: Revision, new: Revision) -> dict[str, object]:
    """The machine-interface diff (newsdesk.diff/1) of two revisions' stored analyses."""
    return diffing.diff_document(old.body, analysis_dict(old), new.body, analysis_dict(new))


def stored_diff(
    slug: str, *, from_number: int | None = None, to_number: int | None = None
) -> dict[str, Any]:
    """The ``/api/articles/<slug>/diff`` object of two stored revisions, from their
    stored analyses (spaCy is not loaded): ``{"article", "from", "to", **diff}``.
    ``from``/``to`` default to the previous and the latest revision.

    Raises ``LookupError`` with a message for an unknown slug or revision, the same
    revision twice, an article with one revision, or a revision not analysed yet.
    """
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        raise LookupError(f"No article with slug {slug!r}.")
    revisions = {r.number: r for r in article_revisions(article)}
    numbers = sorted(revisions)
    if len(numbers) < 2:
        raise LookupError(f"Article {slug!r} has only one revision.")
    from_number = numbers[-2] if from_number is None else from_number
    to_number = numbers[-1] if to_number is None else to_number
    listed = ", ".join(str(n) for n in numbers)
    for number in (from_number, to_number):
        if number not in revisions:
            raise LookupError(f"Article {slug!r} has no revision {number} (it has {listed}).")
    if from_number == to_number:
        raise LookupError(f"Choose two different revisions to compare (both are {from_number}).")
    old, new = revisions[from_number], revisions[to_number]
    analyses = latest_analyses_for([old, new])
    for revision in (old, new):
        if revision.pk not in analyses:
            raise LookupError(
                f"Revision {revision.number} of {slug!r} is not analysed yet"
                " (manage.py reanalyse analyses it)."
            )
    diff = diffing.diff_document(
        old.body, analyses[old.pk].as_dict(), new.body, analyses[new.pk].as_dict()
    )
    return {"article": article.slug, "from": old.number, "to": new.number, **diff}


def compare(
    old: Revision,
    new: Revision,
    *,
    new_analysis: nlp.Analysis | None = None,
    old_analysis: nlp.Analysis | None = None,
) -> dict[str, object]:
    """Everything the compare page shows for a pair of revisions (``new`` may be an
    unsaved proposal, with its analysis given)."""
    if old_analysis is None:
        old_analysis = analysis_dict(old)
    if new_analysis is None:
        new_analysis = analysis_dict(new)
    result = diffing.diff_document(old.body, old_analysis, new.body, new_analysis)
    old_sents = result["old"]["sentences"]
    new_sents = result["new"]["sentences"]
    rows: list[CompareRow] = []
    for op in result["ops"]:
        old_indices = op.get("merged") or ([op["old"]] if op["old"] is not None else [])
        new_indices = op.get("split") or ([op["new"]] if op["new"] is not None else [])
        old_span = _joined_span(old_sents, old_indices)
        new_span = _joined_span(new_sents, new_indices)
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
            entities_removed, entities_added = diffing.changed_entities(
                _entities_in(old_analysis["entities"], *old_span),
                _entities_in(new_analysis["entities"], *new_span),
                numbers_removed=numbers_removed,
                numbers_added=numbers_added,
            )
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
                rewritten=bool(op.get("rewritten")),
                numbers_removed=numbers_removed,
                numbers_added=numbers_added,
                entities_removed=entities_removed,
                entities_added=entities_added,
                old_start=old_span[0]
                if old_span and _shown_as_is(tokens, old_text, "old")
                else None,
                new_start=new_span[0]
                if new_span and _shown_as_is(tokens, new_text, "new")
                else None,
                old_count=len(old_indices),
                new_count=len(new_indices),
            )
        )
    changes = [_change_view(c, old_sents, new_sents) for c in result["attribution_changes"]]
    fields = field_changes(old, new)
    return {
        "field_changes": fields,
        "field_summary": field_summary(fields),
        "rows": rows,
        "summary": diffing.summarize(result["ops"]),
        "attribution_changes": changes,
    }


def _shown_as_is(tokens: Sequence[Mapping[str, str]], text: str, side: str) -> bool:
    """Whether a row shows ``text`` character for character on ``side``, so that a
    selection in it maps to offsets (a split, merge or rewritten passage joins its
    sentences with a space, which differs from the text across a paragraph break)."""
    if not tokens:
        return True
    skip = "insert" if side == "old" else "delete"
    return "".join(t["text"] for t in tokens if t["op"] != skip) == text


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
    old_sents: Sequence[nlp.Sentence],
    new_sents: Sequence[nlp.Sentence],
) -> AttributionChangeView:
    old = change.get("old") or {}
    new = change.get("new") or {}
    assert isinstance(old, Mapping) and isinstance(new, Mapping)
    if new:
        index = _sentence_of(new["cue"]["start"], new_sents)
        anchor = f"new-{index}" if index is not None else ""
    else:
        index = _sentence_of(old["cue"]["start"], old_sents)
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


# --------------------------------------------------------------------------
# annotations, flag decisions, notifications


@dataclass
class AnnotationView:
    """An annotation as seen from one revision."""

    annotation: Annotation
    number: int
    #: "original" (made on this revision), "carried", "changed", "orphaned",
    #: or "other" (made on a later revision, or settled before this one existed).
    state: str
    start: int | None
    end: int | None
    text: str
    can_change_status: bool = False
    selected: bool = False

    @property
    def marked(self) -> bool:
        return self.state in {"original", "carried", "changed"} and self.start is not None

    @property
    def needs_attention(self) -> bool:
        return self.state in {"changed", "orphaned"}

    @property
    def participants(self) -> list[str]:
        """@usernames of the author, the assignee and the commenters (from prefetched rows)."""
        people = [self.annotation.author, self.annotation.assignee]
        people += [c.author for c in self.annotation.comments.all()]
        return list(dict.fromkeys(f"@{u.username}" for u in people if u is not None))


#: A correction in these states is still in the works.
ACTIVE_CORRECTION_STATES = ("draft", "submitted", "returned")


def _seen_from(annotation: Annotation, revision_id: int) -> dict[str, Any]:
    """Where an annotation stands on a revision, given its prefetched placement (``here``)."""
    if annotation.revision_id == revision_id:
        return {
            "state": "original",
            "start": annotation.start,
            "end": annotation.end,
            "text": annotation.exact,
        }
    if annotation.here:
        placed = annotation.here[0]
        return {
            "state": placed.state,
            "start": placed.start,
            "end": placed.end,
            "text": placed.text,
        }
    return {"state": "other", "start": None, "end": None, "text": ""}


def annotations_queryset() -> QuerySet[Annotation]:
    return Annotation.objects.select_related(
        "author", "assignee", "proposed_person", "revision", "status_changed_by", "article"
    ).prefetch_related(
        Prefetch(
            "comments",
            queryset=Comment.objects.select_related("author").prefetch_related("versions"),
        ),
        Prefetch("status_changes", queryset=StatusChange.objects.select_related("by")),
        Prefetch(
            "corrections",
            queryset=Correction.objects.filter(state__in=ACTIVE_CORRECTION_STATES).order_by("id"),
            to_attr="active_corrections",
        ),
    )


def annotations_for(
    revision: Revision, *, user: object, selected: int | None = None
) -> list[AnnotationView]:
    """Every annotation of the article, placed on this revision (a constant number of queries)."""

    rows = list(
        annotations_queryset()
        .filter(article_id=revision.article_id)
        .prefetch_related(
            Prefetch(
                "placements", queryset=Placement.objects.filter(revision=revision), to_attr="here"
            )
        )
        .order_by("id")
    )
    views = []
    for number, annotation in enumerate(rows, start=1):
        views.append(
            AnnotationView(
                annotation=annotation,
                number=number,
                **_seen_from(annotation, revision.pk),
                can_change_status=can_change_status(user, annotation),  # type: ignore[arg-type]
                selected=annotation.pk == selected,
            )
        )
    order = {"original": 0, "changed": 0, "carried": 0, "orphaned": 0, "other": 1}
    views.sort(key=lambda v: (not v.annotation.is_open, order[v.state], v.start or 0, v.number))
    return views


def annotations_by_ids(article: Article, ids: Iterable[int]) -> list[Annotation]:
    """The annotations with these ids (in the order given, once each), all of this
    article: what a correction drafted through the API settles.

    Raises ``ValidationError`` naming the unknown ids, or the first id of another article.
    """
    wanted = list(dict.fromkeys(int(i) for i in ids))
    found = {a.pk: a for a in Annotation.objects.filter(pk__in=wanted).select_related("revision")}
    unknown = [i for i in wanted if i not in found]
    if unknown:
        raise ValidationError(f"Unknown annotation(s): {', '.join(map(str, unknown))}.")
    for i in wanted:
        if found[i].article_id != article.pk:
            raise ValidationError(f"Annotation {i} belongs to another article.")
    return [found[i] for i in wanted]


def annotation_marks(views: Sequence[AnnotationView]) -> list[tuple[int, int, int, int]]:
    return [(v.start, v.end, v.annotation.pk, v.number) for v in views if v.marked]  # type: ignore[misc]


def flag_decisions(article: Article) -> dict[str, FlagDecision]:
    return {d.key: d for d in FlagDecision.objects.filter(article=article).select_related("by")}


def person_for(name: str | None) -> Person | None:
    """The registry's person with this name or alias, if exactly one."""
    if not name:
        return None
    people = list(
        Person.objects.filter(Q(name__iexact=name) | Q(aliases__name__iexact=name)).distinct()[:2]
    )
    return people[0] if len(people) == 1 else None


def newsroom_users() -> QuerySet:
    """Who can be assigned an annotation: members of the newsroom's groups."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[EDITORS, COPY_DESK, ADMINS])
        .distinct()
        .order_by("username")
    )


def unread_count(user: object) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def annotation_queue(
    *,
    kind: str = "",
    status: str = "",
    author: str = "",
    assignee: str = "",
    source: str = "",
    article: str = "",
    placement: str = "",
) -> QuerySet[Annotation]:
    """The newsroom's annotations, newest first, filtered; placement is as of the
    article's latest revision (``Annotation.latest_state``, indexed)."""
    # People come in their own small queries: joining them too made planning this
    # query (7 relations) cost 10 times its execution at 100,000 articles.
    rows = (
        Annotation.objects.select_related("article__source", "revision")
        .prefetch_related("author", "assignee", "proposed_person")
        .defer("article__search_document", "revision__body", "revision__standfirst")
        .order_by("-created_at", "-id")
    )
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if author:
        rows = rows.filter(author__username=author)
    if assignee == "-":
        rows = rows.filter(assignee__isnull=True)
    elif assignee:
        rows = rows.filter(assignee__username=assignee)
    if source:
        rows = rows.filter(article__source__slug=source)
    if article:
        rows = rows.filter(article__slug=article)
    if placement == "attention":  # the partial index annotation_needs_recheck
        rows = rows.filter(latest_state__in=["changed", "orphaned"])
    elif placement:
        rows = rows.filter(latest_state=placement)
    return rows


def stale_placements(*, articles: Iterable[int] | None = None) -> list[Revision]:
    """Latest revisions on which some open annotation of an older one is not yet placed
    (of these articles only, when given)."""
    # Not made on the latest revision and not placed there: latest_state "" (the
    # partial index annotation_unplaced_open holds only these rows, open ones).
    pending = (
        Annotation.objects.filter(status=Annotation.Status.OPEN, latest_state="")
        .order_by()
        .values_list("article__latest_revision", flat=True)
        .distinct()
    )
    if articles is not None:
        pending = pending.filter(article_id__in=articles)
    ids = list(pending)
    return list(Revision.objects.filter(pk__in=ids).select_related("article")) if ids else []


@dataclass(frozen=True)
class AttributionRow:
    """One line of the attributions panel: the attribution and the newsroom's decision."""

    view: AttributionView
    decision: FlagDecision | None
    selected: bool = False

    @property
    def open_flag(self) -> bool:
        return bool(self.view.flags) and self.decision is None


def attribution_panel(
    reading: Reading, decisions: Mapping[str, FlagDecision], *, selected: int | None = None
) -> list[AttributionRow]:
    """Undecided flags first, then decided ones, then the rest in text order."""
    rows = [
        AttributionRow(view=v, decision=decisions.get(v.key), selected=v.index == selected)
        for v in reading.attributions
    ]
    rows.sort(key=lambda r: (not r.open_flag, not r.view.flags, -len(r.view.flags), r.view.index))
    return rows


def attribution_span(revision: Revision, index: int) -> tuple[int, int]:
    """The passage an attribution covers: from its first part to its last."""
    attributions = analysis_dict(revision)["attributions"]
    if not 0 <= index < len(attributions):
        raise Http404("No such attribution.")
    parts = [attributions[index].get(r) for r in ("speaker", "cue", "content")]
    spans = [p for p in parts if isinstance(p, Mapping)]
    return min(int(p["start"]) for p in spans), max(int(p["end"]) for p in spans)


def desk_rows(articles: QuerySet[Article]) -> QuerySet[Article]:
    """The desk's articles with their open annotations and corrections waiting for sign-off."""
    open_annotations = (
        Annotation.objects.filter(article=OuterRef("pk"), status=Annotation.Status.OPEN)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    waiting = (
        Correction.objects.filter(article=OuterRef("pk"), state=Correction.State.SUBMITTED)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return articles.annotate(
        open_annotations=Coalesce(Subquery(open_annotations), 0),
        corrections_waiting=Coalesce(Subquery(waiting), 0),
    )


# --------------------------------------------------------------------------
# corrections


def proposal_revision(correction_or_base: Revision, **fields: str) -> Revision:
    """An unsaved revision holding a proposed text, for the diff preview."""
    base = correction_or_base
    return Revision(
        article=base.article,
        number=base.number + 1,
        title=fields.get("title", base.title),
        standfirst=fields.get("standfirst", base.standfirst),
        byline=fields.get("byline", base.byline),
        body=fields.get("body", base.body),
        stated_published_at=base.stated_published_at,
        stated_updated_at=base.stated_updated_at,
    )


def correction_preview(
    base: Revision,
    proposal: Revision,
    *,
    known: tuple[nlp.KnownName, ...] | None = None,
    base_analysis: nlp.Analysis | None = None,
) -> dict[str, object]:
    """The compare view of a proposed text against its base (the text analysed now)."""
    from articles.selectors import known_names

    analysis = nlp.analyse_text(proposal.body, known=known_names() if known is None else known)
    return compare(base, proposal, new_analysis=analysis, old_analysis=base_analysis)


def affected_paragraphs(
    base: Revision, annotations: Sequence[Annotation]
) -> list[tuple[str, bool]]:
    """The base body's paragraphs, each with whether an annotation's passage lies in it."""
    spans: list[tuple[int, int]] = []
    for annotation in annotations:
        if annotation.revision_id == base.pk:
            spans.append((annotation.start, annotation.end))
        else:
            placed = annotation.placements.filter(revision=base).first()
            if placed is not None and placed.start is not None:
                spans.append((placed.start, placed.end))  # type: ignore[arg-type]
    out = []
    for start, end in paragraph_spans(base.body):
        out.append((base.body[start:end], any(s < end and start < e for s, e in spans)))
    return out


def suggested_note(kind: str, annotations: Sequence[Annotation], *, when: object = None) -> str:
    """A public note following newsroom practice: what was wrong, what is right, and when."""
    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    day = date_format(timezone.localdate(when) if when else timezone.localdate(), "j F Y")
    label = {"correction": "Correction", "clarification": "Clarification"}.get(
        kind, "Editor's note"
    )
    for annotation in annotations:
        attribution = annotation.attribution or {}
        speaker = attribution.get("speaker") or {}
        if annotation.kind != Annotation.Kind.DISPUTED_ATTRIBUTION or not speaker:
            continue
        written = attribution.get("speaker_name") or speaker.get("text")
        cue = (attribution.get("cue") or {}).get("text", "said")
        content = " ".join(str((attribution.get("content") or {}).get("text", "")).split())
        proposed = annotation.proposed_speaker or "someone else"
        if attribution.get("kind") == "direct":
            return (
                f"{label}, {day}: An earlier version of this article attributed the quotation "
                f"“{content}” to {written}. It was {proposed} who said it."
            )
        return (
            f"{label}, {day}: An earlier version of this article said that {written} {cue} "
            f"{content}. It was {proposed} who {cue}."
        )
    return f"{label}, {day}: An earlier version of this article "


def correction_queue() -> QuerySet[Correction]:
    """Corrections submitted for sign-off, oldest first (the longest wait on top)."""
    return (
        Correction.objects.filter(state=Correction.State.SUBMITTED)
        .select_related("article__source", "base_revision__article", "proposer")
        .prefetch_related(
            # What the queue shows of them: the passage, the status, the thread.
            Prefetch(
                "annotations",
                queryset=Annotation.objects.order_by("id").prefetch_related(
                    Prefetch("comments", queryset=Comment.objects.select_related("author"))
                ),
            ),
        )
        .order_by("submitted_at", "id")
    )


def corrections_of(user: object) -> QuerySet[Correction]:
    """The user's own corrections still in the works (drafts and returned)."""
    return (
        Correction.objects.filter(
            proposer=user, state__in=[Correction.State.DRAFT, Correction.State.RETURNED]
        )
        .select_related("article", "base_revision")
        .order_by("-updated_at")
    )


def correction_get(pk: int) -> Correction:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Correction.objects.select_related(
            "article__source", "base_revision", "published_revision", "proposer", "reviewer"
        ).prefetch_related(
            Prefetch("annotations", queryset=annotations_queryset().order_by("id")),
            Prefetch("events", queryset=CorrectionEvent.objects.select_related("by")),
        ),
        pk=pk,
    )


def correction_diff(correction: Correction) -> dict[str, object]:
    """Base against the published revision, or against the proposal while it is one."""
    return correction_diffs([correction])[0]


def _correction_diff_computed(
    correction: Correction,
    analyses: Mapping[int, Analysis],
    known: tuple[nlp.KnownName, ...],
) -> dict[str, object]:
    base = correction.base_revision
    base_analysis = _as_dict(analyses.get(base.pk))
    if correction.published_revision_id:
        published = correction.published_revision
        assert published is not None
        return compare(
            base,
            published,
            old_analysis=base_analysis,
            new_analysis=_as_dict(analyses.get(published.pk)),
        )
    proposal = proposal_revision(
        base,
        title=correction.title,
        standfirst=correction.standfirst,
        byline=correction.byline,
        body=correction.body,
    )
    return correction_preview(base, proposal, known=known, base_analysis=base_analysis)


def correction_diffs(corrections: Sequence[Correction]) -> list[dict[str, object]]:
    """``correction_diff`` of each correction, from the cache where it is there; the rest
    read their revisions' analyses and the registry in a constant number of queries."""
    from articles.selectors import known_names

    revisions = [c.base_revision_id for c in corrections]
    revisions += [c.published_revision_id for c in corrections if c.published_revision_id]
    tokens = analysis_tokens(revisions)
    keys = {
        c.pk: cache_key(
            "correction-diff",
            c.pk,
            c.updated_at.isoformat() if c.updated_at else "",
            c.base_revision_id,
            tokens.get(c.base_revision_id, ""),
            c.published_revision_id or "",
            tokens.get(c.published_revision_id or 0, ""),
        )
        for c in corrections
    }
    found = cache.get_many(list(keys.values()))
    missing = [c for c in corrections if keys[c.pk] not in found]
    if missing:
        wanted = [c.base_revision for c in missing]
        wanted += [c.published_revision for c in missing if c.published_revision is not None]
        analyses = latest_analyses_for(wanted)
        proposals = any(not c.published_revision_id for c in missing)
        known = known_names() if proposals else ()
        computed = {keys[c.pk]: _correction_diff_computed(c, analyses, known) for c in missing}
        cache.set_many(computed, RENDER_CACHE_SECONDS)
        found.update(computed)
    return [found[keys[c.pk]] for c in corrections]


def article_activity(article: Article, *, show_minor: bool = True) -> QuerySet:
    """The article's log, newest first; without the entries of its minor revisions
    (typography, furniture, a timestamp) unless ``show_minor``."""
    from articles.models import Activity

    rows = Activity.objects.filter(article=article)
    if not show_minor:
        rows = rows.filter(Q(revision__isnull=True) | Q(revision__minor=False))
    return rows.select_related("actor", "revision").order_by("-at", "-id")


def minor_activity_count(article: Article) -> int:
    from articles.models import Activity

    return Activity.objects.filter(article=article, revision__minor=True).count()


def annotation_views(
    ids: Sequence[int], *, revision: Revision | None = None
) -> list[AnnotationView]:
    """These annotations, in the order of ``ids``, each as seen from ``revision`` or,
    without one, from its own article's latest revision (a constant number of queries).

    ``number`` is the annotation's place among its article's annotations, as on the
    reading desk. Ids that match no annotation are left out.
    """

    def latest_of(article: str) -> Subquery:
        newest = Revision.objects.filter(article=OuterRef(article)).order_by("-number")
        return Subquery(newest.values("pk")[:1])

    before = Annotation.objects.filter(article=OuterRef("article"), pk__lte=OuterRef("pk"))
    rows = annotations_queryset().filter(pk__in=ids)
    if revision is None:
        rows = rows.annotate(seen_from=latest_of("article"))
        placements = Placement.objects.filter(revision_id=latest_of("annotation__article"))
    else:
        placements = Placement.objects.filter(revision=revision)
    rows = rows.annotate(
        number=Subquery(before.order_by().values("article").annotate(n=Count("pk")).values("n")[:1])
    ).prefetch_related(Prefetch("placements", queryset=placements, to_attr="here"))
    by_id = {a.pk: a for a in rows}
    views = []
    for pk in ids:
        annotation = by_id.get(pk)
        if annotation is None:
            continue
        seen_from = annotation.seen_from if revision is None else revision.pk
        views.append(
            AnnotationView(
                annotation=annotation,
                number=annotation.number,
                **_seen_from(annotation, seen_from),
            )
        )
    return views


# --------------------------------------------------------------------------
# follows and revision alerts


@dataclass(frozen=True)
class RevisionAlert:
    verb: str  # Notification.Verb.SPEAKER or REVISION
    summary: str
    url: str


def speaker_changes(old: Revision, new: Revision) -> list[tuple[str, str]]:
    """(old speaker, new speaker) of each "speaker changed" attribution change."""
    changes = diff_for(old, new)["attribution_changes"]
    assert isinstance(changes, list)
    found = []
    for change in changes:
        if change.get("kind") != "speaker-changed":
            continue
        old_speaker = _text((change.get("old") or {}).get("speaker")) or "no one"
        new_speaker = _text((change.get("new") or {}).get("speaker")) or "no one"
        found.append((old_speaker, new_speaker))
    return found


def revision_alert(revision: Revision) -> RevisionAlert:
    """What followers are told of a new revision: speaker changes first."""
    article = revision.article
    title = revision.title if len(revision.title) <= 120 else revision.title[:119] + "…"
    if revision.number == 1:
        source = article.source.name if article.source else "an unnamed source"
        return RevisionAlert(
            verb=Notification.Verb.REVISION,
            summary=f"New article from {source}: “{title}”",
            url=reverse("review:article", kwargs={"slug": article.slug}),
        )
    previous = article.revisions.get(number=revision.number - 1)
    compare = reverse("review:compare", kwargs={"slug": article.slug})
    url = f"{compare}?from={previous.number}&to={revision.number}"
    speakers = speaker_changes(previous, revision)
    if speakers:
        said = "; ".join(f"{old} → {new}" for old, new in speakers)
        return RevisionAlert(
            verb=Notification.Verb.SPEAKER,
            summary=f"Speaker changed ({said}) in revision {revision.number} of “{title}”",
            url=url,
        )
    summary = history_for([previous, revision])[1].summary
    return RevisionAlert(
        verb=Notification.Verb.REVISION,
        summary=f"Revision {revision.number} of “{title}”: {summary}",
        url=url,
    )


def _follows_reaching(*, article_id: int, source_id: int | None) -> QuerySet[Follow]:
    """The follows of this article, and of this source when it has one."""
    follows = Q(article_id=article_id)
    if source_id is not None:
        follows |= Q(source_id=source_id)
    return Follow.objects.filter(follows)


def followers_of(revision: Revision) -> QuerySet:
    """The users who follow the revision's article or its source."""
    follows = _follows_reaching(
        article_id=revision.article_id, source_id=revision.article.source_id
    )
    return (
        get_user_model()
        .objects.filter(pk__in=follows.values("user_id"), is_active=True)
        .order_by("pk")
    )


def followed_among(
    *, article_ids: Iterable[int], source_ids: Iterable[int]
) -> tuple[set[int], set[int]]:
    """Which of these articles, and which of these sources, anyone follows (active
    or not)."""
    rows = Follow.objects.filter(
        Q(article_id__in=list(article_ids)) | Q(source_id__in=list(source_ids))
    ).values_list("article_id", "source_id")
    articles: set[int] = set()
    sources: set[int] = set()
    for article_id, source_id in rows:
        if article_id is not None:
            articles.add(article_id)
        if source_id is not None:
            sources.add(source_id)
    return articles, sources


def follows_of(user: object) -> QuerySet[Follow]:
    return Follow.objects.filter(user=user).select_related("article", "source")


def follow_state(user: object, article: Article) -> dict[str, bool]:
    """Whether ``user`` follows the article, and its source."""
    rows = Follow.objects.filter(user=user).filter(
        Q(article=article) | Q(source_id=article.source_id, source__isnull=False)
    )
    found = set(rows.values_list("article_id", "source_id"))
    return {
        "article": (article.pk, None) in found,
        "source": article.source_id is not None and (None, article.source_id) in found,
    }


def notifications_for(user: object, *, unread_only: bool) -> QuerySet[Notification]:
    """A user's notifications, newest first; unread ones put speaker changes first."""
    rows = Notification.objects.filter(recipient=user).select_related("actor", "article")
    if not unread_only:
        return rows
    speaker_first = Case(
        When(verb=Notification.Verb.SPEAKER, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return rows.filter(read_at__isnull=True).order_by(speaker_first, "-created_at", "-id")
