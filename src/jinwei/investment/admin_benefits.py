"""Benefit-sharing agreements in Django's admin: to look up and, if need be, delete.

Agreements, terms, shares and figures are entered on the agreement pages, where the rules hold
(shares adding up to 100 %, terms not overlapping, both parties sharing) and each change is
audited; the admin would bypass them, so it reads only. Imported by `investment/admin.py`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jinwei.audit.admin import TrackedAdmin
from jinwei.investment.benefit_split import percent_text
from jinwei.investment.models import BenefitAgreement, BenefitFigure, BenefitTerm


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class BenefitTermInline(ReadOnlyInline):
    model = BenefitTerm
    fields = ["start_year", "end_year", "shares_text"]
    readonly_fields = ["start_year", "end_year", "shares_text"]

    @admin.display(description=_("shares (output value / tax / investment %)"))
    def shares_text(self, term: BenefitTerm) -> str:
        return "; ".join(
            f"{s.region.name} {percent_text(s.output_percent)} / {percent_text(s.tax_percent)}"
            f" / {percent_text(s.investment_percent)}"
            for s in term.shares.select_related("region")
        )


class BenefitFigureInline(ReadOnlyInline):
    model = BenefitFigure
    fields = ["year", "output_value", "tax", "investment"]
    readonly_fields = ["year", "output_value", "tax", "investment"]


@admin.register(BenefitAgreement)
class BenefitAgreementAdmin(TrackedAdmin):
    list_display = ["name", "government", "introducing_region", "host_region", "project"]
    list_filter = ["government", "is_illustrative"]
    search_fields = ["name", "reference", "project__code", "project__name"]
    list_select_related = ["government", "introducing_region", "host_region", "project"]
    inlines = [BenefitTermInline, BenefitFigureInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
