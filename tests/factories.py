"""factory_boy factories for the foundation's objects."""

from __future__ import annotations

import factory

from jinwei.accounts.models import Membership, OrgUnit, Region, Role, User


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{449000 + n}")
    name = factory.Sequence(lambda n: f"测试县{n}")
    level = Region.Level.COUNTY


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    government = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"单位{n}")
    kind = OrgUnit.Kind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("pass-word-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(OrgUnitFactory)
    role = Role.STAFF
