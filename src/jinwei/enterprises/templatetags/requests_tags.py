"""`{% enterprise_requests_part enterprise %}`: an enterprise's latest requests, for its page.

It uses the rows the page's view already loaded (`request_rows`, `request_total`), and loads them
itself (two queries) when the page did not, so the part can be included anywhere.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from jinwei.enterprises.models import Enterprise
from jinwei.enterprises.request_selectors import enterprise_requests
from jinwei.projects.access import may_manage

register = template.Library()
SHOWN = 20


@register.inclusion_tag("enterprises/_enterprise_requests_part.html", takes_context=True)
def enterprise_requests_part(context: template.Context, enterprise: Enterprise) -> dict[str, Any]:
    request = context["request"]
    rows, total = context.get("request_rows"), context.get("request_total")
    if rows is None or total is None:
        rows, total = enterprise_requests(
            viewer=request.user, enterprise=enterprise, today=timezone.localdate(), limit=SHOWN
        )
    return {
        "enterprise": enterprise,
        "rows": rows,
        "total": total,
        "more": total > len(rows),
        "may_manage": may_manage(request.user, enterprise.government_id),
        "hide_enterprise": True,
    }
