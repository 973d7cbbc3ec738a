"""Requests in every state, reached through the real services, and the 2024 National Day
calendar (国庆: 1–7 October off; Sunday 29 September and Saturday 12 October worked)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from jinwei.accounts.models import OrgUnit, Region
from jinwei.enterprises import requests as services
from jinwei.enterprises.models import ServiceRequest
from jinwei.tasks import services as task_services
from jinwei.tasks.models import TaskEvent
from tests.enterprises.factories import CalendarDayFactory, EnterpriseFactory
from tests.tasks.factories import evidence

Action = TaskEvent.Action
NATIONAL_DAY = [datetime.date(2024, 10, d) for d in range(1, 8)]
WORKED = [datetime.date(2024, 9, 29), datetime.date(2024, 10, 12)]


def national_day(government: Region) -> None:
    for day in NATIONAL_DAY:
        CalendarDayFactory(government=government, date=day, is_workday=False, name="国庆节")
    for day in WORKED:
        CalendarDayFactory(government=government, date=day, is_workday=True, name="国庆节调休")


def new_request(
    cast: Any,
    *,
    received_on: datetime.date | None = None,
    enterprise: Any = None,
    category: str = ServiceRequest.Category.APPROVAL,
    title: str = "厂房报建审批",
) -> ServiceRequest:
    return services.request_create(
        actor=cast.investment,
        enterprise=enterprise or EnterpriseFactory(government=cast.enping),
        category=category,
        title=title,
        description="企业反映报建审批时间长。",
        received_on=received_on or timezone.localdate(),
    )


def assigned(cast: Any, unit: OrgUnit | None = None, **kwargs: Any) -> ServiceRequest:
    request = new_request(cast, **kwargs)
    return services.request_assign(
        actor=cast.investment, request=request, unit=unit or cast.encheng
    )


def responded(cast: Any, on: datetime.date | None = None, **kwargs: Any) -> ServiceRequest:
    request = assigned(cast, **kwargs)
    return services.request_respond(
        actor=cast.encheng_staff, request=request, response="已受理，三日内上门。", on=on
    )


def completion_requested(cast: Any, **kwargs: Any) -> ServiceRequest:
    request = responded(cast, **kwargs)
    task_services.perform(
        actor=cast.encheng_staff,
        task=request.task,
        action=Action.REQUEST_COMPLETION,
        note="审批已办结，证照已发放。",
        evidence=[evidence()],
    )
    return ServiceRequest.objects.select_related("task").get(pk=request.pk)


def resolved(cast: Any, **kwargs: Any) -> ServiceRequest:
    request = completion_requested(cast, **kwargs)
    return services.request_resolve(
        actor=cast.investment,
        request=request,
        resolution="证照已发放，企业已开工。",
        score_timeliness=90,
        score_quality=85,
    )


def rated(cast: Any, satisfaction: int = 5, **kwargs: Any) -> ServiceRequest:
    request = resolved(cast, **kwargs)
    return services.request_rate(
        actor=cast.investment, request=request, satisfaction=satisfaction, note="满意"
    )


def fresh(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_related("task", "assigned_unit").get(pk=request.pk)
