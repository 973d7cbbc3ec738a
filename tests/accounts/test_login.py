"""Log in, log out, and the lock-out after repeated failures, per account AND address."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED_TEMPLATE = "accounts/locked_out.html"


def _login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _fail(client: Client, username: str, times: int, **extra: Any) -> Any:
    response = None
    for _ in range(times):
        response = _login(client, username, "wrong-password", **extra)
    return response


def _locked(response: Any) -> bool:
    return response.status_code == 429 and LOCKED_TEMPLATE in [t.name for t in response.templates]


def test_a_user_logs_in_and_lands_on_home(cast: Any) -> None:
    client = Client()
    response = _login(client, "eve", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert int(client.session["_auth_user_id"]) == cast.encheng_staff.pk


def test_it_rejects_a_wrong_password(cast: Any) -> None:
    client = Client()
    response = _login(client, "eve", "not-the-password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not _signed_in(client)


def test_it_follows_next_on_this_site_only(cast: Any) -> None:
    url = reverse("accounts:login")
    local = Client().post(
        url, {"username": "eve", "password": PASSWORD, "next": reverse("accounts:profile")}
    )
    assert local["Location"] == reverse("accounts:profile")
    foreign = Client().post(
        url, {"username": "eve", "password": PASSWORD, "next": "https://evil.example.com/"}
    )
    assert foreign["Location"] == reverse("core:home")


def test_a_signed_in_user_is_sent_on_from_the_login_page(cast: Any) -> None:
    response = cast.client_for(cast.viewer).get(reverse("accounts:login"))
    assert response.status_code == 302


def test_logout_needs_a_post(cast: Any) -> None:
    client = cast.client_for(cast.viewer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert _signed_in(client)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert not _signed_in(client)
    assert client.get(reverse("core:home")).status_code == 302


def test_it_locks_out_after_five_failures(cast: Any) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert _fail(client, "eve", 4).status_code == 200  # four failures: still the login form
    response = _fail(client, "eve", 1)
    assert _locked(response)
    assert "Try again in 15 minutes" in response.content.decode()
    assert response["Content-Security-Policy"]
    # now even the right password is refused
    response = _login(client, "eve", PASSWORD)
    assert _locked(response)
    assert not _signed_in(client)


def test_the_lock_is_for_that_address_only(cast: Any) -> None:
    _fail(Client(), "eve", 5)
    assert _locked(_login(Client(), "eve", PASSWORD))
    elsewhere = Client()
    response = _login(elsewhere, "eve", PASSWORD, REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 302
    assert _signed_in(elsewhere)


def test_the_lock_is_for_that_account_only(cast: Any) -> None:
    _fail(Client(), "eve", 5)
    colleague = Client()  # same address (127.0.0.1), another account
    response = _login(colleague, "hank", PASSWORD)
    assert response.status_code == 302
    assert _signed_in(colleague)


def test_a_forged_forwarded_for_header_does_not_lift_the_lock(cast: Any) -> None:
    """Without a proxy in front, X-Forwarded-For is the client's word and is not trusted."""
    _fail(Client(), "eve", 5)
    client = Client()
    response = _login(client, "eve", PASSWORD, HTTP_X_FORWARDED_FOR="10.99.99.99")
    assert _locked(response)
    assert not _signed_in(client)


def test_failures_spread_over_forged_addresses_still_count(cast: Any) -> None:
    client = Client()
    for n in range(4):
        _login(client, "eve", "wrong-password", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert _locked(_fail(client, "eve", 1, HTTP_X_FORWARDED_FOR="10.0.0.200"))


def test_a_success_resets_the_count(cast: Any) -> None:
    client = Client()
    _fail(client, "eve", 4)
    assert _login(client, "eve", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    assert _fail(client, "eve", 4).status_code == 200  # would be the 8th failure in a row
    assert _login(client, "eve", PASSWORD).status_code == 302
    assert _signed_in(client)


@override_settings(AXES_IPWARE_PROXY_COUNT=1)
def test_behind_a_proxy_the_lock_is_per_forwarded_address(cast: Any) -> None:
    """Every request comes from the proxy (127.0.0.1); the client is what the proxy appended."""
    _fail(Client(), "eve", 5, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert _locked(_login(Client(), "eve", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7"))
    # a client's own X-Forwarded-For is kept by the proxy, which appends the real address
    spoofed = "198.51.100.1, 203.0.113.7"
    assert _locked(_login(Client(), "eve", PASSWORD, HTTP_X_FORWARDED_FOR=spoofed))
    elsewhere = Client()
    response = _login(elsewhere, "eve", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 302
    assert _signed_in(elsewhere)
