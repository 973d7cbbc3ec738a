"""Writes for indicators and observations: entry, submission, approval and reopening.

Imports write through `jinwei.indicators.importing`, which applies the same validation rules
(`validation.py`) in bulk; a single value entered on a form or posted to the API comes here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.access import can_change, grants_for
from jinwei.accounts.models import OrgUnit, Region, Role
from jinwei.audit.services import tracked_create, tracked_update
from jinwei.indicators import progress as progress_rules
from jinwei.indicators import validation
from jinwei.indicators.models import Indicator, Observation, Target
from jinwei.indicators.validation import ERROR, Problem
from jinwei.lib.periods import Period


class ObservationRejected(Exception):
    """The value was not saved; `problems` says why, field by field."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


@dataclass
class Saved:
    observation: Observation
    warnings: list[Problem] = field(default_factory=list)
    created: bool = False


def may_approve(user: Any, government_id: int) -> bool:
    """Statisticians approve and reopen; so do the supervisors and admins of the government."""
    grants = grants_for(user)
    return grants.manages(government_id) or grants.has_role(government_id, Role.STATISTICIAN)


def may_enter(user: Any, indicator: Indicator, unit: OrgUnit | None = None) -> bool:
    """Unit staff enter their own unit's indicators (or their unit's own figures); statisticians,
    supervisors and admins enter any figure of their government."""
    if may_approve(user, indicator.government_id):
        return True
    probe = Observation(indicator=indicator, unit=unit)
    return can_change(user, probe)


def year_ago_value(indicator: Indicator, where: dict[str, Any], period: Period) -> Decimal | None:
    row = Observation.objects.filter(indicator=indicator, period=str(period.year_ago()), **where)
    return row.values_list("value", flat=True).first()


def target_progress(
    indicator: Indicator,
    where: dict[str, Any],
    period: Period,
    value: Decimal,
    growth: Decimal | None,
) -> progress_rules.Progress | None:
    """Progress against the year's target, if one is set."""
    target = Target.objects.filter(indicator=indicator, year=period.year, **where).first()
    if target is None:
        return None
    last_year = (
        Observation.objects.filter(indicator=indicator, period=str(last_year_end(period)), **where)
        .values_list("value", flat=True)
        .first()
    )
    return progress_against(
        indicator=indicator,
        target=target,
        last_year_total=last_year,
        period=period,
        value=value,
        growth=growth,
    )


def progress_against(
    *,
    indicator: Indicator,
    target: Target,
    last_year_total: Decimal | None,
    period: Period,
    value: Decimal,
    growth: Decimal | None,
) -> progress_rules.Progress | None:
    """The rule of `target_progress` without queries, for pages that load targets in bulk."""
    if target.kind == Target.Kind.GROWTH and growth is not None:
        return progress_rules.progress(
            value=growth, period=period, level=target.value, cumulative=False
        )
    level = progress_rules.target_level(
        kind=target.kind, target=target.value, last_year_total=last_year_total
    )
    if level is None:
        return None
    return progress_rules.progress(
        value=value,
        period=period,
        level=level,
        cumulative=indicator.is_cumulative,
        higher_is_better=indicator.higher_is_better,
    )


def last_year_end(period: Period) -> Period:
    """The last period of the previous year, whose value a growth-rate target grows from."""
    return _year_end(period).year_ago()


def _year_end(period: Period) -> Period:
    return period.periods_of_year()[-1]


def as_stored(number: Decimal, field_name: str) -> Decimal:
    """Round half up to the column's decimal places, as the database will keep it, so that saving
    the same figure again compares equal and writes no revision (100 == 100.000000)."""
    places = Observation._meta.get_field(field_name).decimal_places  # type: ignore[union-attr]
    try:
        return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # too many digits: full_clean refuses it with its own message
        return number


