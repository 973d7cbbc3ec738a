"""The JSON API under /api/v1/: session auth for the browser, bearer tokens for scripts.

Every URL here is exempt from LoginRequiredMiddleware so that ninja's own auth answers an
anonymous caller with a 401 JSON body instead of a redirect to the login page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from jinwei.accounts.services import api_token_authenticate

if TYPE_CHECKING:
    from ninja.operation import Operation

TOKEN_PREFIX = "jw_"  # noqa: S105 (a label, not a secret)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer jw_…`: a personal token created on the user's page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(TOKEN_PREFIX):
            return None
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user  # views and access helpers read request.user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser's session, with Django's CSRF check on unsafe methods.

    The CSRF check runs only for a signed-in session, so an anonymous caller gets 401, not 403.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
        return request.COOKIES.get(self.param_name)


AUTH = [TokenAuth(), SessionAuth()]


def _unauthorized() -> HttpResponse:
    response = JsonResponse({"detail": _("Sign in or send an API token.")}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="jinwei"'
    return response


def signed_in_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Guard for the OpenAPI document, which ninja serves outside its operation auth."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if any(auth(request) for auth in AUTH):
            return view(request, *args, **kwargs)
        return _unauthorized()

    return wrapper


class JinweiAPI(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        _exempt_from_login_middleware(patterns)
        return patterns

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__  # short ids: "unit_list", not the module path


def _exempt_from_login_middleware(patterns: list[URLResolver | URLPattern]) -> None:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _exempt_from_login_middleware(pattern.url_patterns)
        else:
            login_not_required(pattern.callback)


api = JinweiAPI(
    title="jinwei API",
    version="1",
    description="Regions, units and the signed-in user. Send `Authorization: Bearer <token>` "
    "(tokens are created on /accounts/me/) or use the browser session with its CSRF token.",
    urls_namespace="api-1",
    auth=AUTH,
    docs_url=None,  # ninja's docs page loads Swagger UI from a CDN; the site must work offline
    docs_decorator=signed_in_only,
)


@api.exception_handler(AuthenticationError)
def _on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _unauthorized()


@api.exception_handler(PermissionDenied)
def _on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or _("You may not do this.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(Http404)
def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


api.add_router("/", "jinwei.accounts.api.router")
api.add_router("/indicators/", "jinwei.indicators.api.router")
api.add_router("/tasks/", "jinwei.tasks.api.router")
api.add_router("/projects/", "jinwei.projects.api.router")
api.add_router("/investment/", "jinwei.investment.api.router")
api.add_router("/enterprises/", "jinwei.enterprises.api.router")
api.add_router("/honors/", "jinwei.honors.api.router")
api.add_router("/opportunities/", "jinwei.opportunities.api.router")
