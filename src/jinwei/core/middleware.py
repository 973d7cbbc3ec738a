"""Security and language middleware for every response."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

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

# Pages with Plotly charts only: plotly.js writes its own <style> rules at run time and has no
# nonce option (plotly.js issues #2355, #7543). Scripts stay 'self', without 'unsafe-eval'.
CHART_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
INLINE_STYLES_ATTRIBUTE = "jinwei_allows_inline_styles"

Handler = Callable[[HttpRequest], HttpResponse]
View = Callable[..., HttpResponse]


def allows_inline_styles(view: View) -> View:
    """Mark a view's pages as chart pages: their CSP allows inline styles (see above)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        setattr(response, INLINE_STYLES_ATTRIBUTE, True)
        return response

    return wrapped


class ContentSecurityPolicyMiddleware:
    """A strict CSP on every response, so an injected script or handler cannot run.

    The other security headers come from Django: SecurityMiddleware (nosniff, Referrer-Policy,
    Cross-Origin-Opener-Policy, HSTS) and XFrameOptionsMiddleware (DENY).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        charts = getattr(response, INLINE_STYLES_ATTRIBUTE, False)
        policy = CHART_CONTENT_SECURITY_POLICY if charts else CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
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
