"""Goals and task rules in Django's admin, saved through the audit services.

Tasks themselves are read-only here: their closed loop (assignment, reports, closing) runs on the
task pages, where the rules of who may do what are applied.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jinwei.audit.admin import TrackedAdmin
from jinwei.tasks.models import Goal, Task, TaskEvent, TaskRules
from jinwei.tasks.services import refresh_schedules


@admin.register(TaskRules)
class TaskRulesAdmin(TrackedAdmin):
    list_display = [
        "government",
        "yellow_behind_points",
        "red_behind_points",
        "due_soon_days",
        "acknowledge_days",
    ]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """New rules re-date every task's yellow and red days, so colour filters stay right."""
        super().save_model(request, obj, form, change)
        refresh_schedules(obj.government_id)


@admin.register(Goal)
class GoalAdmin(TrackedAdmin):
    list_display = ["title", "kind", "horizon", "stage", "parent", "government"]
    list_filter = ["government", "kind", "horizon"]
    search_fields = ["title"]
    list_select_related = ["parent", "government"]
    filter_horizontal = ["indicators"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "lead_unit", "state", "progress", "deadline"]
    list_filter = ["government", "state", "lead_unit"]
    search_fields = ["code", "title"]
    list_select_related = ["lead_unit"]


@admin.register(TaskEvent)
class TaskEventAdmin(ReadOnlyAdmin):
    list_display = ["task", "action", "from_state", "to_state", "actor", "at"]
    list_filter = ["action"]
    list_select_related = ["task", "actor"]
