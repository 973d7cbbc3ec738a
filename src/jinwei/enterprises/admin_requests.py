"""The holiday calendar, the request rules and the requests in Django's admin, saved through the
audit services. Requests are read-only here: their steps (assignment, response, resolution,
rating) run on the request pages, where the rules of who may do what are applied."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jinwei.audit.admin import TrackedAdmin
from jinwei.enterprises.models import CalendarDay, RequestRules, ServiceRequest


@admin.register(CalendarDay)
class CalendarDayAdmin(TrackedAdmin):
    list_display = ["date", "is_workday", "name", "government"]
    list_filter = ["government", "is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(RequestRules)
class RequestRulesAdmin(TrackedAdmin):
    list_display = ["government", "response_days", "resolution_days"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "enterprise",
        "category",
        "received_on",
        "assigned_unit",
        "response_due",
        "resolution_due",
        "satisfaction",
    ]
    list_filter = ["government", "category", "assigned_unit"]
    search_fields = ["title", "enterprise__name"]
    list_select_related = ["enterprise", "assigned_unit"]
    date_hierarchy = "received_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
