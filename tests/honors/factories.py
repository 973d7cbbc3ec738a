"""factory_boy factories for honours and practices."""

from __future__ import annotations

import datetime

import factory

from jinwei.honors.models import Category, Honour, Level, Practice


class HonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honour

    government = factory.SubFactory("tests.factories.RegionFactory")
    title = factory.Sequence(lambda n: f"荣誉称号{n}")
    level = Level.PROVINCIAL
    year = 2023
    issuer = "广东省人民政府"
    category = Category.GOVERNANCE


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    government = factory.SubFactory("tests.factories.RegionFactory")
    title = factory.Sequence(lambda n: f"经验做法{n}")
    recognised_by = "江门市人民政府"
    level = Level.MUNICIPAL
    recognised_on = datetime.date(2023, 6, 1)
