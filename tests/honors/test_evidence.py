"""The evidence download: served through the view that checks who may see the honour, under the
file's original name, never cached; a missing file or none at all is a 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jinwei.honors import services
from jinwei.honors.models import Honour
from tests.honors.factories import HonourFactory

pytestmark = pytest.mark.django_db
CONTENT = b"%PDF-1.4 certificate"


@pytest.fixture
def honour(cast) -> Honour:
    honour = HonourFactory(government=cast.enping, unit=cast.encheng)
    upload = SimpleUploadedFile("健康县证书.pdf", CONTENT, content_type="application/pdf")
    return services.honour_update(
        actor=cast.supervisor, honour=honour, changes={}, expected_version=1, evidence=upload
    )


@pytest.mark.parametrize(
    "role",
    ["admin", "leader", "supervisor", "statistician", "encheng_staff", "hengpi_staff", "viewer"],
)
def test_everyone_of_the_government_downloads_it_under_its_name(cast, honour, role):
    response = cast.client_for(getattr(cast, role)).get(
        reverse("honors:evidence", args=[honour.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "%E5%81%A5%E5%BA%B7%E5%8E%BF%E8%AF%81%E4%B9%A6.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_outsiders_and_anonymous_callers_do_not_get_it(cast, honour, client):
    url = reverse("honors:evidence", args=[honour.pk])
    assert cast.client_for(cast.outsider).get(url).status_code == 404
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.url


def test_the_file_is_not_served_from_a_media_url(cast, honour):
    viewer = cast.client_for(cast.viewer)
    for prefix in ("/media/", "/"):
        assert viewer.get(prefix + honour.evidence.name).status_code == 404


def test_no_file_or_a_lost_file_is_a_404(cast, honour):
    viewer = cast.client_for(cast.viewer)
    bare = HonourFactory(government=cast.enping)
    assert viewer.get(reverse("honors:evidence", args=[bare.pk])).status_code == 404
    honour.evidence.storage.delete(honour.evidence.name)
    assert viewer.get(reverse("honors:evidence", args=[honour.pk])).status_code == 404
