"""The catalogue in the Django admin: pages render and a change is audited like any other."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.indicators.models import Category, Indicator, Observation, Target
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(cast):
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save(update_fields=["is_staff", "is_superuser"])
    return cast.client_for(cast.admin)


@pytest.mark.parametrize("model", [Category, Indicator, Observation, Target])
def test_the_admin_lists_and_opens_each_model(cast, admin_client_, model):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    objects = {
        Category: indicator.category,
        Indicator: indicator,
        Observation: ObservationFactory(indicator=indicator),
        Target: TargetFactory(indicator=indicator),
    }
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client_.get(changelist).status_code == 200
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[objects[model].pk])
    assert admin_client_.get(change).status_code == 200


def test_a_change_in_the_admin_is_audited(cast, admin_client_):
    indicator = IndicatorFactory(owner_unit=cast.stats_bureau)
    target = TargetFactory(indicator=indicator, year=2024, value=Decimal(100))
    url = reverse("admin:indicators_target_change", args=[target.pk])
    data = {
        "indicator": indicator.pk,
        "region": cast.enping.pk,
        "unit": "",
        "year": 2024,
        "kind": "level",
        "value": "120",
        "note": "",
        "loaded_version": target.version,
    }
    assert admin_client_.post(url, data).status_code == 302
    target.refresh_from_db()
    assert (target.value, target.version) == (Decimal(120), 2)
    entry = AuditEntry.objects.get(object_id=str(target.pk), action="update")
    assert entry.note == "admin" and Decimal(entry.after["value"]) == 120
