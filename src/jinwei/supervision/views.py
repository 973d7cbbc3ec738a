"""Supervision pages: the user's notifications, the notices (督办单) and the channel settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinwei.accounts.access import get_for_view
from jinwei.accounts.models import Membership, OrgUnit, Region
from jinwei.audit.services import StaleVersionError
from jinwei.supervision import delivery, selectors, services
from jinwei.supervision.forms import ChannelSettingsForm, NoticeFilterForm
from jinwei.supervision.models import Notification, SupervisionNotice
from jinwei.tasks.access import acting_unit_ids

PAGE_SIZE = 50
REPLY_WORKING_DAYS = 3


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- notifications ----------------------------------------------------------------------------


def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "unread": selectors.unread_count(user=request.user)}
    template = (
        "supervision/_notification_list.html"
        if _is_htmx(request)
        else "supervision/notifications.html"
    )
    return render(request, template, context)


@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = services.notification_mark_read(
        user=request.user, notification_id=notification_id
    )
    if notification is None:
        raise Http404
    if _is_htmx(request):
        return render(
            request,
            "supervision/_notification_read.html",
            {"notification": _for_display(notification), "unread": _unread(request)},
        )
    return redirect("supervision:notifications")


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if _is_htmx(request):
        return notifications(request)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("supervision:notifications")


def _for_display(notification: Notification) -> Notification:
    """The row again with its task and notice, for the text in the page's language."""
    return Notification.objects.select_related("task", "notice").get(pk=notification.pk)


def _unread(request: HttpRequest) -> int:
    return selectors.unread_count(user=request.user)


# --- notices ----------------------------------------------------------------------------------


def notice_list(request: HttpRequest) -> HttpResponse:
    """Supervisors, admins and leaders see their governments' notices; unit staff their unit's."""
    user = request.user
    if not selectors.may_list_notices(user):
        raise PermissionDenied
    governments = selectors.overseeing_government_ids(user)
    units = OrgUnit.objects.all()
    if governments is not None:
        units = units.filter(Q(government_id__in=governments) | Q(pk__in=acting_unit_ids(user)))
    form = NoticeFilterForm(
        request.GET or None,
        units=units.order_by("government", "kind", "order", "name"),
        years=selectors.notice_years(viewer=user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    unit = filters.get("unit")
    notices = selectors.notice_list(
        viewer=user,
        level=filters.get("level") or "",
        unit_id=unit.pk if unit else None,
        year=filters.get("year"),
    )
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "supervision/_notice_rows.html" if _is_htmx(request) else "supervision/notices.html"
    return render(request, template, {"form": form, "page": page})


def notice_print(request: HttpRequest, notice_id: int) -> HttpResponse:
    """The printable 督办单: 404 outside the user's governments, 403 to those it is not for."""
    notice: SupervisionNotice = get_for_view(
        request, selectors.notice_for_print(notice_id), pk=notice_id
    )
    if not selectors.may_see_notice(request.user, notice):
        raise PermissionDenied
    heads = [
        str(m.user)
        for m in Membership.objects.filter(unit=notice.addressed_unit, is_head=True)
        .select_related("user")
        .order_by("user__username")
    ]
    office = notice.issuing_unit.name if notice.issuing_unit else _("The supervision office")
    return render(
        request,
        "supervision/notice_print.html",
        {
            "notice": notice,
            "task": notice.task,
            "heads": heads or ([notice.addressed_unit.head] if notice.addressed_unit.head else []),
            "office": office,
            "reply_days": REPLY_WORKING_DAYS,
        },
    )


# --- channel settings -------------------------------------------------------------------------


def _government_for_settings(request: HttpRequest) -> tuple[Region, list[Region]]:
    governments = list(selectors.managed_governments(request.user))
    if not governments:
        raise PermissionDenied
    code = request.POST.get("government") or request.GET.get("government")
    chosen = next((g for g in governments if g.code == code), governments[0])
    return chosen, governments


def channel_settings(request: HttpRequest) -> HttpResponse:
    """Admins and supervisors: e-mail on or off, the webhook's URL and secret, a test post."""
    government, governments = _government_for_settings(request)
    channels = selectors.channels_of(government.pk)
    form = ChannelSettingsForm(
        request.POST or None, instance=channels, initial={"version": channels.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_settings_save(
                actor=request.user,
                government=government,
                changes=form.changes(),
                new_secret=form.cleaned_data["new_secret"] or None,
                expected_version=form.cleaned_data["version"] if channels.pk else None,
            )
        except StaleVersionError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The notification channels were saved."))
            return redirect(f"{reverse('supervision:settings')}?government={government.code}")
    window = timezone.now() - delivery.DELIVERY_WINDOW
    recent = Notification.objects.filter(government=government, created_at__gte=window)
    context: dict[str, Any] = {
        "form": form,
        "government": government,
        "governments": governments,
        "channels": channels,
        "waiting_webhook": recent.filter(webhook_sent_at__isnull=True).count(),
        "waiting_email": recent.filter(emailed_at__isnull=True, read_at__isnull=True).count(),
        "signature_header": delivery.SIGNATURE_HEADER,
    }
    return render(request, "supervision/settings.html", context)


@require_POST
def channel_test(request: HttpRequest) -> HttpResponse:
    government, _governments = _government_for_settings(request)
    try:
        services.webhook_send_test(actor=request.user, government=government)
    except delivery.WebhookError as error:
        ok, text = False, _("The test post failed: %(error)s") % {"error": error}
    else:
        ok, text = True, _("The test post was delivered.")
    if _is_htmx(request):
        return render(request, "supervision/_test_result.html", {"ok": ok, "text": text})
    (messages.success if ok else messages.error)(request, text)
    return redirect(f"{reverse('supervision:settings')}?government={government.code}")
