"""The unread-notification count for the navigation badge (supervision/_badge.html)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from jinwei.supervision.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """A callable the template evaluates only where the badge is shown, once per response."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"unread_notification_count": cache(lambda: unread_count(user=user))}
