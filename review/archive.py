"""Archives of articles: one JSON document (``newsdesk.archive/1``) with everything on
record about them, and its restore into an empty database.

The document holds, per article, every revision with its analyses (and a summary
of each), the earlier slugs, every annotation with its status changes, thread
(comments with their earlier wordings) and placements, the flag decisions, every
correction with its events, and the article's activity log. People are named by
username, revisions by number, annotations by their number in the archive (1, 2,
... per article), so that exporting a restored database gives the same document.
See docs/INTERFACE.md for the format.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from articles.changes import FIELDS, is_minor_change
from articles.models import (
    Activity,
    Analysis,
    Article,
    Person,
    PersonAlias,
    RetiredSlug,
    Revision,
    Source,
)
from articles.services import article_latest_set
from review import pagecache
from review.models import (
    Annotation,
    Comment,
    CommentVersion,
    Correction,
    CorrectionEvent,
    FlagDecision,
    Notification,
    Placement,
    StatusChange,
)
from review.services import annotation_latest_states_refresh

SCHEMA = "newsdesk.archive/1"

Doc = dict[str, Any]

# The tables that must be empty for a restore: the record and the work on it.
RECORD_TABLES: tuple[type[models.Model], ...] = (
    Article,
    Revision,
    Analysis,
    Activity,
    RetiredSlug,
    Annotation,
    StatusChange,
    Comment,
    CommentVersion,
    Placement,
    FlagDecision,
    Correction,
    CorrectionEvent,
    Notification,
)


class ArchiveError(Exception):
    """An archive that cannot be restored; the message says why. Nothing was written."""


# ---------------------------------------------------------------------------
# Export


def _time(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _who(user: AbstractBaseUser | None) -> str | None:
    return user.get_username() if user is not None else None


class _Exporter:
    def __init__(self) -> None:
        self.users: dict[str, Doc] = {}
        self.sources: dict[str, Doc] = {}
        self.people: dict[str, Doc] = {}

    def user(self, user: AbstractBaseUser | None) -> str | None:
        if user is None:
            return None
        name = user.get_username()
        if name not in self.users:
            self.users[name] = {
                "username": name,
                "first_name": getattr(user, "first_name", ""),
                "last_name": getattr(user, "last_name", ""),
                "email": getattr(user, "email", ""),
            }
        return name

    def source(self, source: Source | None) -> str | None:
        if source is None:
            return None
        self.sources.setdefault(
            source.slug,
            {
                "slug": source.slug,
                "name": source.name,
                "kind": source.kind,
                "website": source.website,
                "notes": source.notes,
            },
        )
        return source.slug

    def person(self, person: Person | None) -> str | None:
        if person is None:
            return None
        if person.name not in self.people:
            self.people[person.name] = {
                "name": person.name,
                "title": person.title,
                "organisation": person.organisation,
                "wikidata_id": person.wikidata_id,
                "notes": person.notes,
                "aliases": sorted(alias.name for alias in person.aliases.all()),
            }
        return person.name

    def article(self, article: Article) -> Doc:
        revisions = list(
            article.revisions.select_related("author")
            .prefetch_related("analyses")
            .order_by("number")
        )
        annotations = list(
            article.annotations.select_related(
                "revision", "author", "assignee", "status_changed_by", "proposed_person"
            )
            .prefetch_related("placements__revision", "proposed_person__aliases")
            .order_by("created_at", "id")
        )
        numbers = {annotation.pk: n for n, annotation in enumerate(annotations, start=1)}
        return {
            "slug": article.slug,
            "canonical_url": article.canonical_url,
            "source": self.source(article.source),
            "first_published": _time(article.first_published),
            "created_at": _time(article.created_at),
            "retired_slugs": [
                {"slug": r.slug, "retired_at": _time(r.retired_at)}
                for r in article.retired_slugs.order_by("retired_at", "id")
            ],
            "revisions": [self.revision(revision) for revision in revisions],
            "annotations": [
                self.annotation(annotation, numbers[annotation.pk]) for annotation in annotations
            ],
            "flag_decisions": [
                self.flag_decision(decision, numbers)
                for decision in article.flag_decisions.select_related("revision", "by").order_by(
                    "at", "id"
                )
            ],
            "corrections": [
                self.correction(correction, numbers)
                for correction in article.corrections.select_related(
                    "base_revision", "published_revision", "proposer", "reviewer"
                )
                .prefetch_related("annotations")
                .order_by("created_at", "id")
            ],
            "activity": [
                {
                    "actor": self.user(row.actor),
                    "verb": row.verb,
                    "revision": row.revision.number if row.revision is not None else None,
                    "summary": row.summary,
                    "detail": row.detail,
                    "at": _time(row.at),
                }
                for row in article.activities.select_related("actor", "revision").order_by(
                    "at", "id"
                )
            ],
        }

    def revision(self, revision: Revision) -> Doc:
        analyses = sorted(revision.analyses.all(), key=lambda a: (a.created_at, a.pk))
        return {
            "number": revision.number,
            "title": revision.title,
            "standfirst": revision.standfirst,
            "byline": revision.byline,
            "body": revision.body,
            "stated_published_at": _time(revision.stated_published_at),
            "stated_updated_at": _time(revision.stated_updated_at),
            "captured_at": _time(revision.captured_at),
            "content_hash": revision.content_hash,
            "origin": revision.origin,
            "minor": revision.minor,
            "author": self.user(revision.author),
            "source_filename": revision.source_filename,
            "note": revision.note,
            "created_at": _time(revision.created_at),
            "analyses": [
                {
                    "pipeline_version": analysis.pipeline_version,
                    "model": analysis.model,
                    "content_hash": analysis.content_hash,
                    "summary": {
                        "sentences": len(analysis.sentences),
                        "entities": len(analysis.entities),
                        "attributions": len(analysis.attributions),
                        "flagged": analysis.flagged_count,
                    },
                    "sentences": analysis.sentences,
                    "entities": analysis.entities,
                    "attributions": analysis.attributions,
                    "created_at": _time(analysis.created_at),
                }
                for analysis in analyses
            ],
        }

    def annotation(self, annotation: Annotation, number: int) -> Doc:
        comments = annotation.comments.select_related("author").prefetch_related("versions")
        return {
            "number": number,
            "revision": annotation.revision.number,
            "kind": annotation.kind,
            "status": annotation.status,
            "exact": annotation.exact,
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
            "start": annotation.start,
            "end": annotation.end,
            "attribution_index": annotation.attribution_index,
            "attribution": annotation.attribution,
            "proposed_person": self.person(annotation.proposed_person),
            "proposed_speaker_text": annotation.proposed_speaker_text,
            "evidence_url": annotation.evidence_url,
            "evidence_note": annotation.evidence_note,
            "author": self.user(annotation.author),
            "assignee": self.user(annotation.assignee),
            "status_changed_by": self.user(annotation.status_changed_by),
            "status_changed_at": _time(annotation.status_changed_at),
            "status_reason": annotation.status_reason,
            "created_at": _time(annotation.created_at),
            "status_changes": [
                {
                    "old_status": change.old_status,
                    "new_status": change.new_status,
                    "by": self.user(change.by),
                    "reason": change.reason,
                    "at": _time(change.at),
                }
                for change in annotation.status_changes.select_related("by").order_by("at", "id")
            ],
            "comments": [
                {
                    "author": self.user(comment.author),
                    "body": comment.body,
                    "created_at": _time(comment.created_at),
                    "edited_at": _time(comment.edited_at),
                    "versions": [
                        {
                            "body": version.body,
                            "written_at": _time(version.written_at),
                            "replaced_at": _time(version.replaced_at),
                        }
                        for version in sorted(
                            comment.versions.all(), key=lambda v: (v.written_at, v.pk)
                        )
                    ],
                }
                for comment in comments.order_by("created_at", "id")
            ],
            "placements": [
                {
                    "revision": placement.revision.number,
                    "state": placement.state,
                    "start": placement.start,
                    "end": placement.end,
                    "text": placement.text,
                    "created_at": _time(placement.created_at),
                }
                for placement in sorted(
                    annotation.placements.all(), key=lambda p: p.revision.number
                )
            ],
        }

    def flag_decision(self, decision: FlagDecision, numbers: dict[int, int]) -> Doc:
        return {
            "revision": decision.revision.number,
            "key": decision.key,
            "speaker_text": decision.speaker_text,
            "cue_text": decision.cue_text,
            "content_text": decision.content_text,
            "flags": decision.flags,
            "decision": decision.decision,
            "reason": decision.reason,
            "annotation": numbers.get(decision.annotation_id) if decision.annotation_id else None,
            "by": self.user(decision.by),
            "at": _time(decision.at),
        }

    def correction(self, correction: Correction, numbers: dict[int, int]) -> Doc:
        published = correction.published_revision
        return {
            "base_revision": correction.base_revision.number,
            "kind": correction.kind,
            "state": correction.state,
            "annotations": sorted(numbers[a.pk] for a in correction.annotations.all()),
            "title": correction.title,
            "standfirst": correction.standfirst,
            "byline": correction.byline,
            "body": correction.body,
            "note": correction.note,
            "proposer": self.user(correction.proposer),
            "reviewer": self.user(correction.reviewer),
            "override_reason": correction.override_reason,
            "published_revision": published.number if published is not None else None,
            "created_at": _time(correction.created_at),
            "updated_at": _time(correction.updated_at),
            "submitted_at": _time(correction.submitted_at),
            "reviewed_at": _time(correction.reviewed_at),
            "published_at": _time(correction.published_at),
            "events": [
                {
                    "old_state": event.old_state,
                    "new_state": event.new_state,
                    "by": self.user(event.by),
                    "comment": event.comment,
                    "at": _time(event.at),
                }
                for event in correction.events.select_related("by").order_by("at", "id")
            ],
        }


def archive_export(*, articles: Iterable[Article]) -> Doc:
    """The archive of ``articles`` (in slug order) as one JSON-ready document."""
    exporter = _Exporter()
    ordered = sorted(articles, key=lambda article: article.slug)
    exported = [exporter.article(article) for article in ordered]
    return {
        "schema": SCHEMA,
        "users": [exporter.users[name] for name in sorted(exporter.users)],
        "sources": [exporter.sources[slug] for slug in sorted(exporter.sources)],
        "people": [exporter.people[name] for name in sorted(exporter.people)],
        "articles": exported,
    }


# ---------------------------------------------------------------------------
# Restore


@contextmanager
def _stored_times_kept(model_list: Sequence[type[models.Model]]) -> Iterator[None]:
    """Inside, ``auto_now``/``auto_now_add`` fields take the archive's times, not now."""
    fields = [
        field
        for model in model_list
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]  # type: ignore[attr-defined]
    for field in fields:
        field.auto_now = field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add  # type: ignore[attr-defined]


