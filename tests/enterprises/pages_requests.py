"""Sample URL arguments for the enterprise-request pages: a request assigned to 恩城街道 (its
unit answers it; managers resolve and rate it) and its enterprise."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cast
from tests.enterprises.request_helpers import national_day, resolved


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    national_day(cast.enping)
    request = resolved(cast)
    by_request = {"request_id": request.pk}
    return {
        "enterprises:request": by_request,
        "enterprises:request_assign": by_request,
        "enterprises:request_respond": by_request,
        "enterprises:request_resolve": by_request,
        "enterprises:request_return": by_request,
        "enterprises:request_rate": by_request,
        "enterprises:request_create": {"enterprise_id": request.enterprise_id},
    }
