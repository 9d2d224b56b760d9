"""Where each annotation stands on its article's latest revision, as a column the
annotation queue filters on with an index (it was a join on every request)."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce


def latest_states_backfill(apps, schema_editor):
    """One UPDATE: "original" on the latest revision, else the placement's state
    there, else "" (the same query as services.annotation_latest_states_refresh)."""
    Annotation = apps.get_model("review", "Annotation")
    Article = apps.get_model("articles", "Article")
    Placement = apps.get_model("review", "Placement")
    latest = Article.objects.filter(pk=OuterRef("article_id")).values("latest_revision")[:1]
    placed = Placement.objects.filter(
        annotation=OuterRef("pk"),
        revision_id=Subquery(
            Article.objects.filter(pk=OuterRef(OuterRef("article_id"))).values(
                "latest_revision"
            )[:1]
        ),
    ).values("state")[:1]
    Annotation.objects.update(
        latest_state=Case(
            When(revision_id=Subquery(latest), then=Value("original")),
            default=Coalesce(Subquery(placed), Value("")),
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_import_batches_and_items'),
        ('review', '0006_correction_queue_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='annotation',
            name='latest_state',
            field=models.CharField(blank=True, choices=[('original', 'On the latest revision'), ('carried', 'Carried'), ('changed', 'Changed: re-check'), ('orphaned', 'Orphaned')], default='', editable=False, max_length=20),
        ),
        migrations.RunPython(latest_states_backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='annotation',
            index=models.Index(fields=['latest_state', '-created_at', '-id'], name='annotation_latest_state'),
        ),
        migrations.AddIndex(
            model_name='annotation',
            index=models.Index(condition=models.Q(('latest_state__in', ['changed', 'orphaned'])), fields=['-created_at', '-id'], name='annotation_needs_recheck'),
        ),
        migrations.AddIndex(
            model_name='annotation',
            index=models.Index(condition=models.Q(('latest_state', ''), ('status', 'open')), fields=['article'], name='annotation_unplaced_open'),
        ),
    ]
