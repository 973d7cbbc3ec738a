"""The demo data loader: an ordered registry of steps that `jinwei demo` runs.

An app adds demo data by writing `<app>/demo.py` and registering steps in it::

    from jinwei.core.demo import demo_step, get_or_create

    @demo_step("indicators")
    def load_indicators() -> int:
        \"\"\"The indicator catalogue, with illustrative observations for 恩平市.\"\"\"
        created = 0
        for code, name in CATALOGUE:
            _, new = get_or_create(Indicator, lookup={"code": code}, defaults={"name": name})
            created += new
        return created

`jinwei demo` imports the `demo` module of every installed app in INSTALLED_APPS order (so the
foundation in `jinwei.accounts.demo` comes before the apps built on it) and runs the steps in the
order they were registered, each in its own transaction. Every step must be idempotent: it looks
rows up by their natural key and creates only what is missing, never changing what is there,
through the tracked services (so the audit trail holds the demo data and a second run writes
nothing, not even an audit entry). It returns how many objects it created (the command reports
it), and its docstring says what it loads. `jinwei.accounts.demo` offers `demo_government()`
and `demo_unit(name)` to hang data on Enping and its units.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from jinwei.audit.services import tracked_create

M = TypeVar("M", bound=models.Model)
StepFunction = Callable[[], int]

DEMO_NOTE = "demo"  # the note on every audit entry the demo writes


@dataclass(frozen=True)
class DemoStep:
    name: str
    run: StepFunction

    @property
    def description(self) -> str:
        return (inspect.getdoc(self.run) or "").split("\n", 1)[0]


_registry: dict[str, DemoStep] = {}


def demo_step(name: str) -> Callable[[StepFunction], StepFunction]:
    """Register the decorated function as the demo step `name` (after those registered so far)."""

    def register(func: StepFunction) -> StepFunction:
        known = _registry.get(name)
        if known is not None and _qualified(known.run) != _qualified(func):
            raise ImproperlyConfigured(f"Two demo steps are named {name!r}.")
        _registry[name] = DemoStep(name=name, run=func)
        return func

    return register


def _qualified(func: StepFunction) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def demo_steps() -> list[DemoStep]:
    """Every registered step, in the order they run."""
    autodiscover_modules("demo")
    return list(_registry.values())


def run_demo_steps(say: Callable[[str], None]) -> int:
    """Run every step, each in its own transaction; return how many objects were created."""
    total = 0
    for step in demo_steps():
        with transaction.atomic():
            created = step.run()
        total += created
        say(
            _("Demo data, %(step)s: %(count)d new objects.") % {"step": step.name, "count": created}
        )
    return total


def get_or_create(
    model: type[M], *, lookup: Mapping[str, Any], defaults: Mapping[str, Any] | None = None
) -> tuple[M, bool]:
    """The row matching the natural key `lookup`, or a new one written through `tracked_create`.

    An existing row is returned as it is: the demo never overwrites what someone changed.
    """
    existing = model._default_manager.filter(**lookup).first()
    if existing is not None:
        return existing, False
    obj = model(**lookup, **(defaults or {}))
    return tracked_create(actor=None, obj=obj, note=DEMO_NOTE), True