def _parse_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ArchiveError(f"time {value!r} has no time zone")
    return parsed


class _Restorer:
    def __init__(self, document: Doc) -> None:
        self.document = document
        self.users: dict[str, AbstractBaseUser] = {}
        self.sources: dict[str, Source] = {}
        self.people: dict[str, Person] = {}

    def save(self, obj: models.Model, where: str) -> None:
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise ArchiveError(f"{where}: {'; '.join(exc.messages)}") from exc
        obj.save()

    def user(self, name: str | None) -> AbstractBaseUser | None:
        if name is None:
            return None
        if name not in self.users:
            raise ArchiveError(f"the user {name!r} is not in the archive's users")
        return self.users[name]

    def restore_users(self) -> None:
        User = get_user_model()
        for row in self.document["users"]:
            user = User.objects.filter(username=row["username"]).first()
            if user is None:
                user = User(
                    username=row["username"],
                    first_name=row.get("first_name", ""),
                    last_name=row.get("last_name", ""),
                    email=row.get("email", ""),
                )
                user.set_unusable_password()
                self.save(user, f"user {row['username']!r}")
            self.users[row["username"]] = user

    def restore_sources(self) -> None:
        for row in self.document["sources"]:
            source = Source.objects.filter(slug=row["slug"]).first()
            if source is None:
                source = Source(**{k: row[k] for k in ("slug", "name", "kind", "website", "notes")})
                self.save(source, f"source {row['slug']!r}")
            self.sources[row["slug"]] = source

    def restore_people(self) -> None:
        for row in self.document["people"]:
            person = Person.objects.filter(name=row["name"]).first()
            if person is None:
                fields = ("name", "title", "organisation", "wikidata_id", "notes")
                person = Person(**{k: row[k] for k in fields})
                self.save(person, f"person {row['name']!r}")
                for alias in row["aliases"]:
                    self.save(PersonAlias(person=person, name=alias), f"alias {alias!r}")
            self.people[row["name"]] = person

    def restore_article(self, row: Doc) -> Article:
        where = f"article {row['slug']!r}"
        source = row["source"]
        if source is not None and source not in self.sources:
            raise ArchiveError(f"{where}: the source {source!r} is not in the archive's sources")
        article = Article(
            slug=row["slug"],
            canonical_url=row["canonical_url"],
            source=self.sources.get(source) if source else None,
            first_published=_parse_time(row["first_published"]),
            created_at=_parse_time(row["created_at"]),
            listed_at=_parse_time(row["first_published"]) or _parse_time(row["created_at"]),
        )
        self.save(article, where)
        for retired in row["retired_slugs"]:
            self.save(
                RetiredSlug(
                    article=article,
                    slug=retired["slug"],
                    retired_at=_parse_time(retired["retired_at"]),
                ),
                f"{where}, earlier slug {retired['slug']!r}",
            )
        revisions: dict[int, Revision] = {}
        for rev in row["revisions"]:
            revisions[rev["number"]] = self.restore_revision(article, rev, where)
        if revisions:  # the desk's pointer to the newest revision, and its counts
            article_latest_set(article=article, revision=revisions[max(revisions)])

        def revision(number: int | None, what: str) -> Revision | None:
            if number is None:
                return None
            if number not in revisions:
                raise ArchiveError(f"{where}: {what} names revision {number}, not in the archive")
            return revisions[number]

        annotations: dict[int, Annotation] = {}
        for note in row["annotations"]:
            annotations[note["number"]] = self.restore_annotation(article, note, revision, where)
        annotation_latest_states_refresh(article_ids=[article.pk])
        for decision in row["flag_decisions"]:
            self.save(
                FlagDecision(
                    article=article,
                    revision=revision(decision["revision"], "a flag decision"),
                    key=decision["key"],
                    speaker_text=decision["speaker_text"],
                    cue_text=decision["cue_text"],
                    content_text=decision["content_text"],
                    flags=decision["flags"],
                    decision=decision["decision"],
                    reason=decision["reason"],
                    annotation=annotations.get(decision["annotation"])
                    if decision["annotation"] is not None
                    else None,
                    by=self.user(decision["by"]),
                    at=_parse_time(decision["at"]),
                ),
                f"{where}, a flag decision",
            )
        for number, fix in enumerate(row["corrections"], start=1):
            self.restore_correction(
                article, fix, revision, annotations, f"{where}, correction {number}"
            )
        for entry in row["activity"]:
            self.save(
                Activity(
                    actor=self.user(entry["actor"]),
                    verb=entry["verb"],
                    article=article,
                    revision=revision(entry["revision"], "an activity row"),
                    summary=entry["summary"],
                    detail=entry["detail"],
                    at=_parse_time(entry["at"]),
                ),
                f"{where}, activity {entry['verb']!r}",
            )
        return article

    def minor(self, article: Article, rev: Doc) -> bool:
        """Whether a revision of an archive written before ``minor`` was carried is
        minor: as recording decides it, against the revision before it (restored
        already: revisions come in number order); a first revision or a correction
        never is."""
        if rev["origin"] == Revision.Origin.CORRECTION:
            return False
        before = article.revisions.filter(number__lt=rev["number"]).order_by("-number").first()
        if before is None:
            return False
        return is_minor_change(
            {name: getattr(before, name) for name in FIELDS}, {name: rev[name] for name in FIELDS}
        )

    def restore_revision(self, article: Article, rev: Doc, where: str) -> Revision:
        revision = Revision(
            article=article,
            number=rev["number"],
            title=rev["title"],
            standfirst=rev["standfirst"],
            byline=rev["byline"],
            body=rev["body"],
            stated_published_at=_parse_time(rev["stated_published_at"]),
            stated_updated_at=_parse_time(rev["stated_updated_at"]),
            captured_at=_parse_time(rev["captured_at"]),
            content_hash=rev["content_hash"],
            origin=rev["origin"],
            minor=rev["minor"] if "minor" in rev else self.minor(article, rev),
            author=self.user(rev["author"]),
            source_filename=rev["source_filename"],
            note=rev["note"],
            created_at=_parse_time(rev["created_at"]),
        )
        self.save(revision, f"{where}, revision {rev['number']}")
        for analysis in rev["analyses"]:
            self.save(
                Analysis(
                    revision=revision,
                    content_hash=analysis["content_hash"],
                    pipeline_version=analysis["pipeline_version"],
                    model=analysis["model"],
                    sentences=analysis["sentences"],
                    entities=analysis["entities"],
                    attributions=analysis["attributions"],
                    flagged_count=sum(1 for a in analysis["attributions"] if a.get("flags")),
                    created_at=_parse_time(analysis["created_at"]),
                ),
                f"{where}, analysis of revision {rev['number']}",
            )
        return revision

    def restore_annotation(
        self, article: Article, note: Doc, revision: Any, where: str
    ) -> Annotation:
        where = f"{where}, annotation {note['number']}"
        person = note["proposed_person"]
        if person is not None and person not in self.people:
            raise ArchiveError(f"{where}: the person {person!r} is not in the archive's people")
        annotation = Annotation(
            article=article,
            revision=revision(note["revision"], "an annotation"),
            kind=note["kind"],
            status=note["status"],
            exact=note["exact"],
            prefix=note["prefix"],
            suffix=note["suffix"],
            start=note["start"],
            end=note["end"],
            attribution_index=note["attribution_index"],
            attribution=note["attribution"],
            proposed_person=self.people.get(person) if person else None,
            proposed_speaker_text=note["proposed_speaker_text"],
            evidence_url=note["evidence_url"],
            evidence_note=note["evidence_note"],
            author=self.user(note["author"]),
            assignee=self.user(note["assignee"]),
            status_changed_by=self.user(note["status_changed_by"]),
            status_changed_at=_parse_time(note["status_changed_at"]),
            status_reason=note["status_reason"],
            created_at=_parse_time(note["created_at"]),
        )
        self.save(annotation, where)
        for change in note["status_changes"]:
            self.save(
                StatusChange(
                    annotation=annotation,
                    old_status=change["old_status"],
                    new_status=change["new_status"],
                    by=self.user(change["by"]),
                    reason=change["reason"],
                    at=_parse_time(change["at"]),
                ),
                f"{where}, a status change",
            )
        for n, row in enumerate(note["comments"], start=1):
            comment = Comment(
                annotation=annotation,
                author=self.user(row["author"]),
                body=row["body"],
                created_at=_parse_time(row["created_at"]),
                edited_at=_parse_time(row["edited_at"]),
            )
            self.save(comment, f"{where}, comment {n}")
            for version in row["versions"]:
                self.save(
                    CommentVersion(
                        comment=comment,
                        body=version["body"],
                        written_at=_parse_time(version["written_at"]),
                        replaced_at=_parse_time(version["replaced_at"]),
                    ),
                    f"{where}, an earlier wording of comment {n}",
                )
        for placed in note["placements"]:
            self.save(
                Placement(
                    annotation=annotation,
                    revision=revision(placed["revision"], "a placement"),
                    state=placed["state"],
                    start=placed["start"],
                    end=placed["end"],
                    text=placed["text"],
                    created_at=_parse_time(placed["created_at"]),
                ),
                f"{where}, its placement on revision {placed['revision']}",
            )
        return annotation

    def restore_correction(
        self,
        article: Article,
        fix: Doc,
        revision: Any,
        annotations: dict[int, Annotation],
        where: str,
    ) -> Correction:
        correction = Correction(
            article=article,
            base_revision=revision(fix["base_revision"], "a correction"),
            kind=fix["kind"],
            state=fix["state"],
            title=fix["title"],
            standfirst=fix["standfirst"],
            byline=fix["byline"],
            body=fix["body"],
            note=fix["note"],
            proposer=self.user(fix["proposer"]),
            reviewer=self.user(fix["reviewer"]),
            override_reason=fix["override_reason"],
            published_revision=revision(fix["published_revision"], "a correction"),
            created_at=_parse_time(fix["created_at"]),
            updated_at=_parse_time(fix["updated_at"]),
            submitted_at=_parse_time(fix["submitted_at"]),
            reviewed_at=_parse_time(fix["reviewed_at"]),
            published_at=_parse_time(fix["published_at"]),
        )
        self.save(correction, where)
        unknown = [n for n in fix["annotations"] if n not in annotations]
        if unknown:
            raise ArchiveError(f"{where}: settles annotation {unknown[0]}, not in the archive")
        correction.annotations.set([annotations[n] for n in fix["annotations"]])
        for event in fix["events"]:
            self.save(
                CorrectionEvent(
                    correction=correction,
                    old_state=event["old_state"],
                    new_state=event["new_state"],
                    by=self.user(event["by"]),
                    comment=event["comment"],
                    at=_parse_time(event["at"]),
                ),
                f"{where}, an event",
            )
        return correction


