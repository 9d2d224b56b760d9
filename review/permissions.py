"""Who may do what to an object, beyond the role's permissions."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from review.models import Annotation


def can_change_status(user: AbstractBaseUser, annotation: Annotation) -> bool:
    """The author and the assignee settle their annotation; Admins moderate any."""
    if not user.is_authenticated:
        return False
    return user.pk in (annotation.author_id, annotation.assignee_id) or user.has_perm(
        "review.moderate_annotation"
    )
