"""The import pages: upload, preview with progress, mapping, commit, the template, and rights."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jinwei.indicators.importing.services import import_batch_create
from jinwei.indicators.models import ImportBatch, Observation
from tests.indicators.import_helpers import LONG_HEADER, english, gdp, xlsx

pytestmark = pytest.mark.usefixtures(english.__name__)
ROWS = [
    LONG_HEADER,
    ["GDP", "恩平", 2023, "251.3", "5.1", ""],
    ["GDP", "台山", 2023, "547.4", "", ""],
]


@pytest.fixture(autouse=True)
def inline(settings, tmp_path):
    settings.JINWEI_IMPORTS_INLINE = True
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(cast, user):
    """A signed-in client that reads the pages in English (the msgids the tests compare with)."""
    client = cast.client_for(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(client, path, **fields):
    with path.open("rb") as handle:
        data = {"file": SimpleUploadedFile(path.name, handle.read()), "layout": "auto"}
    return client.post(reverse("indicators:import_list"), data | fields)


def test_a_statistician_uploads_previews_and_commits(cast, tmp_path):
    gdp(cast)
    client = client_for(cast, cast.statistician)
    response = upload(client, xlsx(tmp_path / "gdp.xlsx", ("表1", ROWS)))
    assert response.status_code == 302, response.context["form"].errors
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("indicators:import_detail", args=[batch.pk])
    page = client.get(response.url)
    html = page.content.decode()
    assert batch.created_by == cast.statistician and batch.filename == "gdp.xlsx"
    assert 'class="count-new">2<' in html
    assert "Save 2 values" in html
    assert Observation.objects.count() == 0  # a dry run first
    response = client.post(reverse("indicators:import_commit", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Observation.objects.filter(batch=batch).count() == 2
    html = client.get(reverse("indicators:import_detail", args=[batch.pk])).content.decode()
    assert "Saved at" in html and "地区生产总值" in html


def test_the_preview_lists_every_problem_with_its_place(cast, tmp_path):
    gdp(cast)
    client = client_for(cast, cast.statistician)
    rows = [*ROWS, ["GDP", "开平", 2023, "1", "", ""]]
    upload(client, xlsx(tmp_path / "t.xlsx", ("数据", rows)))
    batch = ImportBatch.objects.get()
    html = client.get(reverse("indicators:import_detail", args=[batch.pk])).content.decode()
    assert "Unknown region or unit “开平”." in html
    assert '<td class="num">4</td>' in html and "数据" in html
    assert 'class="count-errors">1<' in html
    assert "Save " not in html
    response = client.post(reverse("indicators:import_commit", args=[batch.pk]), follow=True)
    assert "cannot be saved" in response.content.decode()
    assert Observation.objects.count() == 0


def test_unrecognised_headers_are_mapped_and_checked_again(cast, tmp_path):
    gdp(cast)
    client = client_for(cast, cast.statistician)
    upload(
        client, xlsx(tmp_path / "t.xlsx", ("表1", [["县区", "年份", "GDP总量"], ["恩平", 2023, 1]]))
    )
    batch = ImportBatch.objects.get()
    detail = client.get(reverse("indicators:import_detail", args=[batch.pk])).content.decode()
    assert "map its columns" in detail
    mapping_url = reverse("indicators:import_mapping", args=[batch.pk])
    page = client.get(mapping_url).content.decode()
    assert "县区" in page and "GDP总量" in page and "values for" not in page
    response = client.post(
        mapping_url,
        {
            "layout": "auto",
            "period": "",
            "column_0": "where",
            "column_1": "",
            "column_2": "indicator:gdp",
        },
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.mapping == {"columns": {"县区": "where", "GDP总量": "indicator:gdp"}}
    assert batch.status == ImportBatch.Status.CHECKED
    assert batch.counts["errors"] == 0 and batch.counts["new"] == 1


def test_the_progress_fragment_polls_until_done(cast, tmp_path):
    client = client_for(cast, cast.statistician)
    batch = ImportBatch.objects.create(
        government=cast.enping, created_by=cast.statistician, filename="t.xlsx",
        status=ImportBatch.Status.CHECKING, progress=40, progress_note="Checking values",
    )  # fmt: skip
    url = reverse("indicators:import_progress", args=[batch.pk])
    running = client.get(url, headers={"HX-Request": "true"})
    html = running.content.decode()
    assert 'hx-trigger="every 1s"' in html and f'hx-get="{url}"' in html
    assert 'value="40"' in html and "HX-Refresh" not in running.headers
    batch.status = ImportBatch.Status.CHECKED
    batch.save()
    done = client.get(url, headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()
    detail = client.get(reverse("indicators:import_detail", args=[batch.pk])).content.decode()
    assert "hx-trigger" not in detail


def test_a_running_import_shows_the_progress_bar(cast):
    client = client_for(cast, cast.statistician)
    batch = ImportBatch.objects.create(
        government=cast.enping, created_by=cast.statistician, filename="t.xlsx",
        status=ImportBatch.Status.COMMITTING,
    )  # fmt: skip
    html = client.get(reverse("indicators:import_detail", args=[batch.pk])).content.decode()
    assert "<progress" in html and 'hx-trigger="every 1s"' in html


@pytest.mark.parametrize("role", ["leader", "viewer"])
def test_people_who_do_not_enter_data_cannot_import(cast, role):
    client = client_for(cast, getattr(cast, role))
    assert client.get(reverse("indicators:import_list")).status_code == 403
    assert client.get(reverse("indicators:import_template")).status_code == 403


def test_staff_of_another_government_cannot_open_an_import(cast, tmp_path):
    batch = import_batch_create(
        actor=cast.statistician, government=cast.enping, path=tmp_path / "t.xlsx"
    )
    client = client_for(cast, cast.outsider)
    assert client.get(reverse("indicators:import_detail", args=[batch.pk])).status_code == 404
    assert "t.xlsx" not in client.get(reverse("indicators:import_list")).content.decode()


def test_staff_see_only_their_own_imports(cast, tmp_path):
    mine = import_batch_create(
        actor=cast.encheng_staff, government=cast.enping, path=tmp_path / "mine.xlsx"
    )
    theirs = import_batch_create(
        actor=cast.hengpi_staff, government=cast.enping, path=tmp_path / "theirs.xlsx"
    )
    client = client_for(cast, cast.encheng_staff)
    listing = client.get(reverse("indicators:import_list")).content.decode()
    assert "mine.xlsx" in listing and "theirs.xlsx" not in listing
    assert client.get(reverse("indicators:import_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("indicators:import_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("indicators:import_commit", args=[theirs.pk])).status_code == 404
    statistician = client_for(cast, cast.statistician).get(reverse("indicators:import_list"))
    assert "theirs.xlsx" in statistician.content.decode()


def test_an_unsupported_file_is_refused_by_the_form(cast, tmp_path):
    client = client_for(cast, cast.statistician)
    path = tmp_path / "t.pdf"
    path.write_bytes(b"%PDF")
    response = upload(client, path)
    assert response.status_code == 200
    assert "cannot be imported" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_template_round_trips(cast, tmp_path, language):
    gdp(cast)
    client = client_for(cast, cast.statistician)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("indicators:import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(BytesIO(response.content))
    data, catalogue, _help = book.worksheets
    assert catalogue.cell(3, 1).value == "gdp"
    data.append(["gdp", "", "", "2023", "251.3", "", "5.1", "年鉴", ""])
    data.append(["", "地区生产总值", "台山市", "2023", "5,474,000", "万元", "", "", ""])
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    upload(client, filled)
    batch = ImportBatch.objects.get()
    assert batch.counts["errors"] == 0, batch.problems
    client.post(reverse("indicators:import_commit", args=[batch.pk]))
    saved = dict(Observation.objects.values_list("region__name", "value"))
    assert saved == {"恩平市": Decimal("251.3"), "台山市": Decimal("547.4")}


def test_the_wide_template_has_a_column_per_year(cast):
    client = client_for(cast, cast.statistician)
    response = client.get(reverse("indicators:import_template") + "?layout=wide")
    headers = [c.value for c in openpyxl.load_workbook(BytesIO(response.content)).active[1]]
    assert all(h.isdigit() for h in headers[3:]) and len(headers) == 6
