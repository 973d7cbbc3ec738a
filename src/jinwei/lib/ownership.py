"""Who owns a domain object: the government it belongs to and the unit that may change it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ownership:
    government_id: int | None
    unit_id: int | None = None  # None: only supervisors and admins of the government change it
