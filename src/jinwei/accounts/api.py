"""API for regions, units and the current user."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    unit_id: int
    unit: str
    role: str


class MeOut(Schema):
    id: int
    username: str
    name: str
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        id=int(user.pk or 0),
        username=user.get_username(),
        name=getattr(user, "name", ""),
        memberships=[
            MembershipOut(unit_id=m.unit_id, unit=m.unit.name, role=m.role)
            for m in user.memberships.select_related("unit")  # type: ignore[union-attr]
        ],
    )
