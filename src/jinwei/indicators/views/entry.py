"""Data entry (a grid per unit and period), approval in batches, reopening, explanations.

The grid is saved all or nothing: every changed row goes through `services.observation_save` in
one transaction, and if any row is refused the transaction is rolled back and each refused row
shows its problems beside its fields.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jinwei.accounts.access import get_for_view
from jinwei.accounts.models import OrgUnit
from jinwei.audit.services import StaleVersionError, changes_since
from jinwei.indicators import entry as selectors
from jinwei.indicators import services
from jinwei.indicators.models import Indicator, Observation
from jinwei.indicators.services import ObservationRejected, Saved
from jinwei.indicators.validation import plain
from jinwei.lib.numbers import NumberError, parse_number
from jinwei.lib.periods import Period, PeriodError, parse_period

APPROVAL_PAGE_SIZE = 100
HOME_DUE_LIMIT = 50
NUMBER_INPUT = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10})


class RowForm(forms.Form):
    """One row of the grid; values are text so that 1,234.5 or full-width digits are read the same
    way as in an imported file."""

    value = forms.CharField(
        label=gettext_lazy("Value"), required=False, max_length=40, widget=NUMBER_INPUT
    )
    growth_rate = forms.CharField(
        label=gettext_lazy("Growth rate (%)"), required=False, max_length=20, widget=NUMBER_INPUT
    )
    source = forms.CharField(label=gettext_lazy("Source"), required=False, max_length=200)
    explanation = forms.CharField(
        label=gettext_lazy("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 1}),
    )
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    locked = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for reopening"),
        required=False,  # the service refuses an empty reason, with its own message
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ExplanationForm(forms.Form):
    explanation = forms.CharField(
        label=gettext_lazy("Explanation"),
        required=False,  # the service refuses an empty explanation, with its own message
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Why the value is behind target, and what the unit is doing."),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ApprovalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            (Observation.Status.SUBMITTED, gettext_lazy("Waiting for approval")),
            (Observation.Status.APPROVED, gettext_lazy("Approved")),
        ],
    )
    indicator = forms.ModelChoiceField(
        label=gettext_lazy("Indicator"), required=False, queryset=Indicator.objects.none()
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), required=False, queryset=OrgUnit.objects.none()
    )
    period = forms.CharField(label=gettext_lazy("Period"), required=False, max_length=20)

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = selectors.approval_indicators(viewer=viewer)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = selectors.approval_units(viewer=viewer)  # type: ignore[attr-defined]

    def clean_period(self) -> str:
        text = self.cleaned_data["period"].strip()
        if not text:
            return ""
        try:
            return str(parse_period(text))
        except PeriodError:
            raise ValidationError(_("Write a period such as 2023, 2023Q3 or 2023-09.")) from None


# ---------------------------------------------------------------------------- entry home


def entry_home(request: HttpRequest) -> HttpResponse:
    """Choose a unit and a period; the explanations the user's units owe."""
    units = list(selectors.entry_units(viewer=request.user))
    if "unit" in request.GET:
        chosen = _chosen_grid(request, units)
        if chosen is not None:
            return redirect("indicators:entry_grid", unit_id=chosen[0].pk, period=str(chosen[1]))
    today = timezone.localdate()
    frequencies = selectors.unit_frequencies(units)
    unit_rows = [
        (unit, [selectors.latest_period(f, today) for f in frequencies.get(unit.pk, [])])
        for unit in units
    ]
    offered = [f for f in selectors.RECENT_PERIODS if any(f in fs for fs in frequencies.values())]
    due = selectors.explanations_due(viewer=request.user)
    return render(
        request,
        "indicators/entry_home.html",
        {
            "unit_rows": unit_rows,
            "units": units,
            "recent_periods": [p for f in offered for p in selectors.recent_periods(f, today)],
            "due": list(due[:HOME_DUE_LIMIT]),
            "due_count": due.count(),
            "awaiting_count": selectors.awaiting_approval_count(viewer=request.user),
            "may_approve": bool(selectors.approver_government_ids(request.user)),
        },
    )


def _chosen_grid(request: HttpRequest, units: list[OrgUnit]) -> tuple[OrgUnit, Period] | None:
    by_id = {str(u.pk): u for u in units}
    unit = by_id.get(request.GET.get("unit", ""))
    if unit is None:
        messages.error(request, _("Choose one of your units."))
        return None
    try:
        return unit, parse_period(request.GET.get("period", ""))
    except PeriodError:
        messages.error(request, _("Write a period such as 2023, 2023Q3 or 2023-09."))
        return None


# ---------------------------------------------------------------------------- the grid


