"""Peer groups and evaluation schemes in Django's admin, saved through the audit services;
evaluation runs are results, shown read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jinwei.audit.admin import TrackedAdmin
from jinwei.audit.services import tracked_create, tracked_update
from jinwei.rankings.models import EvaluationRun, EvaluationScheme, PeerGroup, SchemeIndicator


@admin.register(PeerGroup)
class PeerGroupAdmin(TrackedAdmin):
    list_display = ["name", "government", "parent"]
    list_filter = ["government"]
    search_fields = ["name"]
    list_select_related = ["government", "parent"]
    autocomplete_fields = ["government", "parent"]
    filter_horizontal = ["members"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """The members go into the same audited write as the other fields."""
        members = list(form.cleaned_data.get("members") or [])
        if not change:
            tracked_create(actor=request.user, obj=obj, note="admin", m2m={"members": members})
            return
        changes = {
            name: getattr(obj, name)
            for name in form.changed_data
            if name not in {"loaded_version", "members"}
        }
        if "members" in form.changed_data:
            changes["members"] = members
        tracked_update(
            actor=request.user,
            obj=obj,
            changes=changes,
            expected_version=form.cleaned_data.get("loaded_version"),
            note="admin",
        )
        obj.refresh_from_db()


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(TrackedAdmin):
    list_display = [
        "name",
        "government",
        "peer_group",
        "normalization",
        "weighting",
        "aggregation",
        "first_year",
        "last_year",
    ]
    list_filter = ["government", "normalization", "weighting", "aggregation"]
    search_fields = ["name"]
    list_select_related = ["government", "peer_group"]
    autocomplete_fields = ["government"]


@admin.register(SchemeIndicator)
class SchemeIndicatorAdmin(TrackedAdmin):
    list_display = ["scheme", "indicator", "dimension", "weight", "reference", "order"]
    list_filter = ["scheme", "dimension"]
    search_fields = ["indicator__name", "indicator__code", "scheme__name"]
    list_select_related = ["scheme", "indicator", "dimension"]
    raw_id_fields = ["indicator"]


@admin.register(EvaluationRun)
class EvaluationRunAdmin(admin.ModelAdmin):
    """Stored results reproduce a published evaluation: nobody edits them by hand."""

    list_display = ["scheme", "created_at", "created_by", "is_published"]
    list_filter = ["is_published", "scheme"]
    list_select_related = ["scheme", "created_by"]
    readonly_fields = [
        "scheme",
        "created_at",
        "created_by",
        "method",
        "inputs",
        "weights",
        "is_published",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
