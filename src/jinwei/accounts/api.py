"""API for regions, units and the signed-in user."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import ConfigDict, Field

from jinwei.accounts import selectors, services
from jinwei.accounts.access import get_for_view
from jinwei.accounts.models import OrgUnit, Region, Role
from jinwei.api_parts import ErrorOut, api_user
from jinwei.audit.services import StaleVersionError

router = Router(tags=["accounts"])


# --- schemas ----------------------------------------------------------------------------------


class ValidationErrorItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[ValidationErrorItem]


class RegionOut(Schema):
    code: str
    name: str
    short_name: str
    level: Region.Level
    parent_code: str | None

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class UnitRef(Schema):
    id: int
    name: str
    short_name: str
    kind: OrgUnit.Kind
    government_code: str

    @staticmethod
    def resolve_government_code(obj: OrgUnit) -> str:
        return obj.government.code


class UnitOut(UnitRef):
    region_code: str | None
    order: int
    head: str
    phone: str
    address: str
    description: str
    is_active: bool
    version: int = Field(description="Send it back with a change; a stale one is refused (409).")
    updated_at: datetime
    editable_fields: list[str] = Field(description="The fields the caller may change.")

    @staticmethod
    def resolve_region_code(obj: OrgUnit) -> str | None:
        return obj.region.code if obj.region is not None else None

    @staticmethod
    def resolve_editable_fields(obj: OrgUnit, context: dict[str, Any]) -> list[str]:
        return list(services.unit_editable_fields(context["request"].user, obj))


class MembershipOut(Schema):
    unit: UnitRef
    role: Role
    title: str


class MeOut(Schema):
    id: int
    username: str
    name: str
    memberships: list[MembershipOut]


def _without_defaults(schema: dict[str, Any]) -> None:
    """A field left out of a PATCH is left alone; the placeholder default is not a value."""
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


class UnitPatchIn(Schema):
    """`version` plus only the fields to change; an explicit null is a validation error."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=_without_defaults
    )

    version: int = Field(ge=1, description="The version the change is based on.")
    # Defaults are placeholders: only the fields actually sent are applied (exclude_unset).
    name: str = ""
    short_name: str = ""
    kind: OrgUnit.Kind = OrgUnit.Kind.TOWN
    order: int = Field(default=0, ge=0)
    is_active: bool = True
    head: str = ""
    phone: str = ""
    address: str = ""
    description: str = ""


class FieldChangeOut(Schema):
    field: str
    label: str
    before: Any
    after: Any
    by: str = Field(description="Login name of who made the change.")
    at: datetime


class ConflictOut(Schema):
    detail: str
    changes: list[FieldChangeOut]
    current_version: int


# --- endpoints --------------------------------------------------------------------------------


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    """The caller and the units and roles they hold."""
    user = api_user(request)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": user.name,
        "memberships": list(selectors.memberships_of(user=user)),
    }


@router.get("/regions", response=list[RegionOut])
def region_list(request: HttpRequest) -> Any:
    """Every region (shared reference data, peers included), by administrative code."""
    return selectors.region_list(viewer=api_user(request))


@router.get("/regions/{code}", response={200: RegionOut, 404: ErrorOut})
def region_detail(request: HttpRequest, code: str) -> Region:
    region = selectors.region_list(viewer=api_user(request)).filter(code=code).first()
    if region is None:
        raise Http404
    return region


@router.get("/units", response=list[UnitOut])
def unit_list(
    request: HttpRequest, kind: OrgUnit.Kind | None = None, government: str | None = None
) -> Any:
    """Units of the governments the caller works for; `government` takes a region code."""
    units = selectors.unit_list(viewer=api_user(request)).select_related("region")
    if kind is not None:
        units = units.filter(kind=kind)
    if government is not None:
        units = units.filter(government__code=government)
    return units


@router.get("/units/{unit_id}", response={200: UnitOut, 404: ErrorOut})
def unit_detail(request: HttpRequest, unit_id: int) -> OrgUnit:
    units = selectors.unit_list(viewer=api_user(request)).select_related("region")
    return get_for_view(request, units, pk=unit_id)


@router.patch(
    "/units/{unit_id}",
    response={
        200: UnitOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ValidationErrorOut,
    },
)
def unit_update(request: HttpRequest, unit_id: int, payload: UnitPatchIn) -> Any:
    """Change a unit. Its staff change the profile; supervisors and admins every field.

    A field the caller may not change is refused (403) unless it is sent with its current value,
    so a client may send back what it read.
    """
    user = api_user(request)
    units = selectors.unit_list(viewer=user).select_related("region")
    unit = get_for_view(request, units, pk=unit_id)
    allowed = services.unit_editable_fields(user, unit)
    if not allowed:
        raise PermissionDenied(_("You may not change this unit."))
    sent = payload.model_dump(exclude_unset=True, mode="json")
    version = sent.pop("version")
    refused = sorted(k for k, v in sent.items() if k not in allowed and getattr(unit, k) != v)
    if refused:
        raise PermissionDenied(
            _("You may not change these fields: %(fields)s.") % {"fields": ", ".join(refused)}
        )
    try:
        return services.unit_update(
            actor=user,
            unit=unit,
            expected_version=version,
            changes={k: v for k, v in sent.items() if k in allowed},
        )
    except StaleVersionError as error:
        return Status(409, _conflict(error))
    except DjangoValidationError as error:
        raise ValidationError(_validation_errors(error, sent)) from error


def _conflict(error: StaleVersionError) -> dict[str, Any]:
    return {
        "detail": error.message,
        "changes": [
            {
                "field": c.field,
                "label": c.label,
                "before": c.before,
                "after": c.after,
                "by": c.actor_name,
                "at": c.at,
            }
            for c in error.changes
        ],
        "current_version": getattr(error.obj, "version", 0),
    }


def _validation_errors(error: DjangoValidationError, sent: Iterable[str]) -> list[dict[str, Any]]:
    """Django's errors in the shape of ninja's own 422s, located at the fields sent.

    A uniqueness error (e.g. the name is taken in this government) names the fields involved.
    """
    items = []
    by_field = error.update_error_dict({})  # field -> errors, whichever form it was raised in
    for name, errors in by_field.items():
        for err in errors:
            fields = [name]
            if name == NON_FIELD_ERRORS:
                involved = (err.params or {}).get("unique_check", ())
                fields = [f for f in involved if f in sent] or [name]
            items += [
                {"type": "value_error", "loc": _loc(field), "msg": message}
                for field in fields
                for message in err.messages
            ]
    return items


def _loc(field: str) -> list[str]:
    return ["body", "payload"] if field == NON_FIELD_ERRORS else ["body", "payload", field]
