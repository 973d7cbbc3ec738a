"""Reads of the supervision app, scoped to who is asking."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from jinwei.accounts.access import MANAGING_ROLES, grants_for
from jinwei.accounts.models import Region, Role
from jinwei.supervision.models import ChannelSettings, Notification, SupervisionNotice
from jinwei.tasks.access import acting_unit_ids
from jinwei.tasks.models import Task

WORKING_STATES = (Task.State.ASSIGNED, Task.State.IN_PROGRESS)


# --- notifications ----------------------------------------------------------------------------


def notifications_for(*, user: Any) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first within each."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        Notification.objects.filter(recipient=user)
        .select_related("task", "notice")
        .annotate(unread=unread)
        .order_by("-unread", "-id")
    )


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# --- notices ----------------------------------------------------------------------------------


def overseeing_government_ids(user: Any) -> set[int] | None:
    """Governments whose every notice the user reads: supervisors, admins, leaders.

    None means every government (a superuser)."""
    grants = grants_for(user)
    if grants.is_superuser:
        return None
    overseeing = {*MANAGING_ROLES, Role.LEADER}
    return {gov for gov, roles in grants.roles_by_government.items() if roles & overseeing}


def notice_filter(user: Any) -> Q | None:
    """The notices the user may read, as a filter; None when there are none at all."""
    governments = overseeing_government_ids(user)
    if governments is None:
        return Q()
    units = acting_unit_ids(user)
    if not governments and not units:
        return None
    return Q(government_id__in=governments) | Q(addressed_unit_id__in=units)


def may_list_notices(user: Any) -> bool:
    return notice_filter(user) is not None


def may_see_notice(user: Any, notice: SupervisionNotice) -> bool:
    governments = overseeing_government_ids(user)
    if governments is None or notice.government_id in governments:
        return True
    return notice.addressed_unit_id in acting_unit_ids(user)


def notice_list(
    *,
    viewer: Any,
    level: str = "",
    unit_id: int | None = None,
    year: int | None = None,
) -> QuerySet[SupervisionNotice]:
    allowed = notice_filter(viewer)
    if allowed is None:
        return SupervisionNotice.objects.none()
    notices = SupervisionNotice.objects.filter(allowed)
    if level:
        notices = notices.filter(level=level)
    if unit_id:
        notices = notices.filter(addressed_unit_id=unit_id)
    if year:
        notices = notices.filter(year=year)
    return notices.select_related("task", "addressed_unit", "leader").order_by(
        "-issued_on", "-year", "-serial"
    )


def notice_years(*, viewer: Any) -> list[int]:
    allowed = notice_filter(viewer)
    if allowed is None:
        return []
    years = SupervisionNotice.objects.filter(allowed).values_list("year", flat=True)
    return list(years.order_by("-year").distinct())


def notice_for_print(notice_id: int) -> QuerySet[SupervisionNotice]:
    return SupervisionNotice.objects.filter(pk=notice_id).select_related(
        "government", "task", "task__lead_unit", "addressed_unit", "leader", "issuing_unit"
    )


# --- channel settings -------------------------------------------------------------------------


def channels_of(government_id: int) -> ChannelSettings:
    """The government's channel settings, or the defaults (unsaved) when none were set."""
    return ChannelSettings.objects.filter(government_id=government_id).first() or ChannelSettings(
        government_id=government_id
    )


def channels_for(government_ids: Iterable[int]) -> dict[int, ChannelSettings]:
    ids = list(government_ids)
    rows = {c.government_id: c for c in ChannelSettings.objects.filter(government_id__in=ids)}
    return {gov: rows.get(gov) or ChannelSettings(government_id=gov) for gov in ids}


def managed_governments(user: Any) -> QuerySet[Region]:
    grants = grants_for(user)
    if grants.is_superuser:
        return Region.objects.filter(units__isnull=False).distinct().order_by("code")
    ids = [gov for gov in grants.government_ids if grants.manages(gov)]
    return Region.objects.filter(pk__in=ids).order_by("code")
