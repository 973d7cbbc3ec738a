"""The approval page: the queue, batch approval, filters, reopening with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.indicators import services
from jinwei.indicators.models import Observation
from tests.indicators.factories import IndicatorFactory, ObservationFactory

pytestmark = pytest.mark.django_db

APPROVAL = reverse("indicators:approval")


def client_for(cast, user):
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def queue(cast):
    """Submitted values from two units and a draft; one value of another government."""
    encheng = IndicatorFactory(owner_unit=cast.encheng, code="ec", name="恩城工业产值")
    hengpi = IndicatorFactory(owner_unit=cast.hengpi, code="hp", name="横陂工业产值")
    taishan = IndicatorFactory(
        owner_unit=cast.outsider.memberships.get().unit, code="ts", name="台山工业产值"
    )

    def submitted(indicator, period, unit=None):
        return ObservationFactory(
            indicator=indicator,
            unit=unit,
            period=period,
            status=Observation.Status.SUBMITTED,
            value=Decimal("12.5"),
        )

    return {
        "encheng_2023": submitted(encheng, "2023", cast.encheng),
        "encheng_2024": submitted(encheng, "2024", cast.encheng),
        "hengpi_2024": submitted(hengpi, "2024"),
        "draft": ObservationFactory(indicator=hengpi, period="2023"),
        "taishan": submitted(taishan, "2024"),
        "indicators": {"encheng": encheng, "hengpi": hengpi},
    }


def approve_data(*observations, version=None):
    data = {"observation": [str(o.pk) for o in observations]}
    for obs in observations:
        data[f"version-{obs.pk}"] = str(version or obs.version)
    return data


def statuses():
    return dict(Observation.objects.values_list("pk", "status"))


# ---------------------------------------------------------------------------- the queue


def test_the_queue_lists_submitted_values_of_the_statisticians_government(cast, queue):
    html = client_for(cast, cast.statistician).get(APPROVAL).content.decode()
    for key in ("encheng_2023", "encheng_2024", "hengpi_2024"):
        assert f'value="{queue[key].pk}"' in html
    assert f'value="{queue["draft"].pk}"' not in html
    assert "台山工业产值" not in html


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"unit": "encheng"}, {"encheng_2023", "encheng_2024"}),
        ({"unit": "hengpi"}, {"hengpi_2024"}),  # a county figure of the indicator 横陂镇 owns
        ({"indicator": "hengpi"}, {"hengpi_2024"}),
        ({"period": "2024年"}, {"encheng_2024", "hengpi_2024"}),
        ({"unit": "encheng", "period": "2024"}, {"encheng_2024"}),
    ],
)
def test_the_queue_filters_by_indicator_unit_and_period(cast, queue, criteria, expected):
    params = {}
    if "unit" in criteria:
        params["unit"] = getattr(cast, criteria["unit"]).pk
    if "indicator" in criteria:
        params["indicator"] = queue["indicators"][criteria["indicator"]].pk
    if "period" in criteria:
        params["period"] = criteria["period"]
    response = client_for(cast, cast.statistician).get(APPROVAL, params)
    shown = {o.pk for o in response.context["page"].object_list}
    assert shown == {queue[key].pk for key in expected}


@pytest.mark.parametrize("who", ["encheng_staff", "hengpi_staff", "leader", "viewer", "investment"])
def test_people_who_do_not_approve_are_refused(cast, queue, who):
    client = client_for(cast, getattr(cast, who))
    assert client.get(APPROVAL).status_code == 403
    before = statuses()
    assert client.post(APPROVAL, approve_data(queue["encheng_2024"])).status_code == 403
    assert statuses() == before


@pytest.mark.parametrize("who", ["statistician", "supervisor", "admin"])
def test_statisticians_supervisors_and_admins_open_the_queue(cast, queue, who):
    assert client_for(cast, getattr(cast, who)).get(APPROVAL).status_code == 200


# ---------------------------------------------------------------------------- approving


def test_many_values_are_approved_in_one_post(cast, queue):
    client = client_for(cast, cast.statistician)
    chosen = (queue["encheng_2023"], queue["hengpi_2024"])
    response = client.post(APPROVAL, approve_data(*chosen), follow=True)
    assert "Approved 2 values." in response.content.decode()
    for obs in chosen:
        obs.refresh_from_db()
        assert obs.is_locked and obs.approved_by == cast.statistician
    queue["encheng_2024"].refresh_from_db()
    assert queue["encheng_2024"].status == Observation.Status.SUBMITTED


def test_approving_nothing_says_so(cast, queue):
    response = client_for(cast, cast.statistician).post(APPROVAL, {}, follow=True)
    assert "Select the values to approve." in response.content.decode()


def test_a_value_changed_since_the_page_was_opened_stops_the_batch(cast, queue):
    obs = queue["encheng_2024"]
    services.observation_save(
        actor=cast.encheng_staff,
        indicator=obs.indicator,
        period_text="2024",
        value_text="13",
        unit=cast.encheng,
        expected_version=obs.version,
    )
    client = client_for(cast, cast.statistician)
    data = approve_data(queue["encheng_2023"], obs, version=1)
    response = client.post(APPROVAL, data, follow=True)
    assert "changed by someone else" in response.content.decode()
    assert set(Observation.objects.filter(status="approved")) == set()


def test_a_value_no_longer_waiting_stops_the_batch(cast, queue):
    client = client_for(cast, cast.statistician)
    data = approve_data(queue["encheng_2023"], queue["draft"], queue["taishan"])
    response = client.post(APPROVAL, data, follow=True)
    assert "no longer waiting for approval. Nothing was approved." in response.content.decode()
    assert not Observation.objects.filter(status="approved").exists()


def test_approved_values_are_listed_with_a_reopen_link(cast, queue):
    services.observations_approve(actor=cast.statistician, observations=[queue["encheng_2024"]])
    html = (
        client_for(cast, cast.statistician).get(APPROVAL, {"status": "approved"}).content.decode()
    )
    assert reverse("indicators:observation_reopen", args=[queue["encheng_2024"].pk]) in html
    assert 'name="observation"' not in html


# ---------------------------------------------------------------------------- reopening


@pytest.fixture
def approved(cast, queue):
    services.observations_approve(actor=cast.statistician, observations=[queue["encheng_2024"]])
    return Observation.objects.get(pk=queue["encheng_2024"].pk)


def reopen_url(obs):
    return reverse("indicators:observation_reopen", args=[obs.pk])


def test_reopening_needs_a_reason(cast, approved):
    client = client_for(cast, cast.statistician)
    assert client.get(reopen_url(approved)).status_code == 200
    response = client.post(reopen_url(approved), {"reason": "  ", "version": approved.version})
    assert response.status_code == 200
    assert "Give the reason for reopening." in response.content.decode()
    assert Observation.objects.get(pk=approved.pk).is_locked


def test_reopening_is_audited_with_the_reason(cast, approved):
    client = client_for(cast, cast.statistician)
    data = {"reason": "企业补报数据", "version": approved.version, "next": "/indicators/entry/"}
    response = client.post(reopen_url(approved), data)
    assert response["Location"] == "/indicators/entry/"
    obs = Observation.objects.get(pk=approved.pk)
    assert obs.status == Observation.Status.SUBMITTED
    entry = AuditEntry.objects.filter(
        object_id=str(obs.pk), content_type__model="observation"
    ).first()
    assert entry.note == "reopened: 企业补报数据" and entry.actor == cast.statistician


def test_a_stale_reopen_is_refused(cast, approved):
    client = client_for(cast, cast.statistician)
    response = client.post(reopen_url(approved), {"reason": "x", "version": approved.version - 1})
    assert "changed by someone else" in response.content.decode()
    assert Observation.objects.get(pk=approved.pk).is_locked


def test_reopening_a_value_that_is_not_approved_is_refused(cast, queue):
    obs = queue["encheng_2023"]
    client = client_for(cast, cast.statistician)
    response = client.post(reopen_url(obs), {"reason": "x", "version": obs.version})
    assert "Only an approved value can be reopened." in response.content.decode()


@pytest.mark.parametrize("who", ["encheng_staff", "leader"])
def test_unit_staff_and_leaders_cannot_reopen(cast, approved, who):
    client = client_for(cast, getattr(cast, who))
    assert client.get(reopen_url(approved)).status_code == 403
    data = {"reason": "x", "version": approved.version}
    assert client.post(reopen_url(approved), data).status_code == 403
    assert Observation.objects.get(pk=approved.pk).is_locked


def test_another_government_does_not_see_the_value(cast, approved):
    assert client_for(cast, cast.outsider).get(reopen_url(approved)).status_code == 404


# ---------------------------------------------------------------------------- query counts


def test_the_queue_query_count_does_not_grow_with_the_data(
    cast, queue, django_assert_max_num_queries
):
    client = client_for(cast, cast.statistician)
    client.get(APPROVAL)

    def grow(n):
        for i in range(n):
            ind = IndicatorFactory(owner_unit=cast.hengpi, code=f"q{n}-{i}")
            for period in ("2022", "2023", "2024"):
                ObservationFactory(
                    indicator=ind, period=period, status=Observation.Status.SUBMITTED
                )

    grow(3)
    with django_assert_max_num_queries(15) as small:
        client.get(APPROVAL)
    grow(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(APPROVAL, {"status": "submitted"})
    assert response.context["page"].paginator.count == 3 + 3 * 3 + 3 * 20


def test_the_queue_is_paged(cast, queue):
    ind = IndicatorFactory(owner_unit=cast.hengpi, code="many")
    for year in range(1900, 2010):
        ObservationFactory(indicator=ind, period=str(year), status=Observation.Status.SUBMITTED)
    client = client_for(cast, cast.statistician)
    first = client.get(APPROVAL)
    assert len(first.context["page"].object_list) == 100
    second = client.get(APPROVAL, {"page": 2})
    assert len(second.context["page"].object_list) == 3 + 110 - 100
