"""factory_boy factories for enterprises and their requests. Credit codes are generated with a
valid check character."""

from __future__ import annotations

import datetime

import factory

from jinwei.enterprises.models import Enterprise, ServiceRequest
from jinwei.lib.credit_code import check_character


def credit_code(n: int) -> str:
    first17 = f"9144078{n:010d}"
    return first17 + check_character(first17)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    government = factory.SubFactory("tests.factories.RegionFactory")
    name = factory.Sequence(lambda n: f"恩平企业{n}有限公司")
    credit_code = factory.Sequence(credit_code)
    size = Enterprise.Size.SMALL


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRequest

    enterprise = factory.SubFactory(EnterpriseFactory)
    government = factory.LazyAttribute(lambda o: o.enterprise.government)
    category = ServiceRequest.Category.APPROVAL
    title = factory.Sequence(lambda n: f"诉求{n}")
    received_on = datetime.date(2024, 9, 2)
    response_due = datetime.date(2024, 9, 4)
    resolution_due = datetime.date(2024, 9, 13)


class CalendarDayFactory(factory.django.DjangoModelFactory):
    """A holiday by default; `is_workday=True` for a weekend day worked (调休)."""

    class Meta:
        model = "enterprises.CalendarDay"
        django_get_or_create = ("government", "date")

    government = factory.SubFactory("tests.factories.RegionFactory")
    date = datetime.date(2024, 10, 1)
    is_workday = False
    name = "国庆节"
