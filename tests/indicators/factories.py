"""factory_boy factories for the indicators app.

Pass the cast's objects in: ``IndicatorFactory(owner_unit=cast.stats_bureau)`` puts the
indicator in the unit's government; ``ObservationFactory(indicator=ind, region=cast.enping)``.
"""

from __future__ import annotations

from decimal import Decimal

import factory

from jinwei.indicators.models import Category, Indicator, Observation, Target
from tests.factories import OrgUnitFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = "economy"
    name = "经济总量"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    owner_unit = factory.SubFactory(OrgUnitFactory)
    government = factory.LazyAttribute(lambda o: o.owner_unit.government)
    code = factory.Sequence(lambda n: f"ind{n}")
    name = factory.Sequence(lambda n: f"指标{n}")
    unit = "亿元"
    decimals = 2
    frequency = Indicator.Frequency.ANNUAL
    category = factory.SubFactory(CategoryFactory)


class ObservationFactory(factory.django.DjangoModelFactory):
    """Defaults to the indicator's government as the region; pass unit=... for a unit value."""

    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    region = factory.LazyAttribute(lambda o: None if o.unit is not None else o.indicator.government)
    unit = None
    period = "2023"
    value = Decimal("100")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    region = factory.LazyAttribute(lambda o: None if o.unit is not None else o.indicator.government)
    unit = None
    year = 2024
    kind = Target.Kind.LEVEL
    value = Decimal("100")
