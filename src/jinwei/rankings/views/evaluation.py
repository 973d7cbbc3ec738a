"""Composite evaluation pages: schemes, runs, sensitivity and "what moves my rank".

The run pages read one row (the run, whose stored inputs hold the whole panel) and, for the
score table, the run's scores: their query count does not grow with the number of regions.
Sensitivity and what-if are recomputed from the stored inputs on each request.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinwei.accounts.access import can_manage
from jinwei.audit.services import StaleVersionError
from jinwei.core.middleware import allows_inline_styles
from jinwei.lib import xlsx
from jinwei.rankings import composite, scheme_selectors, services
from jinwei.rankings.engine import EvaluationError
from jinwei.rankings.models import EvaluationScheme
from jinwei.rankings.scheme_forms import (
    SchemeForm,
    SensitivityForm,
    YearForm,
    chosen,
    scheme_initial,
)
from jinwei.rankings.sensitivity import method_combinations, monte_carlo
from jinwei.rankings.views import evaluation_tables as tables
from jinwei.rankings.views.evaluation_tables import RunLabels
from jinwei.rankings.whatif import what_moves as what_moves_of

# --------------------------------------------------------------------------------- schemes


def scheme_list(request: HttpRequest) -> HttpResponse:
    schemes = scheme_selectors.scheme_list(viewer=request.user)
    return render(
        request,
        "rankings/scheme_list.html",
        {
            "schemes": schemes,
            "may_create": bool(scheme_selectors.managed_governments(request.user)),
        },
    )


def _form(request: HttpRequest, government: Any, **kwargs: Any) -> SchemeForm:
    choices = scheme_selectors.form_choices(government.pk)
    return SchemeForm(
        request.POST if request.method == "POST" else None,
        government=government,
        indicators=choices.indicators,
        categories=choices.categories,
        **kwargs,
    )


def scheme_create(request: HttpRequest) -> HttpResponse:
    governments = scheme_selectors.managed_governments(request.user)
    if not governments:
        raise PermissionDenied
    government = governments[0]
    form = _form(
        request,
        government,
        initial={
            "first_year": timezone.localdate().year - 5,
            "last_year": timezone.localdate().year - 1,
        },
    )
    if request.method == "POST" and form.is_valid():
        scheme = EvaluationScheme(government=government, **form.scheme_fields())
        try:
            services.scheme_create(actor=request.user, scheme=scheme, items=form.items())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The scheme was saved."))
            return redirect("rankings:scheme_detail", scheme_id=scheme.pk)
    return render(request, "rankings/scheme_form.html", {"form": form, "scheme": None})


def scheme_edit(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = scheme_selectors.scheme_for_change(request, scheme_id)
    items = scheme_selectors.scheme_items(scheme)
    form = _form(request, scheme.government, initial=scheme_initial(scheme, items))
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_update(
                actor=request.user,
                scheme=scheme,
                changes=form.scheme_fields(),
                items=form.items(),
                expected_version=form.cleaned_data["version"] or scheme.version,
            )
        except StaleVersionError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The scheme was saved."))
            return redirect("rankings:scheme_detail", scheme_id=scheme.pk)
    return render(request, "rankings/scheme_form.html", {"form": form, "scheme": scheme})


def scheme_detail(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = scheme_selectors.scheme_for_view(request, scheme_id)
    items = scheme_selectors.scheme_items(scheme)
    return render(
        request,
        "rankings/scheme_detail.html",
        {
            "scheme": scheme,
            "method": tables.scheme_method_rows(scheme, items),
            "items_table": tables.scheme_items_table(scheme, items),
            "runs": scheme_selectors.scheme_runs(viewer=request.user, scheme=scheme),
            "may_manage": can_manage(request.user, scheme.government_id),
            "problems": services.scheme_problems(scheme, items),
        },
    )


@require_POST
def scheme_run(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = scheme_selectors.scheme_for_change(request, scheme_id)
    try:
        run = services.scheme_evaluate(
            actor=request.user, scheme=scheme, publish=request.POST.get("publish") == "on"
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("rankings:scheme_detail", scheme_id=scheme.pk)
    messages.success(request, _("The evaluation was computed and stored."))
    return redirect("rankings:run_detail", run_id=run.pk)


# ------------------------------------------------------------------------------------ runs


def _year(request: HttpRequest, years: list[int]) -> int:
    form = YearForm(request.GET or None, years=years)
    year = chosen(form, "year")
    if year is None:
        raise Http404
    return int(year)


@allows_inline_styles
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = scheme_selectors.run_for_view(request, run_id)
    labels = RunLabels.of(run)
    scores = scheme_selectors.run_scores(run)
    year = _year(request, labels.years)
    return render(
        request,
        "rankings/run_detail.html",
        {
            "run": run,
            "scheme": run.scheme,
            "labels": labels,
            "page": "run",
            "year": year,
            "year_form": YearForm(initial={"year": year}, years=labels.years),
            "method": tables.run_method_rows(run, labels),
            "score_table": tables.score_table(run, labels, scores, year),
            "weights_table": tables.weights_table(run, labels),
            "dimension_table": tables.dimension_weights_table(run, labels),
            "figure": tables.rank_figure(labels, scores),
            "skipped": tables.skipped_notes(run),
            "imputed_count": sum(len(s.imputed) for s in scores),
        },
    )


def run_export(request: HttpRequest, run_id: int) -> HttpResponse:
    run = scheme_selectors.run_for_view(request, run_id)
    labels = RunLabels.of(run)
    scores = scheme_selectors.run_scores(run)
    sheets = [tables.score_table(run, labels, scores, year).sheet() for year in labels.years]
    sheets += [
        tables.weights_table(run, labels).sheet(),
        tables.dimension_weights_table(run, labels).sheet(),
        tables.method_table(run, labels).sheet(),
    ]
    filename = _("evaluation-%(scheme)s-%(run)s.xlsx") % {"scheme": run.scheme.name, "run": run.pk}
    return xlsx.response(filename=filename, sheets=sheets)


@allows_inline_styles
def sensitivity(request: HttpRequest, run_id: int) -> HttpResponse:
    run = scheme_selectors.run_for_view(request, run_id)
    labels = RunLabels.of(run)
    form = SensitivityForm(request.GET or None, years=labels.years)
    params = {name: chosen(form, name) for name in ("year", "draws", "seed", "kappa")}
    year = int(params["year"])
    panel, method = services.run_panel(run), services.run_method(run)
    started = time.perf_counter()
    combos = method_combinations(panel, method, run.scheme.alternatives or {})
    x, rows = composite.year_matrix(panel, method, year)
    carlo = None
    if len(rows) >= 2:
        criteria = composite.Criteria.of(panel)
        weights = composite.evaluate_stack(x, criteria, method).weights
        carlo = monte_carlo(
            x,
            criteria,
            method,
            weights,
            draws=int(params["draws"]),
            kappa=float(params["kappa"]),
            seed=int(params["seed"]),
        )
    elapsed = time.perf_counter() - started
    t = labels.years.index(year)
    return render(
        request,
        "rankings/sensitivity.html",
        {
            "run": run,
            "scheme": run.scheme,
            "labels": labels,
            "page": "sensitivity",
            "form": form,
            "year": year,
            "params": params,
            "elapsed": elapsed,
            "combos_table": tables.combinations_table(labels, combos, t),
            "carlo": carlo,
            "carlo_table": tables.monte_carlo_table(run, labels, rows, carlo, combos, t)
            if carlo
            else None,
            "figure": tables.monte_carlo_figure(labels, rows, carlo) if carlo else None,
            "uncertain": int(carlo.uncertain.sum()) if carlo else 0,
        },
    )


def what_moves(request: HttpRequest, run_id: int, code: str) -> HttpResponse:
    run = scheme_selectors.run_for_view(request, run_id)
    labels = RunLabels.of(run)
    if code not in labels.region_codes:
        raise Http404
    year = _year(request, labels.years)
    panel, method = services.run_panel(run), services.run_method(run)
    x, rows = composite.year_matrix(panel, method, year)
    index = labels.region_codes.index(code)
    context: dict[str, Any] = {
        "run": run,
        "scheme": run.scheme,
        "labels": labels,
        "page": "what_moves",
        "year": year,
        "year_form": YearForm(initial={"year": year}, years=labels.years),
        "code": code,
        "region_name": labels.region_names[index],
        "excluded": index not in rows,
        "result": None,
        "error": "",
    }
    if index in rows:
        try:
            result = what_moves_of(
                x,
                composite.Criteria.of(panel),
                method,
                rows.index(index),
                valid_min=labels.valid_min,
                valid_max=labels.valid_max,
                decimals=labels.decimals,
            )
        except EvaluationError as error:
            context["error"] = str(error)
        else:
            context.update(tables.what_moves_context(run, labels, rows, result, year))
    return render(request, "rankings/what_moves.html", context)
