"""The catalogue in Django's admin: every save goes through the audit services (TrackedAdmin)."""

from __future__ import annotations

from django.contrib import admin

from jinwei.audit.admin import TrackedAdmin
from jinwei.indicators.models import Category, Indicator, Observation, Target


@admin.register(Category)
class CategoryAdmin(TrackedAdmin):
    list_display = ["name", "code", "order"]
    ordering = ["order", "code"]


@admin.register(Indicator)
class IndicatorAdmin(TrackedAdmin):
    list_display = [
        "code",
        "name",
        "unit",
        "frequency",
        "value_kind",
        "category",
        "owner_unit",
        "is_headline",
        "is_public",
    ]
    list_filter = ["government", "category", "frequency", "value_kind", "is_headline", "is_public"]
    search_fields = ["code", "name"]
    list_select_related = ["category", "owner_unit"]
    autocomplete_fields = ["owner_unit"]


@admin.register(Observation)
class ObservationAdmin(TrackedAdmin):
    list_display = ["indicator", "region", "unit", "period", "value", "status", "is_illustrative"]
    list_filter = ["status", "is_illustrative", "indicator__category"]
    search_fields = ["indicator__name", "indicator__code", "period", "source"]
    list_select_related = ["indicator", "region", "unit"]
    raw_id_fields = ["indicator", "batch", "approved_by"]
    autocomplete_fields = ["region", "unit"]


@admin.register(Target)
class TargetAdmin(TrackedAdmin):
    list_display = ["indicator", "region", "unit", "year", "kind", "value"]
    list_filter = ["year", "kind"]
    search_fields = ["indicator__name", "indicator__code"]
    list_select_related = ["indicator", "region", "unit"]
    raw_id_fields = ["indicator"]
