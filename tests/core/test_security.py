"""Site-wide protections: login required everywhere, CSRF, security headers, cookie flags, and
templates that a strict Content Security Policy can serve unchanged."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, converters, get_resolver, reverse
from django.urls.resolvers import RoutePattern

import jinwei
from jinwei.audit.models import AuditEntry
from jinwei.core.middleware import (
    CONTENT_SECURITY_POLICY,
    DefaultLanguageMiddleware,
    client_ip_address,
)

pytestmark = pytest.mark.django_db

# The only pages an anonymous visitor may open. The admin's own login page is Django's, and
# goes through the same lock-out as ours (django-axes hooks every authenticate() call).
PUBLIC_URL_NAMES = {"accounts:login", "set_language", "admin:login"}

# Every page of the site, named; a new page belongs here too (the walk below catches a miss).
PROTECTED_PAGES: list[tuple[str, list[Any]]] = [
    ("core:home", []),
    ("accounts:logout", []),
    ("accounts:password_change", []),
    ("accounts:profile", []),
    ("accounts:token_create", []),
    ("accounts:token_revoke", [1]),
    ("accounts:unit_detail", [1]),
    ("accounts:unit_edit", [1]),
    ("accounts:region_list", []),
    ("audit:log", []),
    ("audit:history", [1, "1"]),
    ("admin:index", []),
]


def _is_login_redirect(response: Any) -> bool:
    login_paths = (reverse("accounts:login"), reverse("admin:login"))
    return response.status_code == 302 and response["Location"].startswith(login_paths)


@pytest.mark.parametrize(("name", "args"), PROTECTED_PAGES)
def test_anonymous_visitors_are_sent_to_login(client: Client, name: str, args: list[Any]) -> None:
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('accounts:login')}?next=") or (
        name.startswith("admin:") and response["Location"].startswith(reverse("admin:login"))
    )


def _dummy(converter: Any) -> Any:
    if isinstance(converter, converters.IntConverter):
        return 1
    if isinstance(converter, converters.UUIDConverter):
        return uuid.UUID(int=1)
    return "1"


def _named_urls(
    patterns: list[URLResolver | URLPattern], namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_urls(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def test_no_url_of_the_site_is_public_by_accident(client: Client) -> None:
    """Walks the whole URL configuration, so pages added later are checked too."""
    offenders: list[str] = []
    checked = 0
    for name, pattern in _named_urls(get_resolver().url_patterns):
        if name in PUBLIC_URL_NAMES:
            continue
        if isinstance(pattern.pattern, RoutePattern):
            kwargs = {key: _dummy(conv) for key, conv in pattern.pattern.converters.items()}
        elif not pattern.pattern.regex.groupindex:
            kwargs = {}
        elif name.startswith("admin:"):
            continue  # the admin's app index takes a regex of app labels; admin_view guards it
        else:
            offenders.append(f"{name}: cannot build a URL; add it to PROTECTED_PAGES")
            continue
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        checked += 1
        if name.startswith("api-"):
            ok = response.status_code in {401, 404, 405}  # the API answers 401, not a redirect
        elif name.startswith("public:"):
            # the optional public page is off unless a deployment turns it on, and then answers
            # 404 to everyone (tests/reports/test_public.py checks what it shows when on)
            ok = response.status_code == 404
        else:
            ok = _is_login_redirect(response)
        if not ok:
            offenders.append(f"{name} ({url}): {response.status_code}")
    assert checked > len(PROTECTED_PAGES)
    assert offenders == []


def test_the_login_page_and_language_switch_are_public(client: Client) -> None:
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def _assert_security_headers(response: Any) -> None:
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_login_page_sends_security_headers(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    _assert_security_headers(response)


def test_signed_in_pages_send_security_headers(cast: Any) -> None:
    client = cast.client_for(cast.encheng_staff)
    for url in (reverse("core:home"), reverse("accounts:unit_edit", args=[cast.encheng.pk])):
        response = client.get(url)
        assert response.status_code == 200
        _assert_security_headers(response)


def test_error_pages_send_security_headers_too(cast: Any) -> None:
    response = cast.client_for(cast.hengpi_staff).get(
        reverse("accounts:unit_edit", args=[cast.encheng.pk])
    )
    assert response.status_code == 403
    _assert_security_headers(response)


def test_the_language_cookie_is_added_to_an_existing_vary_header(rf: RequestFactory) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("ok")
        response["Vary"] = "Accept-Encoding"
        return response

    response = DefaultLanguageMiddleware(view)(rf.get("/"))
    assert {v.strip() for v in response["Vary"].split(",")} == {"Accept-Encoding", "Cookie"}


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (None, "203.0.113.7", "127.0.0.1"),  # no proxy: the header is not trusted
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the client's own entry is ignored
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "10.0.0.2", "127.0.0.1"),  # fewer hops than proxies: not through them, no trust
    ],
)
def test_the_lockout_address_trusts_only_the_configured_proxies(
    rf: RequestFactory, proxies: int | None, forwarded: str, expected: str
) -> None:
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    with override_settings(AXES_IPWARE_PROXY_COUNT=proxies):
        assert client_ip_address(request) == expected


def _csrf_client(cast: Any, user: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_post_without_csrf_token_is_rejected(cast: Any) -> None:
    client = _csrf_client(cast, cast.encheng_staff)
    url = reverse("accounts:unit_edit", args=[cast.encheng.pk])
    response = client.post(url, {"version": 1, "phone": "0750-1234567"})
    assert response.status_code == 403
    cast.encheng.refresh_from_db()
    assert cast.encheng.phone == "" and cast.encheng.version == 1
    assert not AuditEntry.objects.exists()


def test_the_same_post_with_its_token_is_accepted(cast: Any) -> None:
    client = _csrf_client(cast, cast.encheng_staff)
    url = reverse("accounts:unit_edit", args=[cast.encheng.pk])
    token = str(client.get(url).context["csrf_token"])
    response = client.post(
        url, {"version": 1, "phone": "0750-1234567", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    cast.encheng.refresh_from_db()
    assert cast.encheng.phone == "0750-1234567"


def test_logout_without_csrf_token_is_rejected(cast: Any) -> None:
    client = _csrf_client(cast, cast.viewer)
    assert client.post(reverse("accounts:logout")).status_code == 403
    assert client.get(reverse("core:home")).status_code == 200  # still signed in


def test_login_without_csrf_token_is_rejected(cast: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": "eve", "password": "pass-word-123"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_session_and_csrf_cookies_are_httponly_and_samesite(cast: Any) -> None:
    client = Client()
    csrf = client.get(reverse("accounts:login")).cookies[settings.CSRF_COOKIE_NAME]
    response = client.post(
        reverse("accounts:login"), {"username": "eve", "password": "pass-word-123"}
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    for cookie in (csrf, session):
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        # Secure follows JINWEI_HTTPS (off in tests; tests/core/test_check_deploy.py turns it on)
        assert bool(cookie["secure"]) is settings.SESSION_COOKIE_SECURE
    assert 0 < int(session["max-age"]) <= 24 * 3600


# --- Templates a strict CSP can serve: no inline script, handler, style or javascript: URL ---

TEMPLATE_FILES = sorted(Path(jinwei.__file__).parent.glob("**/templates/**/*.html"))

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
EVENT_HANDLER = re.compile(r"<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)
STYLE = re.compile(r"<style\b|<[^>]*\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE)


def inline_code_problems(text: str) -> list[str]:
    problems = []
    for attributes, body in SCRIPT_TAG.findall(text):
        if not re.search(r"\ssrc\s*=", f" {attributes}", re.IGNORECASE) or body.strip():
            problems.append("inline <script>")
    problems += [f"inline handler {m.group(1)}=" for m in EVENT_HANDLER.finditer(text)]
    problems += ["inline style" for _ in STYLE.finditer(text)]
    problems += ["javascript: URL" for _ in JAVASCRIPT_URL.finditer(text)]
    return problems


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">\n import x from "y";\n</script>',
        '<script src="/a.js">alert(1)</script>',
        '<button onclick="go()">',
        '<body\n  onload="go()">',
        '<div hx-on:click="go()">',
        '<p style="color:red">',
        "<style>p{}</style>",
        '<a href="javascript:go()">',
    ],
)
def test_the_scanner_finds_inline_code(snippet: str) -> None:
    assert inline_code_problems(snippet)


def test_the_scanner_accepts_external_scripts_and_data_attributes() -> None:
    text = '<script src="{% static "a.js" %}" defer></script><div data-once="x" hx-get="/">'
    assert inline_code_problems(text) == []


def test_templates_contain_no_inline_code() -> None:
    assert len(TEMPLATE_FILES) >= 10
    found = {
        str(path.relative_to(Path(jinwei.__file__).parent)): problems
        for path in TEMPLATE_FILES
        if (problems := inline_code_problems(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_rendered_pages_contain_no_inline_code(cast: Any) -> None:
    """Tags such as {% htmx_script %} write HTML the template scan cannot see."""
    client = cast.client_for(cast.admin)
    pages = [
        reverse("core:home"),
        reverse("accounts:profile"),
        reverse("accounts:unit_edit", args=[cast.encheng.pk]),
        reverse("audit:log"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        assert inline_code_problems(response.content.decode()) == [], url
    assert inline_code_problems(Client().get(reverse("accounts:login")).content.decode()) == []
