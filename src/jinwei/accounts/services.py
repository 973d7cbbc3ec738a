"""Writes for regions, units, memberships, users and API tokens."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from jinwei.accounts.access import can_change, can_manage
from jinwei.accounts.models import ApiToken, Membership, OrgUnit, User
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import record, tracked_create, tracked_delete, tracked_update

# What a unit's own staff may edit on their unit's profile; the rest is the supervisors'.
UNIT_PROFILE_FIELDS = ("head", "phone", "address", "description")
UNIT_ADMIN_FIELDS = ("name", "short_name", "kind", "order", "is_active", *UNIT_PROFILE_FIELDS)


def unit_editable_fields(user: Any, unit: OrgUnit) -> tuple[str, ...]:
    """The unit fields `user` may change: everything for its managers, the profile for its staff."""
    if can_manage(user, unit.government_id):
        return UNIT_ADMIN_FIELDS
    if can_change(user, unit):
        return UNIT_PROFILE_FIELDS
    return ()


def unit_update(
    *, actor: Any, unit: OrgUnit, expected_version: int, changes: dict[str, Any]
) -> OrgUnit:
    return tracked_update(actor=actor, obj=unit, changes=changes, expected_version=expected_version)


def membership_create(
    *, actor: Any, user: User, unit: OrgUnit, role: str, title: str = ""
) -> Membership:
    return tracked_create(actor=actor, obj=Membership(user=user, unit=unit, role=role, title=title))


def membership_delete(*, actor: Any, membership: Membership, expected_version: int) -> None:
    tracked_delete(actor=actor, obj=membership, expected_version=expected_version)


@transaction.atomic
def user_change_password(*, actor: Any, user: User, new_password: str) -> User:
    """Set the password and record that it changed (never the hash)."""
    user.set_password(new_password)
    user.version += 1
    user.save(update_fields=["password", "version", "updated_at"])
    record(actor=actor, action=AuditEntry.Action.EVENT, obj=user, note="password changed")
    return user


@transaction.atomic
def api_token_create(*, actor: Any, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is shown once and never stored."""
    raw = "jw_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=raw[:10], digest=ApiToken.digest_of(raw))
    token.full_clean()
    token.save()
    record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=token,
        after={"name": name, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=token,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at.isoformat()},
        )
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a raw token, or None; stamps the token's last use."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
