"""The enterprise registry in Django's admin, saved through the audit services; the chain of
service managers is edited inline and its change is recorded on the enterprise's trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jinwei.audit.admin import TrackedAdmin
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import record
from jinwei.enterprises import admin_requests  # noqa: F401  (Django discovers only admin.py)
from jinwei.enterprises.models import Enterprise, ServiceManager


class ServiceManagerInline(admin.TabularInline):
    model = ServiceManager
    extra = 1
    ordering = ["position"]
    autocomplete_fields = ["user"]


def _chain(enterprise: Enterprise) -> list[str]:
    return [
        f"{m.position}. {m.user}" + (f" · {m.duty}" if m.duty else "")
        for m in enterprise.managers.select_related("user").order_by("position")
    ]


@admin.register(Enterprise)
class EnterpriseAdmin(TrackedAdmin):
    list_display = ["name", "credit_code", "chain_link", "park", "town", "size", "government"]
    list_filter = ["government", "size", "is_above_scale", "park"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["chain_link", "chain_link__chain", "park", "town", "government"]
    raw_id_fields = ["chain_link"]
    inlines = [ServiceManagerInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Inline rows are plain saves: write the chain's change to the audit trail here."""
        enterprise: Enterprise = form.instance
        before = _chain(enterprise) if change else []
        super().save_related(request, form, formsets, change)
        after = _chain(enterprise)
        if after != before:
            record(
                actor=request.user,
                action=AuditEntry.Action.UPDATE,
                obj=enterprise,
                before={"managers": before},
                after={"managers": after},
                note="admin",
            )
