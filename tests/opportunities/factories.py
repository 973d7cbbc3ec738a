"""factory_boy factories for opportunities, their items and the actions linked to items."""

from __future__ import annotations

import datetime

import factory

from jinwei.honors.models import Level
from jinwei.opportunities.models import ItemAction, Opportunity, OpportunityItem


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    government = factory.SubFactory("tests.factories.RegionFactory")
    title = factory.Sequence(lambda n: f"发展规划{n}")
    kind = Opportunity.Kind.PLAN
    level = Level.PROVINCIAL
    issuer = "广东省人民政府"
    issued_on = datetime.date(2023, 12, 1)


class OpportunityItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunityItem

    opportunity = factory.SubFactory(OpportunityFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"涉及本地的事项{n}")
    area = OpportunityItem.Area.INDUSTRY


class ItemActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemAction

    item = factory.SubFactory(OpportunityItemFactory)
