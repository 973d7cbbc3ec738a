"""API for the indicator catalogue and observations.

Posting observations goes through the import pipeline, so a value sent here meets the same rules
as one in a file (type and unit, range, duplicates, unknown names, period and frequency, rights,
locks, target explanations) and the whole list is saved all or nothing.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError, ValidationError

from jinwei.accounts.models import Region
from jinwei.api_parts import ErrorOut, api_user
from jinwei.indicators import selectors
from jinwei.indicators.importing.commit import ImportRejected, commit_records
from jinwei.indicators.importing.headers import Column
from jinwei.indicators.importing.layouts import Record, Spec
from jinwei.indicators.importing.pipeline import Issue, Options
from jinwei.indicators.importing.services import importing_governments
from jinwei.indicators.models import ImportBatch, Observation

router = Router(tags=["indicators"])
MAX_ITEMS = 10_000


class IndicatorOut(Schema):
    code: str
    name: str
    aliases: list[str]
    unit: str
    decimals: int
    direction: str
    frequency: str
    value_kind: str
    category: str = Field(alias="category.code")
    owner_unit_id: int
    owner_unit: str = Field(alias="owner_unit.name")
    government: str = Field(alias="government.code")
    valid_min: Decimal | None
    valid_max: Decimal | None
    thresholds: list[Any]
    is_headline: bool
    is_public: bool
    source: str


class ObservationOut(Schema):
    indicator: str = Field(alias="indicator.code")
    region: str | None
    unit_id: int | None
    period: str
    value: Decimal
    growth_rate: Decimal | None
    source: str
    status: str
    explanation: str
    explanation_due: bool
    is_illustrative: bool
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_region(obj: Observation) -> str | None:
        return obj.region.code if obj.region is not None else None


class ObservationIn(Schema):
    """One value. `value` and `growth_rate` may be numbers or text as tables write them
    ("1,234.5", "５.２%"); give `region` (a code or name) or `unit_id`, or neither for the
    government itself."""

    indicator: str = Field(description="Code, name or alias of the indicator.")
    region: str | None = None
    unit_id: int | None = None
    period: str = Field(description="2023, 2023Q3 or 2023-09.")
    value: Decimal | str | None
    growth_rate: Decimal | str | None = None
    source: str = ""
    explanation: str = ""


class PostedOut(Schema):
    new: int
    changed: int
    unchanged: int
    batch: int | None
    warnings: list[dict[str, Any]]


class ProblemItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ProblemsOut(Schema):
    detail: list[ProblemItem]


def _government(request: HttpRequest, code: str | None) -> Region:
    """The government a write is for: the one given, or the caller's only one."""
    governments = importing_governments(api_user(request))
    if code:
        governments = [g for g in governments if g.code == code]
    if not governments:
        raise PermissionDenied(_("You may not enter values for this government."))
    if len(governments) > 1:
        raise HttpError(400, _("Say which government: ?government=CODE."))
    return governments[0]


@router.get("/", response=list[IndicatorOut])
def indicator_catalogue(request: HttpRequest, government: str | None = None) -> Any:
    """The catalogue of every government the caller works for."""
    rows = selectors.indicator_list(viewer=api_user(request))
    if government:
        rows = rows.filter(government__code=government)
    return rows


@router.get("/{code}/observations", response={200: list[ObservationOut], 404: ErrorOut})
def indicator_observations(
    request: HttpRequest,
    code: str,
    region: str | None = None,
    unit: int | None = None,
    government: str | None = None,
) -> Any:
    """The values of one indicator by period; `region` takes a region code."""
    indicators = selectors.indicator_queryset(viewer=api_user(request)).filter(code=code)
    if government:
        indicators = indicators.filter(government__code=government)
    found = list(indicators[:2])
    if not found:
        raise Http404
    if len(found) > 1:
        raise HttpError(400, _("Say which government: ?government=CODE."))
    rows: QuerySet[Observation] = Observation.objects.filter(indicator=found[0]).select_related(
        "indicator", "region"
    )
    if region:
        rows = rows.filter(region__code=region)
    if unit is not None:
        rows = rows.filter(unit_id=unit)
    return rows.order_by("region__code", "unit_id", "period")


_FIELDS = ("indicator", "region", "unit_id", "period", "value", "growth_rate", "source",
           "explanation")  # fmt: skip
_AT = {name: Column(position, name, "") for position, name in enumerate(_FIELDS)}
_SPEC = Spec(
    sheet="",
    sheet_index=0,
    value=_AT["value"],
    indicators=(_AT["indicator"],),
    where=_AT["region"],
    unit_id=_AT["unit_id"],
    period=_AT["period"],
    growth=_AT["growth_rate"],
    source=_AT["source"],
    explanation=_AT["explanation"],
)


def _record(index: int, item: ObservationIn) -> Record:
    """An item as the row of a long table whose columns are the fields; its row is its index."""
    cells = [
        item.indicator,
        item.region or "",
        "" if item.unit_id is None else item.unit_id,
        item.period,
        "" if item.value is None else item.value,
        "" if item.growth_rate is None else item.growth_rate,
        item.source.strip(),
        item.explanation.strip(),
    ]
    return _SPEC, index, cells


def _problem(issue: Issue) -> dict[str, Any]:
    loc: list[str | int] = ["body", "payload"]
    if issue.column:
        loc += [issue.row, issue.column]
    return {"loc": loc, "msg": issue.message, "type": issue.code}


@router.post(
    "/observations",
    response={200: PostedOut, 400: ErrorOut, 403: ErrorOut, 422: ProblemsOut},
)
def observations_post(
    request: HttpRequest, payload: list[ObservationIn], government: str | None = None
) -> Any:
    """Save a list of values, all or nothing. Every problem is answered at once (422), located
    by the item's index and field; warnings (an abnormal swing) do not stop the save."""
    user = api_user(request)
    if len(payload) > MAX_ITEMS:
        raise HttpError(400, _("Send at most %(max)s values at once.") % {"max": MAX_ITEMS})
    home = _government(request, government)
    records = [_record(index, item) for index, item in enumerate(payload)]
    try:
        with transaction.atomic():  # the batch goes too if the values are refused
            batch = ImportBatch.objects.create(
                government=home, created_by=user, filename="API", layout="long"
            )
            outcome = commit_records(records, Options(home, user), batch=batch)
            counts = outcome.counts()
            batch.status, batch.progress = ImportBatch.Status.COMMITTED, 100
            batch.counts, batch.committed_at = counts, timezone.now()
            batch.problems = [i.as_dict() for i in outcome.sorted_issues()]
            batch.save(update_fields=["status", "progress", "counts", "committed_at", "problems"])
    except ImportRejected as rejected:
        errors = [_problem(i) for i in rejected.outcome.sorted_issues() if i.is_error]
        raise ValidationError(errors) from None
    return {
        "new": counts["new"],
        "changed": counts["changed"],
        "unchanged": counts["unchanged"],
        "batch": batch.pk,
        "warnings": [_problem(i) for i in outcome.sorted_issues()],
    }
