"""Parks, industry chains and their links in Django's admin, saved through the audit services.

Django discovers only `admin.py`: `projects/admin.py` imports this module (`from
jinwei.projects import admin_parks  # noqa: F401`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from jinwei.audit.admin import TrackedAdmin, TrackedAdminForm
from jinwei.projects.models import ChainLink, IndustryChain, Park
from jinwei.projects.parks import check_link_parent


@admin.register(Park)
class ParkAdmin(TrackedAdmin):
    list_display = ["name", "government", "area_mu", "focus_industries", "managing_unit"]
    list_filter = ["government"]
    search_fields = ["name", "focus_industries"]
    list_select_related = ["government", "managing_unit"]
    filter_horizontal = ["chains"]


@admin.register(IndustryChain)
class IndustryChainAdmin(TrackedAdmin):
    list_display = ["name", "government", "order"]
    list_filter = ["government"]
    search_fields = ["name"]
    list_select_related = ["government"]


class ChainLinkAdminForm(TrackedAdminForm):
    """The same rule as the pages: a parent in the same chain, never below the link itself."""

    class Meta:
        model = ChainLink
        fields = ["chain", "parent", "segment", "name", "description", "min_enterprises", "order"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        probe = ChainLink(pk=self.instance.pk, chain=data.get("chain"), parent=data.get("parent"))
        if probe.chain_id is not None:
            check_link_parent(probe)
        return data


@admin.register(ChainLink)
class ChainLinkAdmin(TrackedAdmin):
    form = ChainLinkAdminForm
    list_display = ["name", "chain", "parent", "segment", "min_enterprises", "order"]
    list_filter = ["chain__government", "chain", "segment"]
    search_fields = ["name", "chain__name"]
    list_select_related = ["chain", "parent", "parent__chain"]
    raw_id_fields = ["parent"]
