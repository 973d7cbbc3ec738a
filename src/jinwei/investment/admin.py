"""Investment leads and pipeline settings in Django's admin, saved through the audit services.

A lead's stage, signing and dropping follow rules (stage history, the project created at
signing) that live on the lead's pages; here they are read-only, as are the stage history and
the contact log shown inline. The pipeline settings (which indicator the signed leads feed) are
edited here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jinwei.audit.admin import TrackedAdmin
from jinwei.investment import admin_benefits  # noqa: F401  (Django discovers only admin.py)
from jinwei.investment.models import Lead, LeadContact, LeadStageChange, PipelineSettings

# set by the pipeline's own steps, never typed here
LEAD_STEP_FIELDS = (
    "stage",
    "stage_since",
    "signed_on",
    "signed_investment",
    "project",
    "dropped_on",
    "drop_reason",
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StageChangeInline(ReadOnlyInline):
    model = LeadStageChange
    fields = readonly_fields = ("on", "from_stage", "to_stage", "actor", "note")


class ContactInline(ReadOnlyInline):
    model = LeadContact
    fields = readonly_fields = ("on", "kind", "summary", "by")


@admin.register(Lead)
class LeadAdmin(TrackedAdmin):
    list_display = ["company", "stage", "intended_investment", "source", "owner_unit", "government"]
    list_filter = ["government", "stage", "source"]
    search_fields = ["company", "project_name", "industry"]
    list_select_related = ["owner_unit", "government"]
    readonly_fields = LEAD_STEP_FIELDS
    raw_id_fields = ["owner", "chain_link", "owner_unit"]
    inlines = [StageChangeInline, ContactInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a lead starts on the lead form, which records its first stage


@admin.register(PipelineSettings)
class PipelineSettingsAdmin(TrackedAdmin):
    list_display = ["government", "signed_investment_indicator"]
    list_select_related = ["government", "signed_investment_indicator"]
    raw_id_fields = ["signed_investment_indicator"]
