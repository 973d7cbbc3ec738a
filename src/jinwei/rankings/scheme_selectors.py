"""Reads of the composite-evaluation pages, scoped to the viewer.

Everyone in a government reads its schemes and published runs; its supervisors and admins also
see unpublished runs, and only they create, edit and run schemes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest

from jinwei.accounts.access import can_manage, get_for_view, grants_for, scope_to_governments
from jinwei.accounts.selectors import governments_for
from jinwei.indicators.models import Category, Indicator
from jinwei.rankings.matrices import scheme_items as scheme_items  # the views read it here
from jinwei.rankings.models import EvaluationRun, EvaluationScheme, EvaluationScore


def managed_governments(viewer: Any) -> list[Any]:
    """The governments whose schemes the viewer may create: where they supervise or administer."""
    return [g for g in governments_for(viewer).order_by("code") if can_manage(viewer, g.pk)]


def visible_runs(viewer: Any) -> Q:
    """Published runs, plus every run of the governments the viewer manages."""
    grants = grants_for(viewer)
    if grants.is_superuser:
        return Q()
    managed = [g for g in grants.government_ids if grants.manages(g)]
    return Q(is_published=True) | Q(scheme__government_id__in=managed)


def scheme_queryset(*, viewer: Any) -> QuerySet[EvaluationScheme]:
    rows = EvaluationScheme.objects.select_related("government", "peer_group")
    return scope_to_governments(rows, viewer, "government_id")


def scheme_list(*, viewer: Any) -> list[EvaluationScheme]:
    """The viewer's schemes, each with `visible_runs` (newest first): two queries."""
    runs = EvaluationRun.objects.filter(visible_runs(viewer)).order_by("-created_at", "-pk")
    return list(
        scheme_queryset(viewer=viewer)
        .order_by("government__code", "name")
        .prefetch_related(Prefetch("runs", queryset=runs, to_attr="visible_runs"))
    )


def scheme_for_view(request: HttpRequest, scheme_id: int) -> EvaluationScheme:
    return get_for_view(request, scheme_queryset(viewer=request.user), pk=scheme_id)


def scheme_for_change(request: HttpRequest, scheme_id: int) -> EvaluationScheme:
    """The scheme if the viewer manages its government; 404 when invisible, 403 otherwise."""
    scheme = scheme_for_view(request, scheme_id)
    if not can_manage(request.user, scheme.government_id):
        raise PermissionDenied
    return scheme


def scheme_runs(*, viewer: Any, scheme: EvaluationScheme) -> list[EvaluationRun]:
    return list(
        EvaluationRun.objects.filter(visible_runs(viewer), scheme=scheme)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )


def run_for_view(request: HttpRequest, run_id: int) -> EvaluationRun:
    """The run, or 404 if its government is not the viewer's or it is unpublished and the
    viewer does not manage it (an unpublished run does not exist for readers)."""
    runs = EvaluationRun.objects.select_related(
        "scheme", "scheme__government", "scheme__peer_group", "created_by"
    )
    run = get_for_view(request, runs, pk=run_id)
    if not run.is_published and not can_manage(request.user, run.scheme.government_id):
        raise Http404
    return run


def run_scores(run: EvaluationRun) -> list[EvaluationScore]:
    return list(run.scores.select_related("region").order_by("year", "rank", "region__code"))


@dataclass(frozen=True)
class FormChoices:
    indicators: list[Indicator]
    categories: list[Category]


def form_choices(government_id: int) -> FormChoices:
    """Annual indicators of the government (the ones a yearly evaluation can use), categories."""
    indicators = (
        Indicator.objects.filter(government_id=government_id, frequency=Indicator.Frequency.ANNUAL)
        .select_related("category")
        .order_by("category__order", "order", "code")
    )
    return FormChoices(list(indicators), list(Category.objects.order_by("order", "code")))
