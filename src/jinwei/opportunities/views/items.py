"""The items of an opportunity and the goals, tasks and projects linked to them: add, edit and
delete an item; link an action to it and unlink one.

The opportunity's responsible unit, supervisors and administrators change them (`services.
may_change`); the others of the government read the opportunity's page; people of another
government get a 404. With htmx, linking and unlinking replace the item on the page (and its
counts, out of band); a refused link comes back as the form with its error (HTTP 400).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from jinwei.accounts.forms import VersionedFormMixin
from jinwei.audit.services import StaleVersionError
from jinwei.core.forms import attempt, refuse
from jinwei.opportunities import selectors, services
from jinwei.opportunities.forms import ItemForm, LinkForm, VersionedItemForm
from jinwei.opportunities.models import ItemAction, Opportunity, OpportunityItem
from jinwei.opportunities.views.opportunities import opportunity_for_view


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _opportunity_for_change(request: HttpRequest, opportunity_id: int) -> Opportunity:
    opportunity = opportunity_for_view(request, opportunity_id)
    if not services.may_change(request.user, opportunity):
        raise PermissionDenied
    return opportunity


def _item_for_change(request: HttpRequest, item_id: int) -> OpportunityItem:
    item = OpportunityItem.objects.filter(pk=item_id).first()
    if item is None:
        raise Http404
    item.opportunity = _opportunity_for_change(request, item.opportunity_id)
    return item


def _detail_url(opportunity_id: int, item_id: int | None = None) -> str:
    url = reverse("opportunities:detail", args=[opportunity_id])
    return f"{url}#item-{item_id}" if item_id else url


def _back(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseClientRedirect(url) if _is_htmx(request) else redirect(url)


# --- items -------------------------------------------------------------------------------------


def item_create(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _opportunity_for_change(request, opportunity_id)
    form = ItemForm(request.POST or None, opportunity=opportunity)
    if request.method == "POST" and form.is_valid():
        item = attempt(form, lambda: services.item_create(actor=request.user, item=form.instance))
        if item is not None:
            message = _("Item %(number)s was added.") % {"number": item.number}
            return _back(request, _detail_url(opportunity.pk, item.pk), message)
    status = 400 if form.errors else 200
    context = {"opportunity": opportunity, "form": form}
    if _is_htmx(request):
        return render(request, "opportunities/_item_create_form.html", context, status=status)
    return render(request, "opportunities/item_form.html", context, status=status)


def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item_for_change(request, item_id)
    opportunity = item.opportunity
    form = VersionedItemForm(
        request.POST or None,
        instance=item,
        opportunity=opportunity,
        initial={"version": item.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: services.item_update(
                actor=request.user,
                item=item,
                changes=form.changed_values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(_detail_url(opportunity.pk, item.pk))
    context = {"opportunity": opportunity, "form": form, "item": item}
    return render(request, "opportunities/item_form.html", context)


@require_POST
def item_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item_for_change(request, item_id)
    form = VersionedFormMixin(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        services.item_delete(actor=request.user, item=item, expected_version=version)
    except StaleVersionError as error:
        messages.error(request, error.message)
        return redirect(_detail_url(item.opportunity_id, item.pk))
    message = _("Item %(number)s was deleted.") % {"number": item.number}
    messages.success(request, message)
    return redirect(_detail_url(item.opportunity_id))


# --- linked actions ----------------------------------------------------------------------------


def _item_part(request: HttpRequest, item: OpportunityItem, today: datetime.date) -> HttpResponse:
    """The item as the page shows it, and the opportunity's counts out of band."""
    counts = selectors.with_counts(Opportunity.objects.filter(pk=item.opportunity_id)).get()
    context = {
        "row": selectors.item_row(item=item, today=today),
        "opportunity": item.opportunity,
        "may_change": True,
        "counts": counts,
        "oob": True,
    }
    return render(request, "opportunities/_item_update.html", context)


def _link_form_response(
    request: HttpRequest, item: OpportunityItem, form: LinkForm, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {"item": item, "opportunity": item.opportunity, "form": form}
    if not _is_htmx(request):
        return render(request, "opportunities/link_form.html", context, status=status)
    response = render(request, "opportunities/_link_form.html", context, status=status)
    if status == 400:  # the form comes back where it was, not in place of the item
        response = reswap(retarget(response, f"#item-{item.pk}-link"), "innerHTML")
    return response


def action_link(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item_for_change(request, item_id)
    form = LinkForm(request.POST or None, item=item)
    if request.method != "POST":
        return _link_form_response(request, item, form)
    if form.is_valid():
        target = form.cleaned_data["target"]
        try:
            services.action_link(actor=request.user, item=item, target=target)
        except ValidationError as error:
            refuse(form, error)
        else:
            if _is_htmx(request):
                return _item_part(request, item, timezone.localdate())
            message = _("“%(target)s” was linked to item %(number)s.")
            messages.success(request, message % {"target": target, "number": item.number})
            return redirect(_detail_url(item.opportunity_id, item.pk))
    return _link_form_response(request, item, form, status=400)


@require_POST
def action_unlink(request: HttpRequest, action_id: int) -> HttpResponse:
    action = ItemAction.objects.filter(pk=action_id).select_related("item").first()
    if action is None:
        raise Http404
    item = action.item = _item_for_change(request, action.item_id)
    target = services.target_of(action)
    services.action_unlink(actor=request.user, action=action)
    if _is_htmx(request):
        return _item_part(request, item, timezone.localdate())
    message = _("“%(target)s” is no longer linked to item %(number)s.")
    messages.success(request, message % {"target": target, "number": item.number})
    return redirect(_detail_url(item.opportunity_id, item.pk))


urlpatterns = [
    path("<int:opportunity_id>/items/new/", item_create, name="item_create"),
    path("items/<int:item_id>/edit/", item_edit, name="item_edit"),
    path("items/<int:item_id>/delete/", item_delete, name="item_delete"),
    path("items/<int:item_id>/link/", action_link, name="link"),
    path("actions/<int:action_id>/unlink/", action_unlink, name="unlink"),
]
