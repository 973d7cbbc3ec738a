"""Form helpers shared by the apps' views."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.forms import BaseForm

from jinwei.audit.services import StaleVersionError

T = TypeVar("T")


def refuse(form: BaseForm, error: Exception) -> None:
    """Put a service's refusal into the form, next to the field it names when it names one."""
    if not isinstance(error, ValidationError):
        form.add_error(None, str(getattr(error, "message", error)))
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def attempt(form: BaseForm, write: Callable[[], T]) -> T | None:
    """Run a service; a refusal (invalid data, a stale version) goes onto the form: None."""
    try:
        return write()
    except (ValidationError, StaleVersionError) as error:
        refuse(form, error)
        return None