def record_is_empty() -> bool:
    return not any(model.objects.exists() for model in RECORD_TABLES)


def archive_restore(*, document: Doc) -> list[Article]:
    """Restore an archive into an empty record, in one transaction: every row is
    inserted (nothing on record is updated) with the archive's own times. Users,
    sources and people already present are used as they are; missing users are
    created without a usable password and in no group.

    Raises ``ArchiveError`` (and writes nothing) for a non-empty record or an archive
    that does not hold together."""
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        found = document.get("schema") if isinstance(document, dict) else None
        raise ArchiveError(f"not a {SCHEMA} document (its schema is {found!r})")
    try:
        with transaction.atomic():
            if not record_is_empty():
                raise ArchiveError(
                    "the database already holds articles or work on them; an archive is "
                    "restored only into an empty database"
                )
            restorer = _Restorer(document)
            with _stored_times_kept(RECORD_TABLES):
                restorer.restore_users()
                restorer.restore_sources()
                restorer.restore_people()
                restored = [restorer.restore_article(row) for row in document["articles"]]
                pagecache.record_retire()  # rows written in bulk send no signals
                return restored
    except (KeyError, TypeError) as exc:
        raise ArchiveError(f"the archive is incomplete or malformed ({exc!r})") from exc
    except (ValueError, IntegrityError) as exc:
        raise ArchiveError(f"the archive holds a bad value: {exc}") from exc
