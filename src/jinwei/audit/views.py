from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from jinwei.accounts.access import can_view, is_admin
from jinwei.audit import selectors
from jinwei.audit.forms import AuditFilterForm
from jinwei.audit.models import AuditEntry


def log(request: HttpRequest) -> HttpResponse:
    """The filterable audit log, for admins; read-only by construction (no write URL exists)."""
    if not is_admin(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    form.fields["content_type"].queryset = selectors.audited_content_types()  # type: ignore[attr-defined]
    filters = form.cleaned_data if form.is_valid() else {}
    content_type = filters.get("content_type")
    entries = selectors.audit_log(
        viewer=request.user,
        actor=filters.get("actor", ""),
        content_type_id=content_type.pk if content_type else None,
        action=filters.get("action", ""),
        object_id=filters.get("object_id", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.with_display_values(page.object_list)
    template = "audit/_entries.html" if request.htmx else "audit/log.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "page": page})


def history(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """One object's history, for anyone who may see the object (or saw it, if it is deleted)."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    try:
        obj = model._default_manager.filter(pk=object_id).first() if model else None
    except (ValueError, ValidationError):  # an id that cannot be this model's key
        raise Http404 from None
    entries = selectors.object_history(content_type=content_type, object_id=object_id)
    latest: AuditEntry | None = entries.first()
    if obj is not None and hasattr(obj, "ownership"):
        if not can_view(request.user, obj):
            raise Http404
    elif latest is None or not is_admin(request.user, latest.government_id):
        raise Http404  # gone (or unowned): only the admins of the government it belonged to
    return render(
        request,
        "audit/history.html",
        {
            "object": obj,
            "object_repr": latest.object_repr if latest else str(obj),
            "entries": selectors.with_display_values(entries),
        },
    )
