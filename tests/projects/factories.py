"""factory_boy factories for parks, chains and key projects (rows as they are stored; use the
services to go through the rules)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from jinwei.projects.models import (
    ChainLink,
    IndustryChain,
    InvestmentPlan,
    InvestmentReport,
    Park,
    Project,
    ProjectMilestone,
)
from tests.factories import OrgUnitFactory


class IndustryChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustryChain

    government = factory.SubFactory("tests.factories.RegionFactory")
    name = factory.Sequence(lambda n: f"产业链{n}")


class ChainLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChainLink

    chain = factory.SubFactory(IndustryChainFactory)
    segment = ChainLink.Segment.MIDSTREAM
    name = factory.Sequence(lambda n: f"环节{n}")


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park

    government = factory.SubFactory("tests.factories.RegionFactory")
    name = factory.Sequence(lambda n: f"产业园{n}")
    area_mu = Decimal("1000")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    lead_unit = factory.SubFactory(OrgUnitFactory)
    government = factory.LazyAttribute(lambda o: o.lead_unit.government)
    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.Sequence(lambda n: f"项目{n}")
    kind = Project.Kind.INDUSTRIAL
    investor = factory.Sequence(lambda n: f"投资方{n}")
    total_investment = Decimal("50000")
    stage = Project.Stage.SIGNED
    signed_on = datetime.date(2024, 1, 10)
    planned_start = datetime.date(2024, 3, 1)
    planned_completion = datetime.date(2025, 2, 28)


class ProjectMilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectMilestone

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"节点{n}")
    planned_on = datetime.date(2024, 6, 30)


class InvestmentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvestmentPlan

    project = factory.SubFactory(ProjectFactory)
    year = 2024
    amount = Decimal("12000")


class InvestmentReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvestmentReport

    project = factory.SubFactory(ProjectFactory)
    period = "2024-03"
    amount = Decimal("1000")
    progress = 10
