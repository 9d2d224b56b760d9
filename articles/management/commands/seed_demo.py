"""Load the demo data: the seed article, its people, and (in DEBUG only) demo accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.ingest import read_capture
from articles.models import Person, PersonAlias, Revision
from articles.services import draft_content_hash, revision_record

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

# The people quoted in the demo article, so the registry resolves them.
DEMO_PEOPLE = [
    (
        "Antony Blinken",
        "US Secretary of State",
        "US State Department",
        "Q3874799",
        ["Blinken", "Tony Blinken"],
    ),
    (
        "Volodymyr Zelensky",
        "President of Ukraine",
        "Government of Ukraine",
        "Q3881980",
        ["Zelensky", "Zelenskyy", "Volodymyr Zelenskyy"],
    ),
    ("Vladimir Putin", "President of Russia", "Government of Russia", "Q7747", ["Putin"]),
    (
        "Dmytro Kuleba",
        "Foreign Minister of Ukraine",
        "Government of Ukraine",
        "Q5318009",
        ["Kuleba"],
    ),
    ("Emmanuel Macron", "President of France", "Government of France", "Q3052772", ["Macron"]),
]

# Demo accounts, one per role. Only created with DEBUG on: never in production.
DEMO_USERS = [
    ("editor", "Eda Editor", "Editors", "editor-demo-pass", False),
    ("copydesk", "Cal Copydesk", "Copy desk", "copydesk-demo-pass", False),
    ("admin", "Ada Admin", "Admins", "admin-demo-pass", True),
]


class Command(BaseCommand):
    help = "Import the demo article and people (idempotent); with DEBUG on, create demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for name, title, organisation, qid, aliases in DEMO_PEOPLE:
                person, _ = Person.objects.get_or_create(
                    name=name,
                    defaults={"title": title, "organisation": organisation, "wikidata_id": qid},
                )
                for alias in aliases:
                    PersonAlias.objects.get_or_create(person=person, name=alias)
        for path in sorted(DEMO_DIR.glob("*.txt")):
            draft = read_capture(path.read_bytes(), filename=path.name)
            on_record = Revision.objects.filter(content_hash=draft_content_hash(draft)).first()
            if on_record is not None:
                # Already loaded (perhaps corrected since): never re-import it as a revert.
                self.stdout.write(
                    f"Demo article: already on record as revision {on_record.number}."
                )
                continue
            result = revision_record(draft=draft, filename=path.name)
            self.stdout.write(f"Demo article: {result.message}")
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo accounts created.")
            return
        with transaction.atomic():
            for username, full_name, group_name, password, is_admin in DEMO_USERS:
                first, last = full_name.split(" ", 1)
                user, _ = User.objects.get_or_create(username=username)
                user.first_name, user.last_name = first, last
                user.email = f"{username}@newsroom.test"
                user.is_staff = is_admin
                user.is_superuser = is_admin
                user.set_password(password)
                user.save()
                user.groups.set([Group.objects.get(name=group_name)])
        self.stdout.write("Demo accounts (DEBUG only):")
        for username, _, group_name, password, _ in DEMO_USERS:
            self.stdout.write(f"  {username:<9} / {password:<20} ({group_name})")
