"""Key projects and their rules in Django's admin, saved through the audit services.

Stages and monthly reports are read-only here: they move on the project pages, where the rules
of who may do what (and one step at a time) are applied and the stage history is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jinwei.audit.admin import TrackedAdmin
from jinwei.projects import admin_parks  # noqa: F401  (Django discovers only admin.py)
from jinwei.projects.models import Project, ProjectRules, ProjectStageChange
from jinwei.projects.services import project_create

READ_ONLY_PROGRESS = (
    "stage",
    "started_on",
    "completed_on",
    "production_on",
    "progress",
)


@admin.register(ProjectRules)
class ProjectRulesAdmin(TrackedAdmin):
    list_display = [
        "government",
        "yellow_behind_points",
        "red_behind_points",
        "not_started_red_months",
        "completed_investment_indicator",
    ]
    list_select_related = ["government", "completed_investment_indicator"]
    raw_id_fields = ["completed_investment_indicator"]


class StageChangeInline(admin.TabularInline):
    model = ProjectStageChange
    extra = 0
    fields = ("from_stage", "to_stage", "on", "actor", "note", "at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(TrackedAdmin):
    list_display = ["code", "name", "kind", "stage", "lead_unit", "park", "progress"]
    list_filter = ["government", "stage", "kind", "park"]
    search_fields = ["code", "name", "investor"]
    list_select_related = ["lead_unit", "park"]
    raw_id_fields = ["leader", "chain_link"]
    inlines = [StageChangeInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A new project goes through the service, which records its first stage."""
        if change:
            super().save_model(request, obj, form, change)
        else:
            project_create(actor=request.user, project=obj, note="admin")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """A new project may start at any stage (an import of the ledger); later, stages move
        on the project's page only."""
        return READ_ONLY_PROGRESS if obj is not None else ()