def _unit_for_entry(request: HttpRequest, unit_id: int) -> OrgUnit:
    """The unit if the user enters its figures: 404 when invisible, 403 when not theirs."""
    unit = get_for_view(request, OrgUnit.objects.select_related("government", "region"), pk=unit_id)
    if not selectors.may_enter_for_unit(request.user, unit):
        raise PermissionDenied
    return unit


def _period_or_404(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError:
        raise Http404 from None


def entry_grid(request: HttpRequest, unit_id: int, period: str) -> HttpResponse:
    unit = _unit_for_entry(request, unit_id)
    the_period = _period_or_404(period)
    if str(the_period) != period:
        return redirect("indicators:entry_grid", unit_id=unit.pk, period=str(the_period))
    rows = selectors.grid_rows(unit=unit, period=the_period)
    data = request.POST if request.method == "POST" else None
    row_forms = [
        RowForm(data, prefix=f"row-{row.indicator.pk}", initial=_initial(row.observation))
        for row in rows
    ]
    if request.method == "POST":
        submit = "submit" in request.POST
        saved = _save_grid(request, unit, the_period, rows, row_forms, submit=submit)
        if saved is not None:
            _report_saved(request, saved, submit=submit)
            return redirect("indicators:entry_grid", unit_id=unit.pk, period=period)
        messages.error(request, _("Nothing was saved: correct the rows marked below."))
    return render(
        request,
        "indicators/entry_grid.html",
        {
            "unit": unit,
            "place": selectors.entry_place(unit),
            "period": the_period,
            "previous": the_period.previous(),
            "next": the_period.shift(1),
            "rows": list(zip(rows, row_forms, strict=True)),
            "may_approve": services.may_approve(request.user, unit.government_id),
            "units": selectors.entry_units(viewer=request.user),
            "recent_periods": selectors.recent_periods(the_period.frequency, timezone.localdate()),
            "frequency_label": Indicator.Frequency(the_period.frequency.value).label,
        },
    )


def _initial(obs: Observation | None) -> dict[str, Any]:
    if obs is None:
        return {}
    return {
        "value": plain(obs.value),
        "growth_rate": "" if obs.growth_rate is None else plain(obs.growth_rate),
        "source": obs.source,
        "explanation": obs.explanation,
        "version": obs.version,
        "locked": obs.is_locked,
    }


def _save_grid(
    request: HttpRequest,
    unit: OrgUnit,
    period: Period,
    rows: list[selectors.GridRow],
    row_forms: list[RowForm],
    *,
    submit: bool,
) -> list[Saved] | None:
    """Save every changed row, or none: None when any row was refused (errors are on the forms)."""
    place = selectors.entry_place(unit)
    saved: list[Saved] = []
    failed = False
    with transaction.atomic():
        for row, form in zip(rows, row_forms, strict=True):
            if not form.is_valid():
                failed = True
                continue
            data = form.cleaned_data
            if data["locked"] or not _needs_save(row.observation, data, submit=submit):
                continue
            try:
                saved.append(
                    services.observation_save(
                        actor=request.user,
                        indicator=row.indicator,
                        period_text=str(period),
                        value_text=data["value"],
                        growth_rate_text=data["growth_rate"],
                        source=data["source"].strip(),
                        explanation=data["explanation"],
                        expected_version=_expected_version(row.observation, data["version"]),
                        submit=submit,
                        **place.lookup,
                    )
                )
            except ObservationRejected as rejected:
                for problem in rejected.problems:
                    field = problem.column if problem.column in form.fields else None
                    form.add_error(field, problem.message)
                failed = True
            except StaleVersionError as stale:
                form.add_error(None, stale.message)
                failed = True
        if failed:
            transaction.set_rollback(True)
            return None
    return saved


def _expected_version(obs: Observation | None, posted: int | None) -> int | None:
    """The version the person saw; 0 when they saw no value but one exists now (a stale write)."""
    if obs is None:
        return None
    return posted if posted is not None else 0


def _needs_save(obs: Observation | None, data: dict[str, Any], *, submit: bool) -> bool:
    typed = any(str(data[f]).strip() for f in ("value", "growth_rate", "source", "explanation"))
    if obs is None or data["version"] is None:  # no value was shown: an empty row is no value
        return typed
    if submit and obs.status == Observation.Status.DRAFT:
        return True
    return (
        _number_differs(data["value"], obs.value)
        or _number_differs(data["growth_rate"], obs.growth_rate)
        or data["source"].strip() != obs.source
        or data["explanation"].strip() != obs.explanation
    )


def _number_differs(text: str, stored: Decimal | None) -> bool:
    try:
        return parse_number(text).value != stored
    except NumberError:
        return True  # let the service refuse it with its message


def _report_saved(request: HttpRequest, saved: list[Saved], *, submit: bool) -> None:
    if not saved:
        messages.info(request, _("Nothing to save: no value was changed."))
        return
    if submit:
        text = ngettext(
            "Saved and submitted %(count)d value.",
            "Saved and submitted %(count)d values.",
            len(saved),
        )
    else:
        text = ngettext("Saved %(count)d value.", "Saved %(count)d values.", len(saved))
    messages.success(request, text % {"count": len(saved)})
    for item in saved:
        for warning in item.warnings:
            messages.warning(request, warning.message)


# ---------------------------------------------------------------------------- approval


def approval(request: HttpRequest) -> HttpResponse:
    """The queue of submitted values; approve many in one POST."""
    if not selectors.approver_government_ids(request.user):
        raise PermissionDenied
    if request.method == "POST":
        _approve_selected(request)
        return redirect(request.get_full_path())
    form = ApprovalFilterForm(request.GET or None, viewer=request.user)
    criteria = form.cleaned_data if form.is_valid() else {}
    status = criteria.get("status") or Observation.Status.SUBMITTED
    queue = selectors.approval_queue(
        viewer=request.user,
        status=status,
        indicator_id=criteria["indicator"].pk if criteria.get("indicator") else None,
        unit_id=criteria["unit"].pk if criteria.get("unit") else None,
        period=criteria.get("period", ""),
    )
    page = Paginator(queue, APPROVAL_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "indicators/approval.html",
        {
            "form": form,
            "page": page,
            "showing_approved": status == Observation.Status.APPROVED,
            "query": query.urlencode(),
        },
    )


def _approve_selected(request: HttpRequest) -> None:
    ids = {int(x) for x in request.POST.getlist("observation") if x.isdigit()}
    if not ids:
        messages.error(request, _("Select the values to approve."))
        return
    chosen = list(selectors.approval_queue(viewer=request.user).filter(pk__in=ids))
    if len(chosen) != len(ids):
        messages.error(
            request,
            _("Some selected values are no longer waiting for approval. Nothing was approved."),
        )
        return
    for obs in chosen:
        seen = request.POST.get(f"version-{obs.pk}", "")
        if seen != str(obs.version):
            expected = int(seen) if seen.isdigit() else 0
            stale = StaleVersionError(obs, expected, changes_since(obs, expected))
            messages.error(request, f"{obs}: {stale.message}")
            return
    count = services.observations_approve(actor=request.user, observations=chosen)
    messages.success(
        request,
        ngettext("Approved %(count)d value.", "Approved %(count)d values.", count)
        % {"count": count},
    )


# ---------------------------------------------------------------------------- one value


def _observation(request: HttpRequest, pk: int) -> Observation:
    return get_for_view(
        request,
        Observation.objects.select_related(
            "indicator", "indicator__owner_unit", "region", "unit", "approved_by"
        ),
        pk=pk,
    )


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _stale_message(obs: Observation, seen: int) -> str:
    return StaleVersionError(obs, seen, changes_since(obs, seen)).message


def observation_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Unlock an approved value; the reason goes into the audit trail."""
    obs = _observation(request, pk)
    if not services.may_approve(request.user, obs.indicator.government_id):
        raise PermissionDenied
    form = ReasonForm(request.POST or None, initial={"version": obs.version})
    next_url = _next_url(request, reverse("indicators:approval"))
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["version"] != obs.version:
                raise ValidationError(_stale_message(obs, form.cleaned_data["version"]))
            services.observation_reopen(
                actor=request.user, observation=obs, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The value was reopened; it can be changed again."))
            return redirect(next_url)
    return render(
        request,
        "indicators/observation_reopen.html",
        {"observation": obs, "form": form, "next": next_url},
    )


def observation_explain(request: HttpRequest, pk: int) -> HttpResponse:
    """The owning unit explains a value behind target."""
    obs = _observation(request, pk)
    if not services.may_enter(request.user, obs.indicator, obs.unit):
        raise PermissionDenied
    form = ExplanationForm(
        request.POST or None, initial={"explanation": obs.explanation, "version": obs.version}
    )
    next_url = _next_url(request, reverse("indicators:entry_home"))
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["version"] != obs.version:
                raise ValidationError(_stale_message(obs, form.cleaned_data["version"]))
            services.observation_explain(
                actor=request.user, observation=obs, explanation=form.cleaned_data["explanation"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The explanation was saved."))
            return redirect(next_url)
    where: dict[str, Any] = {"region": obs.region} if obs.region_id else {"unit": obs.unit}
    progress = services.target_progress(
        obs.indicator, where, obs.period_obj, obs.value, obs.growth_rate
    )
    return render(
        request,
        "indicators/observation_explain.html",
        {"observation": obs, "form": form, "progress": progress, "next": next_url},
    )
