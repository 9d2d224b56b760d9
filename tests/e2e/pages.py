"""The newsroom's main pages, for the screenshot, accessibility and mobile tests: a
recorded seed with a published correction (Putin -> Zelensky) and a second one waiting
for sign-off, made through the services, and the pages that show them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User

from articles.models import Article
from review import services
from review.models import Annotation, Correction

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
DESKTOP = {"width": 1440, "height": 900}
MOBILE = {"width": 390, "height": 844}

DISPUTED = "Putin asked for two Patriot batteries"
NOTE = (
    "Correction, 4 June 2024: An earlier version of this article said that Vladimir Putin "
    "asked for two Patriot batteries for the Kharkiv area. It was Volodymyr Zelensky who asked."
)


@dataclass(frozen=True)
class Newsroom:
    article: Article
    published: Correction
    waiting: Correction


def newsroom_build(*, article: Article, editor: User, copydesk: User) -> Newsroom:
    """Revision 1 disputed and corrected (revision 2, published), then a clarification
    of revision 2 submitted and waiting for the copy desk."""
    revision = article.revisions.get(number=1)
    start = revision.body.index(DISPUTED)
    annotation = services.annotation_create(
        revision=revision,
        author=editor,
        kind=Annotation.Kind.DISPUTED_ATTRIBUTION,
        start=start,
        end=start + len(DISPUTED),
        exact=DISPUTED,
        comment="In context it was Zelensky who asked. @cal can you confirm?",
        proposed_speaker_text="Volodymyr Zelensky",
    )
    published = services.correction_draft(
        article=article, proposer=editor, annotations=[annotation], note=NOTE
    )
    services.correction_submit(correction=published, actor=editor)
    services.correction_sign_off(correction=published, actor=copydesk)
    second = article.revisions.get(number=2)
    start = second.body.index("four trips")
    services.annotation_create(
        revision=second,
        author=editor,
        kind=Annotation.Kind.FACT,
        start=start,
        end=start + len("four trips"),
        exact="four trips",
        comment="The State Department counts five.",
    )
    waiting = services.correction_draft(
        article=article,
        proposer=editor,
        kind=Correction.Kind.CLARIFICATION,
        note="Clarification: Blinken has made five trips to Kyiv since 2022, not four.",
        body=second.body.replace("made four trips", "made five trips"),
    )
    services.correction_submit(correction=waiting, actor=editor)
    published.refresh_from_db()
    return Newsroom(article=article, published=published, waiting=waiting)


def main_pages(newsroom: Newsroom) -> dict[str, str]:
    """Name -> URL of each main page a logged-in member of the copy desk sees."""
    slug = newsroom.article.slug
    return {
        "desk": "/",
        "reading-desk": f"/articles/{slug}/",
        "compare-side": f"/articles/{slug}/compare/?from=1&to=2&mode=side",
        "compare-inline": f"/articles/{slug}/compare/?from=1&to=2&mode=inline",
        "annotations-queue": "/annotations/",
        "corrections-queue": "/review/corrections/",
        "correction": f"/review/corrections/{newsroom.waiting.pk}/",
        "correction-public": f"/corrections/{newsroom.published.pk}/",
        "corrections-log": "/corrections/",
    }
