"""Sample URL arguments for the pages-render test of the honours and practices pages
(tests/core/test_pages_render.py): an honour of 恩城街道 with an evidence file, a practice."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from tests.conftest import Cast
from tests.honors.factories import HonourFactory, PracticeFactory


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    honour = HonourFactory(government=cast.enping, unit=cast.encheng, evidence_name="证书.pdf")
    honour.evidence.save("证书.pdf", ContentFile(b"%PDF-1.4 sample"), save=True)
    practice = PracticeFactory(government=cast.enping, unit=cast.encheng)
    return {
        "honors:edit": {"honour_id": honour.pk},
        "honors:delete": {"honour_id": honour.pk},
        "honors:evidence": {"honour_id": honour.pk},
        "honors:practice_edit": {"practice_id": practice.pk},
        "honors:practice_delete": {"practice_id": practice.pk},
    }
