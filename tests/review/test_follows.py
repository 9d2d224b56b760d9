"""Following an article or a source: notified of new revisions that are not minor,
speaker changes first."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.contrib.auth.models import User
from django.test import Client

from articles.ingest import CaptureDraft, read_capture
from articles.models import Source
from articles.services import RecordResult, revision_record
from review.models import Follow, Notification
from review.services import follow_set
from tests.conftest import corrected_seed_text, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Record a draft and run what its commit triggers (the hooks), as in production."""

    def run(**kwargs: object) -> RecordResult:
        with django_capture_on_commit_callbacks(execute=True):
            return revision_record(**kwargs)  # type: ignore[arg-type]

    return run


def corrected(seed_text: str) -> CaptureDraft:
    return read_capture(corrected_seed_text(seed_text).encode(), filename="corrected.txt")


def test_a_follower_of_the_article_is_told_the_speaker_changed(
    recorded_seed: RecordResult, editor: User, seed_text: str, record
) -> None:  # type: ignore[no-untyped-def]
    follow_set(user=editor, following=True, article=recorded_seed.article)
    record(draft=corrected(seed_text), filename="corrected.txt")
    note = Notification.objects.get(recipient=editor)
    assert note.verb == Notification.Verb.SPEAKER
    assert note.summary.startswith("Speaker changed (Putin → Zelensky) in revision 2 of “US")
    assert note.url == f"/articles/{recorded_seed.article.slug}/compare/?from=1&to=2"


def test_a_follower_of_the_source_is_told_of_a_new_revision(
    recorded_seed: RecordResult, copydesk: User, seed_draft: CaptureDraft, record
) -> None:  # type: ignore[no-untyped-def]
    afp = Source.objects.get(name="AFP")
    follow_set(user=copydesk, following=True, source=afp)
    extra = seed_draft.body + "\n\nThe talks will resume in Brussels next week, officials said."
    record(draft=replace(seed_draft, body=extra), filename="more.txt")
    note = Notification.objects.get(recipient=copydesk)
    assert note.verb == Notification.Verb.REVISION
    assert note.summary.startswith("Revision 2 of “US Secretary of State")
    assert note.summary.endswith(": 1 added")


def test_a_minor_revision_notifies_no_one(
    recorded_seed: RecordResult, editor: User, seed_draft: CaptureDraft, record
) -> None:  # type: ignore[no-untyped-def]
    follow_set(user=editor, following=True, article=recorded_seed.article)
    result = record(
        draft=replace(seed_draft, body=seed_draft.body.replace("’", "'")),
        analysis=recorded_seed.revision.analyses.get().as_dict(),
        article=recorded_seed.article,
    )
    assert result.revision.minor
    assert not Notification.objects.exists()


def test_someone_who_follows_nothing_is_not_told(
    recorded_seed: RecordResult, editor: User, seed_text: str, record
) -> None:  # type: ignore[no-untyped-def]
    record(draft=corrected(seed_text), filename="corrected.txt")
    assert not Notification.objects.filter(recipient=editor).exists()


def test_speaker_changes_come_first_among_unread_notifications(
    recorded_seed: RecordResult,
    editor: User,
    seed_text: str,
    seed_draft: CaptureDraft,
    editor_client: Client,
    record,
) -> None:  # type: ignore[no-untyped-def]
    follow_set(user=editor, following=True, article=recorded_seed.article)
    record(draft=corrected(seed_text), filename="corrected.txt")
    later = corrected(seed_text)
    record(draft=replace(later, body=later.body + "\n\nTalks resume next week, officials said."))
    page = visible_text(editor_client.get("/notifications/").content.decode())
    assert page.index("speaker changed Speaker changed (Putin → Zelensky)") < page.index(
        "new revision Revision 3 of"
    )


def test_the_reading_desk_button_follows_and_unfollows_the_article(
    recorded_seed: RecordResult, editor: User, editor_client: Client
) -> None:
    slug = recorded_seed.article.slug
    page = editor_client.get(f"/articles/{slug}/").content.decode()
    assert "Follow this article" in page
    response = editor_client.post(
        f"/articles/{slug}/follow/", {"action": "follow", "next": f"/articles/{slug}/"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{slug}/"
    assert Follow.objects.filter(user=editor, article=recorded_seed.article).exists()
    assert "Unfollow this article" in editor_client.get(f"/articles/{slug}/").content.decode()
    editor_client.post(f"/articles/{slug}/follow/", {"action": "unfollow"})
    assert not Follow.objects.exists()


def test_following_twice_keeps_one_follow(recorded_seed: RecordResult, editor: User) -> None:
    follow_set(user=editor, following=True, article=recorded_seed.article)
    follow_set(user=editor, following=True, article=recorded_seed.article)
    assert Follow.objects.count() == 1


def test_the_notifications_page_lists_what_one_follows(
    recorded_seed: RecordResult, editor: User, editor_client: Client
) -> None:
    editor_client.post("/sources/afp/follow/", {"action": "follow"})
    page = visible_text(editor_client.get("/notifications/").content.decode())
    assert "Following Source AFP Unfollow" in page


def test_a_user_in_no_group_cannot_follow(recorded_seed: RecordResult, reader: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        follow_set(user=reader, following=True, article=recorded_seed.article)
    assert not Follow.objects.exists()


def test_who_follows_what_is_told_apart_by_article_and_by_source(
    recorded_seed: RecordResult, editor: User
) -> None:
    from review.selectors import followed_among

    article = recorded_seed.article
    afp = article.source
    assert afp is not None
    reuters = Source.objects.create(name="Reuters", slug="reuters")
    asked = {"article_ids": [article.pk, article.pk + 1], "source_ids": [afp.pk, reuters.pk]}
    assert followed_among(**asked) == (set(), set())
    follow_set(user=editor, following=True, source=reuters)
    assert followed_among(**asked) == (set(), {reuters.pk})
    follow_set(user=editor, following=True, article=article)
    assert followed_among(**asked) == ({article.pk}, {reuters.pk})
    assert followed_among(article_ids=[article.pk + 1], source_ids=[]) == (set(), set())


def test_a_revision_nobody_follows_costs_its_alert_two_narrow_queries(
    recorded_seed: RecordResult, editor: User, seed_text: str, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """A bulk import calls the alert hook for all the revisions of each task: when no
    one follows their articles or sources, it must not load a revision or followers."""
    from review.services import revision_alerts_send

    follow_set(user=editor, following=True, source=Source.objects.create(name="EFE", slug="efe"))
    result = revision_record(draft=corrected(seed_text), filename="corrected.txt")
    with django_assert_num_queries(2):
        assert revision_alerts_send(revision_ids=[result.revision.pk]) == []
    assert not Notification.objects.exists()


def test_an_import_task_tells_a_follower_of_each_revision_it_records(
    copydesk: User, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """An import task records its captures as one batch and runs the alert hook once,
    after its commit, for all of them: each revision of a followed source is told."""
    from articles import services
    from tests.articles.capture_variants import capture_texts, import_batch_of

    follow_set(user=copydesk, following=True, source=Source.objects.create(name="AFP", slug="afp"))
    batch = import_batch_of(capture_texts(2, 2))  # the first article from AFP, the second not
    with django_capture_on_commit_callbacks(execute=True):
        services.import_items_record(item_ids=list(batch.items.values_list("pk", flat=True)))
    notes = list(
        Notification.objects.filter(recipient=copydesk)
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert len(notes) == 2
    assert notes[0].startswith("New article from AFP: “")
    assert notes[1].startswith("Revision 2 of “")
