"""``manage.py generate_corpus N``: a synthetic archive for benchmarks and load tests.

N articles with several revisions each (edits, moves, additions, attribution
changes, corrections), annotations in every status with comments and
placements, corrections in every state, many sources and people. Written in
bulk, in batches: the stories come from a small set of templates
(``review.synthetic``) whose revisions are analysed once, by spaCy, before
anything is written; every revision of every article reuses its template's
stored analysis, so 100,000 articles load in minutes.

Never for a real newsroom's database: it writes made-up people and stories.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from articles import analysis as nlp
from articles.models import (
    Activity,
    Analysis,
    Article,
    Person,
    Revision,
    Source,
    content_sha256,
)
from articles.roles import COPY_DESK, EDITORS
from articles.services import search_documents_refresh
from review import anchoring, diffing, pagecache, synthetic
from review.models import (
    Annotation,
    Comment,
    Correction,
    CorrectionEvent,
    Placement,
    StatusChange,
)
from review.roles import roles_ensure
from review.services import annotation_latest_states_refresh

Kinds = Annotation.Kind
States = Correction.State
#: Correction states and the share of articles (per thousand) with one in it.
CORRECTION_SHARES = {
    States.DRAFT: 20,
    States.SUBMITTED: 10,
    States.SIGNED_OFF: 2,
    States.RETURNED: 8,
    States.WITHDRAWN: 5,
}
#: The path of each state through the workflow (a published one is made apart).
CORRECTION_PATHS = {
    States.DRAFT: [States.DRAFT],
    States.SUBMITTED: [States.DRAFT, States.SUBMITTED],
    States.SIGNED_OFF: [States.DRAFT, States.SUBMITTED, States.SIGNED_OFF],
    States.RETURNED: [States.DRAFT, States.SUBMITTED, States.RETURNED],
    States.WITHDRAWN: [States.DRAFT, States.WITHDRAWN],
}
PUBLISHED_PATH = [States.DRAFT, States.SUBMITTED, States.SIGNED_OFF, States.PUBLISHED]


@dataclass
class Span:
    """A passage of a template's first revision that annotations anchor to."""

    quote: anchoring.Quote
    attribution_index: int | None
    attribution: dict[str, Any]
    #: Where it lands on each later variant: anchoring.place() output, by variant index.
    placed: dict[int, dict[str, Any]]
    #: Its quote on the last variant, where it is still there (notes made on the latest revision).
    latest: anchoring.Quote | None = None


@dataclass
class Prepared:
    template: synthetic.Template
    analyses: list[nlp.Analysis]
    spans: list[Span]


def _spans(template: synthetic.Template, analyses: list[nlp.Analysis]) -> list[Span]:
    first, first_analysis = template.variants[0], analyses[0]
    spans = []
    for index, attribution in enumerate(first_analysis["attributions"][:4]):
        parts = [attribution.get(k) for k in ("speaker", "cue", "content")]
        parts = [p for p in parts if isinstance(p, dict)]
        start, end = min(p["start"] for p in parts), max(p["end"] for p in parts)
        quote = anchoring.quote_for(first, start, end)
        placed = {}
        for variant in range(1, len(template.variants)):
            new_sents = analyses[variant]["sentences"]
            ops = diffing.align(
                [first[s["start"] : s["end"]] for s in first_analysis["sentences"]],
                [template.variants[variant][s["start"] : s["end"]] for s in new_sents],
            )
            placed[variant] = dict(
                anchoring.place(
                    quote,
                    old_text=first,
                    old_sentences=first_analysis["sentences"],
                    new_text=template.variants[variant],
                    new_sentences=new_sents,
                    ops=ops,
                )
            )
        last = len(template.variants) - 1
        latest = quote if last == 0 else None
        if last and placed[last]["state"] != "orphaned":
            latest = anchoring.quote_for(
                template.variants[last], placed[last]["start"], placed[last]["end"]
            )
        spans.append(Span(quote, index, dict(attribution), placed, latest))
    return spans