@transaction.atomic
def observation_save(
    *,
    actor: Any,
    indicator: Indicator,
    period_text: object,
    value_text: object,
    region: Region | None = None,
    unit: OrgUnit | None = None,
    growth_rate_text: object = None,
    source: str = "",
    explanation: str = "",
    expected_version: int | None = None,
    submit: bool = False,
) -> Saved:
    """Validate and save one value (form or API). Raises ObservationRejected with every problem."""
    if (region is None) == (unit is None):
        raise ValueError("give a region or a unit")
    if not may_enter(actor, indicator, unit):
        raise PermissionDenied
    problems: list[Problem] = []
    period, period_problem = validation.check_period(indicator, period_text)
    if period_problem:
        problems.append(period_problem)
    checked = validation.check_value(indicator, value_text)
    problems += checked.problems
    growth, growth_problem = validation.check_growth_rate(growth_rate_text)
    if growth_problem:
        problems.append(growth_problem)
    if any(p.is_error for p in problems) or period is None or checked.value is None:
        raise ObservationRejected(problems)
    value = as_stored(checked.value, "value")
    growth = None if growth is None else as_stored(growth, "growth_rate")
    where: dict[str, Any] = {"region": region} if region else {"unit": unit}
    existing = Observation.objects.filter(indicator=indicator, period=str(period), **where).first()
    if existing is not None and existing.is_locked:
        raise ObservationRejected([validation.locked_problem(indicator, period)])
    swing = validation.check_swing(indicator, value, year_ago_value(indicator, where, period))
    warnings = [swing] if swing else []
    status = target_progress(indicator, where, period, value, growth)
    is_red = status is not None and status.colour == progress_rules.Colour.RED
    explanation = explanation.strip()
    explanation_due = False
    if is_red and not explanation:
        if may_approve(actor, indicator.government_id):
            explanation_due = True  # the owning unit explains later; the figure is not held up
        else:
            raise ObservationRejected(
                [
                    Problem(
                        ERROR,
                        "explanation_required",
                        _red_message(indicator, status),
                        "explanation",
                    )
                ]
            )
    fields: dict[str, Any] = {
        "value": value,
        "growth_rate": growth,
        "source": source,
        "explanation": explanation,
        "explanation_due": explanation_due,
    }
    if submit:
        fields.update(status=Observation.Status.SUBMITTED, submitted_at=timezone.now())
    if existing is None:
        obs = Observation(indicator=indicator, period=str(period), **where, **fields)
        return Saved(tracked_create(actor=actor, obj=obs), warnings, created=True)
    obs = tracked_update(
        actor=actor, obj=existing, changes=fields, expected_version=expected_version
    )
    return Saved(obs, warnings)


def _red_message(indicator: Indicator, status: progress_rules.Progress | None) -> str:
    behind = status.points_behind if status else Decimal(0)
    return _(
        "%(indicator)s is %(points)s points behind time progress (red): give an explanation."
    ) % {"indicator": indicator.name, "points": f"{behind:.1f}"}


@transaction.atomic
def observations_submit(*, actor: Any, observations: Iterable[Observation]) -> int:
    """Draft values go to the statistics bureau for approval."""
    count = 0
    for obs in observations:
        if not may_enter(actor, obs.indicator, obs.unit):
            raise PermissionDenied
        if obs.status != Observation.Status.DRAFT:
            continue
        tracked_update(
            actor=actor,
            obj=obs,
            changes={"status": Observation.Status.SUBMITTED, "submitted_at": timezone.now()},
            expected_version=obs.version,
        )
        count += 1
    return count


@transaction.atomic
def observations_approve(*, actor: Any, observations: Iterable[Observation]) -> int:
    """Approve a batch: the values are locked until someone reopens them with a reason."""
    count = 0
    now = timezone.now()
    for obs in observations:
        if not may_approve(actor, obs.indicator.government_id):
            raise PermissionDenied
        if obs.status == Observation.Status.APPROVED:
            continue
        tracked_update(
            actor=actor,
            obj=obs,
            changes={
                "status": Observation.Status.APPROVED,
                "approved_at": now,
                "approved_by": actor,
            },
            expected_version=obs.version,
            note=_("approved"),
        )
        count += 1
    return count


@transaction.atomic
def observation_reopen(*, actor: Any, observation: Observation, reason: str) -> Observation:
    """Unlock an approved value; the reason is required and kept in the audit trail."""
    if not may_approve(actor, observation.indicator.government_id):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    if observation.status != Observation.Status.APPROVED:
        raise ValidationError(_("Only an approved value can be reopened."))
    return tracked_update(
        actor=actor,
        obj=observation,
        changes={"status": Observation.Status.SUBMITTED, "approved_at": None, "approved_by": None},
        expected_version=observation.version,
        note=_("reopened: %(reason)s") % {"reason": reason},
    )


@transaction.atomic
def observation_explain(*, actor: Any, observation: Observation, explanation: str) -> Observation:
    """The owning unit's explanation of a value behind target (the to-do an import leaves)."""
    if not may_enter(actor, observation.indicator, observation.unit):
        raise PermissionDenied
    explanation = explanation.strip()
    if not explanation:
        raise ValidationError({"explanation": _("Write the explanation.")})
    return tracked_update(
        actor=actor,
        obj=observation,
        changes={"explanation": explanation, "explanation_due": False},
        expected_version=observation.version,
    )


def indicator_create(*, actor: Any, indicator: Indicator) -> Indicator:
    return tracked_create(actor=actor, obj=indicator)


def indicator_update(
    *, actor: Any, indicator: Indicator, changes: dict[str, Any], expected_version: int
) -> Indicator:
    return tracked_update(
        actor=actor, obj=indicator, changes=changes, expected_version=expected_version
    )


def target_set(
    *,
    actor: Any,
    indicator: Indicator,
    year: int,
    kind: str,
    value: Decimal,
    region: Region | None = None,
    unit: OrgUnit | None = None,
    expected_version: int | None = None,
) -> Target:
    where: dict[str, Any] = {"region": region} if region else {"unit": unit}
    existing = Target.objects.filter(indicator=indicator, year=year, **where).first()
    if existing is None:
        return tracked_create(
            actor=actor, obj=Target(indicator=indicator, year=year, kind=kind, value=value, **where)
        )
    return tracked_update(
        actor=actor,
        obj=existing,
        changes={"kind": kind, "value": value},
        expected_version=expected_version,
    )
