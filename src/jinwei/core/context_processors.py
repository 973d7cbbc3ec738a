from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jinwei.accounts.access import grants_for, is_admin, primary_membership
from jinwei.core.navigation import installed_modules


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs: the modules, and the signed-in user's unit and role."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_modules": []}
    memberships = list(user.memberships.select_related("unit"))
    grants_for(user)
    return {
        "nav_modules": installed_modules(),
        "current_membership": primary_membership(memberships),
        "user_is_admin": is_admin(user),
    }
