from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinwei.accounts import selectors, services
from jinwei.accounts.access import can_change, get_for_change, get_for_view
from jinwei.accounts.forms import ApiTokenForm, UnitForm
from jinwei.accounts.models import ApiToken, OrgUnit, User
from jinwei.audit.services import StaleVersionError


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):  # the login middleware guarantees a user
        raise PermissionDenied
    return request.user


def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(_user(request), request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_change_password(
            actor=request.user, user=_user(request), new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password was changed."))
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": selectors.memberships_of(user=user),
            "tokens": user.api_tokens.all(),
            "token_form": ApiTokenForm(),
            "new_token": request.session.pop("new_api_token", None),
        },
    )


@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        _token, raw = services.api_token_create(
            actor=request.user, user=_user(request), name=form.cleaned_data["name"]
        )
        request.session["new_api_token"] = raw  # shown once on the next page, then gone
    else:
        messages.error(request, _("Give the token a name."))
    return redirect("accounts:profile")


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")


def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_view(request, OrgUnit.objects.select_related("government"), pk=pk)
    return render(
        request,
        "accounts/unit_detail.html",
        {
            "unit": unit,
            "members": selectors.unit_members(unit=unit),
            "may_change": can_change(request.user, unit),
        },
    )


def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_for_change(request, OrgUnit.objects.select_related("government"), pk=pk)
    form = UnitForm(
        request.POST or None,
        instance=unit,
        editable=services.unit_editable_fields(request.user, unit),
        initial={"version": unit.version},
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        try:
            services.unit_update(
                actor=request.user,
                unit=unit,
                expected_version=form.cleaned_data["version"],
                changes=changes,
            )
        except StaleVersionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:unit_detail", pk=unit.pk)
    return render(request, "accounts/unit_edit.html", {"unit": unit, "form": form})


def region_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/region_list.html",
        {"regions": selectors.region_list(viewer=request.user)},
    )
