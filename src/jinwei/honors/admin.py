"""Honours and practices in Django's admin, saved through the audit services. The evidence file
is managed on the honours pages (which check its type and size), so it is read-only here."""

from __future__ import annotations

from django.contrib import admin

from jinwei.audit.admin import TrackedAdmin
from jinwei.honors.models import Honour, Practice


@admin.register(Honour)
class HonourAdmin(TrackedAdmin):
    list_display = ["title", "year", "level", "category", "issuer", "unit", "government"]
    list_filter = ["government", "level", "category", "year", "is_illustrative"]
    search_fields = ["title", "issuer", "description"]
    list_select_related = ["unit", "government"]
    readonly_fields = ["evidence", "evidence_name"]
    raw_id_fields = ["unit"]


@admin.register(Practice)
class PracticeAdmin(TrackedAdmin):
    list_display = ["title", "recognised_on", "level", "recognised_by", "unit", "government"]
    list_filter = ["government", "level", "is_illustrative"]
    search_fields = ["title", "recognised_by", "description", "promotion"]
    list_select_related = ["unit", "government"]
    date_hierarchy = "recognised_on"
    raw_id_fields = ["unit"]
