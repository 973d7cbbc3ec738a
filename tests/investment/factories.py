"""factory_boy factories for leads and benefit-sharing agreements."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from jinwei.investment.models import BenefitAgreement, BenefitShare, BenefitTerm, Lead
from tests.factories import OrgUnitFactory


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    owner_unit = factory.SubFactory(OrgUnitFactory)
    government = factory.LazyAttribute(lambda o: o.owner_unit.government)
    company = factory.Sequence(lambda n: f"企业{n}有限公司")
    industry = "智能装备制造"
    intended_investment = Decimal("20000")
    source = Lead.Source.REFERRAL
    stage = Lead.Stage.CLUE
    stage_since = datetime.date(2024, 1, 5)
    contact_name = "张先生"
    contact_phone = "13800000000"


class BenefitAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenefitAgreement

    government = factory.SubFactory("tests.factories.RegionFactory")
    name = factory.Sequence(lambda n: f"利益分享协议{n}")
    introducing_region = factory.LazyAttribute(lambda o: o.government)
    host_region = factory.SubFactory("tests.factories.RegionFactory")


class BenefitTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenefitTerm

    agreement = factory.SubFactory(BenefitAgreementFactory)
    start_year = 2024
    end_year = 2028


class BenefitShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenefitShare

    term = factory.SubFactory(BenefitTermFactory)
    region = factory.SubFactory("tests.factories.RegionFactory")
    output_percent = Decimal("50")
    tax_percent = Decimal("50")
    investment_percent = Decimal("50")


# --- the pipeline (h_pipeline) -----------------------------------------------------------------


class PipelineSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "investment.PipelineSettings"

    government = factory.SubFactory("tests.factories.RegionFactory")
