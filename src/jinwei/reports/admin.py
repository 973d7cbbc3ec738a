"""Briefings in Django's admin: read-only (they are written from the data, not typed), and
deleted through the audit services, files and all."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from jinwei.reports.models import Briefing
from jinwei.reports.services import briefing_delete


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    list_display = ["government", "period", "status", "progress", "created_by", "created_at"]
    list_filter = ["government", "status"]
    search_fields = ["period"]
    list_select_related = ["government", "created_by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Briefing) -> None:
        briefing_delete(actor=request.user, briefing=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Briefing]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
