"""Pieces every app's API module uses: the signed-in caller, the error body, a reference to a
named object, and the type fix that ninja's pagination needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, get_type_hints

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Schema

from jinwei.accounts.models import User

F = TypeVar("F", bound=Callable[..., Any])


class ErrorOut(Schema):
    detail: str


class Ref(Schema):
    id: int
    name: str


def api_user(request: HttpRequest) -> User:
    """The caller (the API's auth has let only signed-in users or token holders through)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def typed_for_paging(view: F) -> F:
    """`paginate` wraps a view in ninja's module, where the view module's names (under `from
    __future__ import annotations`) cannot be found: give it the real types up front."""
    view.__annotations__ = get_type_hints(view)
    return view