class Command(BaseCommand):
    help = (
        "Write N synthetic articles with revisions, annotations and corrections (benchmarks only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, help="How many articles to write.")
        parser.add_argument("--revisions", type=int, default=3, help="Revisions per article (1-6).")
        parser.add_argument("--templates", type=int, default=12, help="Distinct stories analysed.")
        parser.add_argument("--people", type=int, default=300)
        parser.add_argument("--sources", type=int, default=40)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        count, revisions = options["count"], options["revisions"]
        if count < 1:
            raise CommandError("N must be at least 1.")
        if not 1 <= revisions <= 6:
            raise CommandError("--revisions must be between 1 and 6.")
        if options["templates"] < 1 or options["batch_size"] < 1:
            raise CommandError("--templates and --batch-size must be at least 1.")
        self.rng = random.Random(options["seed"])  # noqa: S311 - made-up data, not secrets
        self.revisions = revisions
        self.unseen_states: list[str] = list(CORRECTION_SHARES)
        #: The stored analysis of each (template, revision number), copied to the rest.
        self.analysis_rows: dict[tuple[int, int], int] = {}
        started = timezone.now()
        self.cast = synthetic.people(options["people"])
        self.sources = self._sources(options["sources"])
        self._people()
        self.editors, self.desk = self._users()
        self.prepared = self._prepare(options["templates"])
        self.stdout.write(
            f"Analysed {len(self.prepared)} stories x {revisions} revisions; writing {count} articles."
        )
        first_id = (Article.objects.aggregate(n=Max("id"))["n"] or 0) + 1
        done = 0
        while done < count:
            size = min(options["batch_size"], count - done)
            with transaction.atomic():
                self._batch(first_id + done, size)
            done += size
            reset_queries()  # with DEBUG on, Django keeps every statement otherwise
            self.stdout.write(f"  {done}/{count} articles")
        if connection.vendor == "postgresql":  # fresh statistics for the planner after a bulk load
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        pagecache.record_retire()  # rows written in bulk send no signals
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} articles in {seconds:.0f} s."))

    # ------------------------------------------------------------------ setup

    def _sources(self, count: int) -> list[Source]:
        names = synthetic.sources(count)
        existing = {s.name: s for s in Source.objects.filter(name__in=names)}
        Source.objects.bulk_create(
            [Source(name=n, slug=slugify(n)) for n in names if n not in existing],
            ignore_conflicts=True,
        )
        return list(Source.objects.filter(name__in=names))

    def _people(self) -> None:
        Person.objects.bulk_create(
            [Person(name=name, title=role.title()) for name, role in self.cast],
            ignore_conflicts=True,
        )

    def _users(self) -> tuple[list[User], list[User]]:
        roles_ensure()
        made: dict[str, list[User]] = {EDITORS: [], COPY_DESK: []}
        for group_name, prefix, n in (
            (EDITORS, "synthetic-editor", 8),
            (COPY_DESK, "synthetic-desk", 4),
        ):
            group = Group.objects.get(name=group_name)
            for i in range(1, n + 1):
                user, created = User.objects.get_or_create(
                    username=f"{prefix}-{i}", defaults={"first_name": prefix.split("-")[1].title()}
                )
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                    user.groups.add(group)
                made[group_name].append(user)
        return made[EDITORS], made[COPY_DESK]

    def _prepare(self, count: int) -> list[Prepared]:
        """The templates, and one spaCy pass over all their revisions."""
        templates = [
            synthetic.template_make(self.rng, self.cast, revisions=self.revisions)
            for _ in range(count)
        ]
        texts = [body for t in templates for body in t.variants]
        analysed = list(nlp.analyse_texts(texts, known=()))
        prepared = []
        for i, template in enumerate(templates):
            analyses = analysed[i * self.revisions : (i + 1) * self.revisions]
            prepared.append(Prepared(template, analyses, _spans(template, analyses)))
        return prepared

    # ------------------------------------------------------------------ batches

    def _batch(self, first_id: int, size: int) -> None:
        rng = self.rng
        now = timezone.now()
        plans = []
        articles = []
        for offset in range(size):
            n = first_id + offset
            prepared = rng.choice(self.prepared)
            template = prepared.template
            speaker = rng.choice(template.speakers)
            title = synthetic.headline(rng, speaker, template.topic, template.place)
            published = now - timedelta(days=rng.uniform(0, 3 * 365))
            source = rng.choice(self.sources)
            count = self.revisions
            articles.append(
                Article(
                    slug=f"{slugify(title)[:80]}-g{n}",
                    source=source,
                    first_published=published,
                    listed_at=published,
                    revision_count=count,
                )
            )
            plans.append((prepared, title, published, count))
        Article.objects.bulk_create(articles)

        revisions: list[Revision] = []
        for article, (prepared, title, published, count) in zip(articles, plans, strict=True):
            template = prepared.template
            stand = synthetic.standfirst(rng, template.topic, template.place)
            corrected = (
                count >= 3 and template.changes[2].startswith("attribution") and rng.random() < 0.5
            )
            for number in range(1, count + 1):
                body = template.variants[number - 1]
                headline = title if number < 3 else f"{title}, talks go on"
                is_correction = corrected and number == 3
                captured = published + timedelta(hours=6 * (number - 1))
                byline = f"By {rng.choice(synthetic.FIRST)} {rng.choice(synthetic.LAST)}"
                revisions.append(
                    Revision(
                        article=article,
                        number=number,
                        title=headline,
                        standfirst=stand,
                        byline=byline,
                        body=body,
                        stated_published_at=published,
                        stated_updated_at=captured if number > 1 else None,
                        captured_at=captured,
                        content_hash=content_sha256(
                            title=headline, standfirst=stand, byline=byline, body=body
                        ),
                        origin=Revision.Origin.CORRECTION
                        if is_correction
                        else Revision.Origin.IMPORTED,
                        author=rng.choice(self.desk) if is_correction else None,
                        source_filename=""
                        if is_correction
                        else f"synthetic-{article.pk}-{number}.txt",
                        note=(
                            f"Correction: an earlier version of this article misattributed a "
                            f"statement on {template.topic}."
                            if is_correction
                            else ""
                        ),
                    )
                )
        Revision.objects.bulk_create(revisions)
        by_article: dict[int, list[Revision]] = {}
        for revision in revisions:
            by_article.setdefault(revision.article_id, []).append(revision)

        activity = []
        for article in articles:
            for revision in by_article[article.pk]:
                activity.append(
                    Activity(
                        actor=revision.author,
                        verb="revision.recorded",
                        article=article,
                        revision=revision,
                        summary=f"Recorded revision {revision.number} of “{revision.title}” (synthetic)",
                        detail={"origin": revision.origin, "outcome": "synthetic"},
                    )
                )
        self._analyses(articles, plans, by_article)
        Activity.objects.bulk_create(activity)

        ids = [a.pk for a in articles]
        newest = (
            Revision.objects.filter(article=OuterRef("pk")).order_by("-number").values("pk")[:1]
        )
        Article.objects.filter(pk__in=ids).update(latest_revision=Subquery(newest))
        search_documents_refresh(article_ids=ids)
        self._review(articles, plans, by_article)

    def _analyses(
        self,
        articles: list[Article],
        plans: list[tuple[Prepared, str, Any, int]],
        by_article: dict[int, list[Revision]],
    ) -> None:
        """Each revision's analysis: its template variant's, stored once through the
        ORM, then copied row to row inside the database (INSERT ... SELECT), so the
        JSON of 300,000 analyses is neither serialised nor sent 300,000 times."""
        wanted: dict[tuple[int, int], list[Revision]] = {}
        for article, (prepared, _, _, _) in zip(articles, plans, strict=True):
            for revision in by_article[article.pk]:
                wanted.setdefault((id(prepared), revision.number), []).append(revision)
        by_key = {id(p): p for p in self.prepared}
        model = nlp.model_name()
        for key, revisions in wanted.items():
            if key not in self.analysis_rows:
                data = by_key[key[0]].analyses[key[1] - 1]
                revision = revisions.pop(0)
                self.analysis_rows[key] = Analysis.objects.create(
                    revision=revision,
                    content_hash=revision.content_hash,
                    pipeline_version=nlp.PIPELINE_VERSION,
                    model=model,
                    sentences=data["sentences"],
                    entities=data["entities"],
                    attributions=data["attributions"],
                    flagged_count=sum(1 for a in data["attributions"] if a.get("flags")),
                ).pk
            if revisions:
                self._analyses_copy(self.analysis_rows[key], [r.pk for r in revisions])

    @staticmethod
    def _analyses_copy(source_id: int, revision_ids: list[int]) -> None:
        """Copy analysis ``source_id`` to each of these revisions (their own content hash)."""
        fields = Analysis._meta
        copied = ["pipeline_version", "model", "sentences", "entities", "attributions"]
        copied += ["flagged_count", "created_at"]
        columns = [fields.get_field(name).column for name in copied]
        quote = connection.ops.quote_name
        # Identifiers from the models' metadata; every value is a parameter.
        sql = (
            f"INSERT INTO {quote(fields.db_table)} "  # noqa: S608
            f"({quote('revision_id')}, {quote('content_hash')}, "
            f"{', '.join(quote(c) for c in columns)}) "
            f"SELECT r.{quote('id')}, r.{quote('content_hash')}, "
            f"{', '.join('s.' + quote(c) for c in columns)} "
            f"FROM {quote(Revision._meta.db_table)} AS r, {quote(fields.db_table)} AS s "
            f"WHERE s.{quote('id')} = %s AND r.{quote('id')} IN "
            f"({', '.join(['%s'] * len(revision_ids))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [source_id, *revision_ids])

    def _review(
        self,
        articles: list[Article],
        plans: list[tuple[Prepared, str, Any, int]],
        by_article: dict[int, list[Revision]],
    ) -> None:
        rng = self.rng
        annotations: list[Annotation] = []
        where: list[tuple[Annotation, Span, list[Revision]]] = []
        corrections: list[tuple[Correction, list[str]]] = []
        for article, (prepared, _, _, _) in zip(articles, plans, strict=True):
            revs = by_article[article.pk]
            first = revs[0]
            wanted = 2 if rng.random() < 0.1 else 1 if rng.random() < 0.35 else 0
            for span in rng.sample(prepared.spans, k=min(wanted, len(prepared.spans))):
                status = rng.choices(
                    [
                        Annotation.Status.OPEN,
                        Annotation.Status.RESOLVED,
                        Annotation.Status.REJECTED,
                    ],
                    weights=[6, 3, 1],
                )[0]
                author = rng.choice(self.editors)
                settled = status != Annotation.Status.OPEN
                kind = rng.choice(
                    [
                        Kinds.DISPUTED_ATTRIBUTION,
                        Kinds.DISPUTED_ATTRIBUTION,
                        Kinds.FACT,
                        Kinds.STYLE,
                        Kinds.LEGAL,
                        Kinds.OTHER,
                    ]
                )
                on, quote, placed_on = first, span.quote, revs
                if len(revs) > 1 and span.latest is not None and rng.random() < 0.15:
                    # made on the latest revision: nothing to place, and no dispute of
                    # an attribution that the first revision's analysis numbers
                    on, quote, placed_on = revs[-1], span.latest, []
                    kind = Kinds.FACT if kind == Kinds.DISPUTED_ATTRIBUTION else kind
                disputed = kind == Kinds.DISPUTED_ATTRIBUTION
                annotation = Annotation(
                    article=article,
                    revision=on,
                    kind=kind,
                    status=status,
                    exact=quote["exact"],
                    prefix=quote["prefix"],
                    suffix=quote["suffix"],
                    start=quote["start"],
                    end=quote["end"],
                    attribution_index=span.attribution_index if disputed else None,
                    attribution=span.attribution if disputed else {},
                    proposed_speaker_text=rng.choice(prepared.template.speakers)
                    if disputed
                    else "",
                    author=author,
                    assignee=rng.choice(self.desk) if rng.random() < 0.5 else None,
                    status_changed_by=rng.choice(self.desk) if settled else None,
                    status_changed_at=on.captured_at + timedelta(days=1) if settled else None,
                    status_reason="Checked against the recording." if settled else "",
                )
                annotations.append(annotation)
                where.append((annotation, span, placed_on))
            state = self._correction_state()
            if state is not None:
                correction = self._correction(article, revs, prepared, state)
                corrections.append((correction, CORRECTION_PATHS[state]))
            latest = revs[-1]
            if latest.origin == Revision.Origin.CORRECTION:
                published = self._correction(article, revs[:-1], prepared, States.PUBLISHED)
                published.published_revision = latest
                published.published_at = latest.captured_at
                published.note = latest.note
                published.body = latest.body
                corrections.append((published, PUBLISHED_PATH))
        Annotation.objects.bulk_create(annotations)

        changes, comments, placements = [], [], []
        for annotation, span, revs in where:
            if annotation.status != Annotation.Status.OPEN:
                changes.append(
                    StatusChange(
                        annotation=annotation,
                        old_status=Annotation.Status.OPEN,
                        new_status=annotation.status,
                        by=annotation.status_changed_by,
                        reason=annotation.status_reason,
                    )
                )
            if rng.random() < 0.5:
                comments.append(
                    Comment(
                        annotation=annotation,
                        author=annotation.author,
                        body="Source checked: see the agency wire.",
                    )
                )
            for revision in revs[1:]:
                placed = span.placed[revision.number - 1]
                placements.append(
                    Placement(
                        annotation=annotation,
                        revision=revision,
                        state=placed["state"],
                        start=placed["start"],
                        end=placed["end"],
                        text=placed["text"] or "",
                    )
                )
        StatusChange.objects.bulk_create(changes)
        Comment.objects.bulk_create(comments)
        Placement.objects.bulk_create(placements)
        annotation_latest_states_refresh(article_ids=[a.pk for a in articles])

        Correction.objects.bulk_create([c for c, _ in corrections])
        events = []
        for correction, path in corrections:
            previous = ""
            for state in path:
                by = (
                    correction.proposer
                    if state in (States.DRAFT, States.SUBMITTED, States.WITHDRAWN)
                    else correction.reviewer
                )
                events.append(
                    CorrectionEvent(
                        correction=correction,
                        old_state=previous,
                        new_state=state,
                        by=by,
                        comment="Please check the second paragraph."
                        if state == States.RETURNED
                        else "",
                    )
                )
                previous = state
        CorrectionEvent.objects.bulk_create(events)

    def _correction_state(self) -> str | None:
        """The state of the article's correction in the works, if any: each state
        once first (a small corpus has them all), then by CORRECTION_SHARES."""
        if self.unseen_states:
            return self.unseen_states.pop(0)
        pick = self.rng.randrange(1000)
        for state, share in CORRECTION_SHARES.items():
            if pick < share:
                return state
            pick -= share
        return None

    def _correction(
        self, article: Article, revs: list[Revision], prepared: Prepared, state: str
    ) -> Correction:
        """A correction of ``revs[-1]`` in ``state``: one speaker given to another."""
        rng = self.rng
        base = revs[-1]
        speakers = prepared.template.speakers
        said = next((s for s in speakers if s in base.body), speakers[0])
        other = next(s for s in speakers if s != said)
        proposer = rng.choice(self.editors)
        reviewed = state in (States.SIGNED_OFF, States.RETURNED, States.PUBLISHED)
        submitted = state != States.DRAFT and state != States.WITHDRAWN
        when = base.captured_at + timedelta(hours=2)
        return Correction(
            article=article,
            base_revision=base,
            kind=Correction.Kind.CORRECTION,
            state=state,
            title=base.title,
            standfirst=base.standfirst,
            byline=base.byline,
            body=base.body.replace(said, other, 1),
            note=f"Correction: an earlier version of this article attributed a statement to {said}. It was {other}.",
            proposer=proposer,
            reviewer=rng.choice(self.desk) if reviewed else None,
            submitted_at=when if submitted else None,
            reviewed_at=when + timedelta(hours=1) if reviewed else None,
        )
