"""The home page: the government, its units and people, in a bounded number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jinwei.accounts.models import OrgUnit
from tests.factories import MembershipFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db


def test_home_shows_government_units_and_people(cast):
    content = cast.client_for(cast.hengpi_staff).get(reverse("core:home")).content.decode()
    assert "恩平市" in content and "440785" in content
    assert "恩城街道" in content and "横陂镇" in content and "统计局" in content
    assert "黎市长" in content  # people of the units
    assert "台山市统计局" not in content  # another government's unit


def test_home_query_count_does_not_grow_with_units(cast, django_assert_max_num_queries):
    client = cast.client_for(cast.leader)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("core:home"))
    for i in range(30):
        unit = OrgUnitFactory(government=cast.enping, name=f"部门{i}", kind=OrgUnit.Kind.DEPARTMENT)
        MembershipFactory(unit=unit)
        MembershipFactory(unit=unit)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("core:home"))
    assert "部门29" in response.content.decode()


def test_user_without_unit_is_told_to_ask_for_one(cast):
    from tests.factories import UserFactory

    loner = UserFactory(username="loner")
    response = cast.client_for(loner).get(reverse("core:home"))
    assert response.status_code == 200
    assert "恩城街道" not in response.content.decode()
