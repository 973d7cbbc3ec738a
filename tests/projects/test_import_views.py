"""The project import pages: upload, preview with progress, commit, the template; rights (managers
import projects, a unit's staff its reports, leaders and viewers 403, other governments 404)."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.projects.importing import uploads
from jinwei.projects.importing.uploads import ProjectUpload
from jinwei.projects.models import InvestmentReport, Project
from tests.indicators.import_helpers import english, xlsx
from tests.projects.import_helpers import (
    PROJECT_HEADER,
    REPORT_HEADER,
    _fixed_today,
    places,
    project,
    report,
    stored_project,
)

pytestmark = pytest.mark.usefixtures(english.__name__, _fixed_today.__name__, places.__name__)


@pytest.fixture(autouse=True)
def inline(settings):
    settings.JINWEI_IMPORTS_INLINE = True


def client_for(cast, user):
    client = cast.client_for(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(client, path):
    with path.open("rb") as handle:
        data = {"file": SimpleUploadedFile(path.name, handle.read())}
    return client.post(reverse("projects:import"), data)


def only_upload() -> ProjectUpload:
    entry = AuditEntry.objects.get(after__kind=uploads.UPLOAD_KIND)
    state = ProjectUpload.load(entry.pk)
    assert state is not None
    return state


def both(tmp_path, projects=(), reports=(), name="重点项目.xlsx"):
    return xlsx(
        tmp_path / name,
        ("重点项目", [PROJECT_HEADER, *projects]),
        ("月度报告", [REPORT_HEADER, *reports]),
    )


def test_investment_staff_upload_preview_and_commit(cast, tmp_path):
    client = client_for(cast, cast.investment)
    path = both(tmp_path, [project(), project(**{"项目编号": "XM-002"})], [report()])
    response = upload(client, path)
    state = only_upload()
    assert response.status_code == 302
    assert response.url == reverse("projects:import_review", args=[state.id])
    assert (state.status, state.filename, state.created_by_id) == (
        "checked",
        "重点项目.xlsx",
        cast.investment.pk,
    )
    html = client.get(response.url).content.decode()
    assert 'class="count-projects-new">2<' in html and 'class="count-reports-new">1<' in html
    assert "Save 3 rows" in html and "职教园区一期" in html and "2024-08" in html
    assert Project.objects.count() == 0  # a dry run first
    response = client.post(response.url, {"action": "commit"})
    assert response.status_code == 302
    assert Project.objects.count() == 2 and InvestmentReport.objects.count() == 1
    html = client.get(response.url).content.decode()
    assert "Projects added or changed: 2; monthly reports added or changed: 1." in html
    assert "Save 3 rows" not in html
    assert "重点项目.xlsx" in client.get(reverse("projects:import")).content.decode()


def test_the_preview_lists_problems_with_file_sheet_row_and_column(cast, tmp_path):
    client = client_for(cast, cast.investment)
    upload(client, both(tmp_path, [project(**{"牵头单位": "火星镇"})], name="bad.xlsx"))
    html = client.get(reverse("projects:import_review", args=[only_upload().id])).content.decode()
    assert "“火星镇” is not a unit of 恩平市." in html
    assert '<td>bad.xlsx</td><td>重点项目</td><td class="num">2</td>' in html
    assert "Fix the errors in the file" in html and 'name="action" value="commit"' not in html
    client.post(reverse("projects:import_review", args=[only_upload().id]), {"action": "commit"})
    assert Project.objects.count() == 0


def test_a_rejected_commit_shows_the_problems_and_writes_nothing(cast, tmp_path):
    client = client_for(cast, cast.investment)
    upload(client, both(tmp_path, [project()]))
    state = only_upload()
    stored_project(cast, stage="completed")  # meanwhile someone stores it further on
    client.post(reverse("projects:import_review", args=[state.id]), {"action": "commit"})
    state = ProjectUpload.load(state.id)
    assert state.status == "checked" and state.counts["errors"] == 1
    assert "does not move it back" in state.problems[0]["message"]
    assert Project.objects.get().stage == "completed"


def test_the_progress_poll_answers_with_the_bar(cast, tmp_path):
    client = client_for(cast, cast.investment)
    upload(client, both(tmp_path, [project()]))
    state = only_upload()
    state.status, state.progress, state.note = "checking", 40, "Checking the rows"
    state.save()
    url = reverse("projects:import_review", args=[state.id])
    response = client.get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert '<progress max="100" value="40">' in html and 'hx-trigger="every 1s"' in html
    assert "HX-Refresh" not in response
    state.status = "checked"
    state.save()
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_unit_staff_import_reports_on_their_projects(cast, tmp_path):
    stored_project(cast, code="EC-1", lead_unit=cast.encheng)
    client = client_for(cast, cast.encheng_staff)
    page = client.get(reverse("projects:import")).content.decode()
    assert "Monthly investment reports on your unit" in page
    upload(client, both(tmp_path, reports=[report(**{"项目编号": "EC-1"})]))
    client.post(reverse("projects:import_review", args=[only_upload().id]), {"action": "commit"})
    assert InvestmentReport.objects.get().project.code == "EC-1"


def test_another_units_staff_get_a_row_error_and_cannot_see_others_uploads(cast, tmp_path):
    stored_project(cast, code="EC-1", lead_unit=cast.encheng)
    hank = client_for(cast, cast.hengpi_staff)
    upload(hank, both(tmp_path, reports=[report(**{"项目编号": "EC-1"})]))
    state = only_upload()
    assert state.problems[0]["code"] == "not_your_project"
    eve = client_for(cast, cast.encheng_staff)
    assert eve.get(reverse("projects:import_review", args=[state.id])).status_code == 403
    assert "重点项目.xlsx" not in eve.get(reverse("projects:import")).content.decode()
    manager = client_for(cast, cast.supervisor)
    assert manager.get(reverse("projects:import_review", args=[state.id])).status_code == 200
    assert "重点项目.xlsx" in manager.get(reverse("projects:import")).content.decode()


@pytest.mark.parametrize("who", ["leader", "viewer"])
def test_leaders_and_viewers_may_not_import(cast, who):
    client = client_for(cast, getattr(cast, who))
    assert client.get(reverse("projects:import")).status_code == 403
    assert client.get(reverse("projects:import_template")).status_code == 403


def test_another_government_gets_404_for_an_upload(cast, tmp_path):
    upload(client_for(cast, cast.investment), both(tmp_path, [project()]))
    outsider = client_for(cast, cast.outsider)
    url = reverse("projects:import_review", args=[only_upload().id])
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"action": "commit"}).status_code == 404


def sheets_of(response):
    book = openpyxl.load_workbook(BytesIO(response.content))
    return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book}


def test_the_template_has_both_sheets_and_passes_the_check_as_it_stands(cast, tmp_path):
    client = client_for(cast, cast.investment)
    response = client.get(reverse("projects:import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = sheets_of(response)
    assert list(sheets) == ["Projects", "Monthly reports", "How to fill in"]
    assert sheets["Projects"][1][:3] == ["项目编号", "项目名称", "项目类型"]
    assert sheets["Projects"][1][-2:] == ["2024年计划投资（万元）", "2025年计划投资（万元）"]
    assert sheets["Monthly reports"][1] == REPORT_HEADER
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    upload(client, path)
    state = only_upload()
    assert state.counts["errors"] == 0, state.problems
    assert (state.counts["projects_new"], state.counts["reports_new"]) == (1, 1)


def test_unit_staff_get_the_reports_sheet_only(cast):
    stored_project(cast, code="EC-1", lead_unit=cast.encheng)
    sheets = sheets_of(
        client_for(cast, cast.encheng_staff).get(reverse("projects:import_template"))
    )
    assert list(sheets) == ["Monthly reports", "How to fill in"]
    assert sheets["Monthly reports"][2][:3] == ["EC-1", None, "2024-08"]


def test_the_upload_page_queries_do_not_grow_with_the_uploads(cast, tmp_path):
    client = client_for(cast, cast.investment)
    path = both(tmp_path, [project()])
    upload(client, path)
    url = reverse("projects:import")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        upload(client, path)
    with CaptureQueriesContext(connection) as five:
        html = client.get(url).content.decode()
    assert html.count("重点项目.xlsx") == 5
    assert len(five.captured_queries) == len(one.captured_queries)
