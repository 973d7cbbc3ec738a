from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse

from jinwei.accounts.models import ApiToken, User
from jinwei.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r"jw_[A-Za-z0-9_-]{20,}")


def _create_token(client: Client, name: str = "script") -> str:
    """Create a token on the user's page and read the raw value it shows once."""
    response = client.post(reverse("accounts:token_create"), {"name": name}, follow=True)
    found = TOKEN_RE.findall(response.content.decode())
    assert len(found) == 1
    return found[0]


def _bearer(raw: str, *, enforce_csrf_checks: bool = False) -> Client:
    return Client(
        enforce_csrf_checks=enforce_csrf_checks, headers={"Authorization": f"Bearer {raw}"}
    )


def test_the_page_shows_a_new_token_once_and_stores_only_its_digest(cast):
    client = cast.client_for(cast.encheng_staff)
    raw = _create_token(client)
    again = client.get(reverse("accounts:profile")).content.decode()
    assert raw not in again
    assert raw[:10] in again  # the prefix stays, to tell tokens apart
    token = ApiToken.objects.get(user=cast.encheng_staff)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = [token.name, token.prefix, token.digest]
    stored += [str(entry.after) for entry in AuditEntry.objects.all()]
    assert all(raw not in value for value in stored)


def test_a_token_authenticates_api_calls(cast):
    raw = _create_token(cast.client_for(cast.encheng_staff))
    response = _bearer(raw).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "eve"
    assert ApiToken.objects.get().last_used_at is not None


def test_a_token_reads_the_openapi_document(cast):
    raw = _create_token(cast.client_for(cast.viewer))
    response = _bearer(raw).get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/units" in response.json()["paths"]


def test_a_token_holder_changes_their_unit_without_csrf_token(cast):
    raw = _create_token(cast.client_for(cast.encheng_staff))
    response = _bearer(raw, enforce_csrf_checks=True).patch(
        f"/api/v1/units/{cast.encheng.pk}",
        {"version": 1, "address": "恩城新平中路"},
        content_type="application/json",
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="update")
    assert entry.actor == cast.encheng_staff
    assert entry.after == {"address": "恩城新平中路"}


def test_a_token_carries_its_owners_rights_only(cast):
    raw = _create_token(cast.client_for(cast.hengpi_staff))
    response = _bearer(raw).patch(
        f"/api/v1/units/{cast.encheng.pk}",
        {"version": 1, "phone": "1"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="update").exists()


def test_a_revoked_token_gets_401(cast):
    client = cast.client_for(cast.encheng_staff)
    raw = _create_token(client)
    assert _bearer(raw).get("/api/v1/me").status_code == 200
    token = ApiToken.objects.get()
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = _bearer(raw).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_another_user_cannot_revoke_my_token(cast):
    raw = _create_token(cast.client_for(cast.encheng_staff))
    token = ApiToken.objects.get()
    response = cast.client_for(cast.hengpi_staff).post(
        reverse("accounts:token_revoke", args=[token.pk])
    )
    assert response.status_code == 404
    assert _bearer(raw).get("/api/v1/me").status_code == 200


@pytest.mark.parametrize(
    "header", ["Bearer jw_not-a-token", "Bearer ", "Token abc", "Basic Zm9vOmJhcg=="]
)
def test_a_bad_token_gets_401(cast, header):
    response = Client(headers={"Authorization": header}).get("/api/v1/units")
    assert response.status_code == 401


def test_a_deactivated_users_token_gets_401(cast):
    raw = _create_token(cast.client_for(cast.encheng_staff))
    User.objects.filter(pk=cast.encheng_staff.pk).update(is_active=False)
    assert _bearer(raw).get("/api/v1/me").status_code == 401
