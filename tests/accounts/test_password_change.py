"""Changing one's own password: the validators apply, the session survives, the trail notes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kiln-harbour-47"


def _change(client: Client, old: str, new: str, again: str | None = None) -> Any:
    return client.post(
        reverse("accounts:password_change"),
        {
            "old_password": old,
            "new_password1": new,
            "new_password2": new if again is None else again,
        },
    )


def _error_codes(response: Any) -> set[str]:
    form = response.context["form"]
    return {error.code for errors in form.errors.as_data().values() for error in errors}


def test_it_shows_the_form(cast: Any) -> None:
    response = cast.client_for(cast.encheng_staff).get(reverse("accounts:password_change"))
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {
        "old_password",
        "new_password1",
        "new_password2",
    }


def test_it_changes_the_password_and_keeps_the_session(cast: Any) -> None:
    user = cast.encheng_staff
    client = cast.client_for(user)
    response = _change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    assert client.get(reverse("core:home")).status_code == 200  # still signed in


def test_it_records_the_change_without_the_hash(cast: Any) -> None:
    user = cast.encheng_staff
    _change(cast.client_for(user), PASSWORD, NEW_PASSWORD)
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.EVENT
    assert entry.actor == user and entry.object_id == str(user.pk)
    assert entry.note == "password changed"
    user.refresh_from_db()
    assert user.password not in str(entry.before) + str(entry.after) + entry.note


def test_the_old_password_no_longer_logs_in(cast: Any) -> None:
    _change(cast.client_for(cast.encheng_staff), PASSWORD, NEW_PASSWORD)
    url = reverse("accounts:login")
    assert Client().post(url, {"username": "eve", "password": PASSWORD}).status_code == 200
    assert Client().post(url, {"username": "eve", "password": NEW_PASSWORD}).status_code == 302


def test_other_sessions_of_the_user_are_signed_out(cast: Any) -> None:
    other_device = Client()
    other_device.post(reverse("accounts:login"), {"username": "eve", "password": PASSWORD})
    assert other_device.get(reverse("core:home")).status_code == 200
    _change(cast.client_for(cast.encheng_staff), PASSWORD, NEW_PASSWORD)
    assert other_device.get(reverse("core:home")).status_code == 302


def _assert_unchanged(user: Any) -> None:
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert user.version == 1
    assert not AuditEntry.objects.exists()


def test_it_rejects_a_wrong_old_password(cast: Any) -> None:
    response = _change(cast.client_for(cast.encheng_staff), "wrong-old-pass", NEW_PASSWORD)
    assert response.status_code == 200
    assert "password_incorrect" in _error_codes(response)
    _assert_unchanged(cast.encheng_staff)


def test_it_rejects_two_different_new_passwords(cast: Any) -> None:
    response = _change(cast.client_for(cast.encheng_staff), PASSWORD, NEW_PASSWORD, "Other-pass-98")
    assert "password_mismatch" in _error_codes(response)
    _assert_unchanged(cast.encheng_staff)


@pytest.mark.parametrize(
    ("new", "code"),
    [
        ("Zq8!xw-k", "password_too_short"),  # fewer than 10 characters
        ("password1234", "password_too_common"),
        ("20240220123", "password_entirely_numeric"),
        ("encheng-office@enping", "password_too_similar"),  # like the e-mail address
    ],
)
def test_it_applies_the_password_validators(cast: Any, new: str, code: str) -> None:
    user = cast.encheng_staff
    user.email = "encheng-office@enping.gov.cn"
    user.save(update_fields=["email"])
    response = _change(cast.client_for(user), PASSWORD, new)
    assert response.status_code == 200
    assert code in _error_codes(response)
    _assert_unchanged(user)
