"""The leads API: list and detail (contact details and the contact log only for whom may see
them), moves with the same rules and rights as the pages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from jinwei.accounts.services import api_token_create
from jinwei.investment import services
from jinwei.investment.models import Lead
from tests.investment.pipeline_helpers import Stage, days_ago, new_lead, sign, today

pytestmark = pytest.mark.django_db
URL = "/api/v1/investment/leads/"


def client_for(cast, user) -> Client:
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def a_lead(cast) -> Lead:
    lead = new_lead(cast)
    services.contact_add(
        actor=cast.investment, lead=lead, on=days_ago(1), kind="call", summary="电话联系"
    )
    return Lead.objects.get(pk=lead.pk)


def post_move(cast, user, lead: Lead, **body):
    return client_for(cast, user).post(
        f"{URL}{lead.pk}/move", body, content_type="application/json"
    )


def test_the_list_shows_contacts_only_to_whom_may_see_them(cast):
    a_lead(cast)
    ivy = client_for(cast, cast.investment).get(URL).json()
    assert ivy["count"] == 1
    item = ivy["items"][0]
    assert (item["company"], item["stage"], item["government"]) == ("恩大组团", "clue", "440785")
    assert item["contact"] == {
        "name": "张先生",
        "phone": "13800001111",
        "email": "zhang@example.com",
    }
    staff = client_for(cast, cast.encheng_staff).get(URL).json()
    assert staff["items"][0]["contact"] is None
    assert "13800001111" not in str(staff)


def test_the_list_filters(cast):
    a_lead(cast)
    new_lead(cast, company="展会客商", source=Lead.Source.FAIR, stage=Stage.VISIT)
    client = client_for(cast, cast.viewer)
    assert [i["company"] for i in client.get(URL, {"source": "fair"}).json()["items"]] == [
        "展会客商"
    ]
    assert client.get(URL, {"stage": "clue"}).json()["count"] == 1
    assert client.get(URL, {"dropped": "true"}).json()["count"] == 0
    assert client.get(URL, {"government": "440781"}).json()["count"] == 0


def test_an_outsider_sees_no_lead(cast):
    lead = a_lead(cast)
    client = client_for(cast, cast.outsider)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{lead.pk}").status_code == 404
    assert post_move(cast, cast.outsider, lead, to_stage="contact").status_code == 404


@pytest.mark.parametrize("who", ["investment", "leader", "supervisor"])
def test_the_detail_has_the_history_and_the_contact_log_for_whom_may_see_it(cast, who):
    lead = a_lead(cast)
    body = client_for(cast, getattr(cast, who)).get(f"{URL}{lead.pk}").json()
    assert [c["to_stage"] for c in body["stage_changes"]] == ["clue"]
    assert [c["summary"] for c in body["contacts"]] == ["电话联系"]
    assert body["contact"]["phone"] == "13800001111"
    assert body["allowed_moves"] == ["contact", "visit", "negotiation"]


@pytest.mark.parametrize("who", ["encheng_staff", "viewer", "statistician"])
def test_the_detail_hides_contacts_from_others(cast, who):
    lead = a_lead(cast)
    body = client_for(cast, getattr(cast, who)).get(f"{URL}{lead.pk}").json()
    assert body["contacts"] is None
    assert body["contact"] is None
    assert body["stage_changes"][0]["actor"] == "ivy"


def test_a_move_goes_through_the_rules(cast):
    lead = a_lead(cast)
    response = post_move(
        cast, cast.investment, lead, to_stage="visit", on=days_ago(2).isoformat(), note="考察"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["stage"], body["stage_since"]) == ("visit", days_ago(2).isoformat())
    assert [c["to_stage"] for c in body["stage_changes"]] == ["clue", "visit"]
    assert Lead.objects.get(pk=lead.pk).stage == Stage.VISIT


def test_a_refused_move_says_why(cast):
    lead = a_lead(cast)
    signing = post_move(cast, cast.investment, lead, to_stage="signed")
    assert signing.status_code == 409
    assert "signing form" in signing.json()["detail"]
    registered = post_move(cast, cast.investment, lead, to_stage="registered")
    assert registered.status_code == 409
    lead = services.lead_move(actor=cast.investment, lead=lead, to_stage="visit", on=today())
    back = post_move(cast, cast.investment, lead, to_stage="clue")
    assert back.status_code == 400
    assert "why the lead goes back" in back.json()["detail"]
    stale = post_move(cast, cast.investment, lead, to_stage="negotiation", version=1)
    assert stale.status_code == 409
    assert Lead.objects.get(pk=lead.pk).stage == Stage.VISIT


def test_unit_staff_and_leaders_cannot_move_a_lead(cast):
    lead = a_lead(cast)
    for user in (cast.encheng_staff, cast.leader):
        assert post_move(cast, user, lead, to_stage="contact").status_code == 403
    assert Lead.objects.get(pk=lead.pk).stage == Stage.CLUE


def test_a_signed_lead_links_its_project_and_moves_on(cast):
    lead = new_lead(cast, stage=Stage.NEGOTIATION)
    project = sign(cast, lead)
    body = client_for(cast, cast.viewer).get(f"{URL}{lead.pk}").json()
    assert (body["project_id"], body["allowed_moves"]) == (project.pk, ["registered", "landed"])
    assert post_move(cast, cast.investment, lead, to_stage="registered").status_code == 200


def test_a_token_reads_the_leads(cast):
    a_lead(cast)
    _token, raw = api_token_create(actor=cast.investment, user=cast.investment, name="script")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get(URL).json()["items"][0]["contact"]["name"] == "张先生"
    assert Client().get(URL).status_code == 401
