"""Opportunities, their items and the linked actions in Django's admin, saved through the audit
services (each on its own page, so every row's change is on the trail)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jinwei.audit.admin import TrackedAdmin, TrackedAdminForm
from jinwei.opportunities.models import ItemAction, Opportunity, OpportunityItem


@admin.register(Opportunity)
class OpportunityAdmin(TrackedAdmin):
    list_display = ["title", "kind", "level", "issuer", "issued_on", "unit", "government"]
    list_filter = ["government", "kind", "level", "is_illustrative"]
    search_fields = ["title", "issuer", "source_document"]
    list_select_related = ["unit", "government"]


@admin.register(OpportunityItem)
class OpportunityItemAdmin(TrackedAdmin):
    list_display = ["number", "title", "area", "opportunity"]
    list_filter = ["area", "opportunity__government"]
    search_fields = ["title", "opportunity__title"]
    list_select_related = ["opportunity"]
    raw_id_fields = ["opportunity"]


class ItemActionAdminForm(TrackedAdminForm):
    def clean(self) -> dict[str, Any]:
        """The goal, task or project must be of the item's government, as the services ask."""
        data = super().clean()
        item = data.get("item")
        target = data.get("goal") or data.get("task") or data.get("project")
        if item and target and target.government_id != item.opportunity.government_id:
            raise forms.ValidationError(
                _("Link only goals, tasks and projects of the item's government.")
            )
        return data


@admin.register(ItemAction)
class ItemActionAdmin(TrackedAdmin):
    form = ItemActionAdminForm
    list_display = ["item", "goal", "task", "project"]
    list_filter = ["item__opportunity__government"]
    search_fields = ["item__title", "goal__title", "task__code", "task__title", "project__name"]
    list_select_related = ["item", "goal", "task", "project"]
    raw_id_fields = ["item", "goal", "task", "project"]
