"""Background work of the review app, through Django's Tasks interface."""

from __future__ import annotations

from django.core.mail import send_mail
from django_tasks import task

NOTIFICATION_PRIORITY = 10


@task(priority=NOTIFICATION_PRIORITY)
def notification_mail_send_task(subject: str, message: str, recipients: list[str]) -> int:
    """E-mail a notification; returns how many messages were sent (0 on a mail error)."""
    return send_mail(subject, message, None, recipients, fail_silently=True)
