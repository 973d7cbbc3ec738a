"""Security and language middleware for every response."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

# No inline script anywhere; styles from our own files only. Nothing may load from another host.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

Handler = Callable[[HttpRequest], HttpResponse]


class ContentSecurityPolicyMiddleware:
    """A strict CSP on every response, so an injected script or handler cannot run.

    The other security headers come from Django: SecurityMiddleware (nosniff, Referrer-Policy,
    Cross-Origin-Opener-Policy, HSTS) and XFrameOptionsMiddleware (DENY).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address, for the lock-out (django-axes' AXES_CLIENT_IP_CALLABLE).

    Without a proxy, REMOTE_ADDR: X-Forwarded-For is then the client's own word. Behind N
    proxies (JINWEI_PROXY_COUNT), the address the outermost proxy saw: each proxy appends the
    address it received from, so it is the N-th entry from the right, and whatever a client put
    in front of it is ignored.
    """
    count = settings.AXES_IPWARE_PROXY_COUNT or 0
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


class DefaultLanguageMiddleware:
    """Chinese unless the user chose otherwise; the browser's Accept-Language is not consulted.

    Staff browsers are often set to English by the IT department, while the working language
    of the government is Chinese.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])  # the language comes from a cookie
        return response
