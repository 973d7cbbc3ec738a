"""The ledger import pages: upload, preview with progress, commit, assign all, the template,
and rights (only the supervising office; others 403, other governments 404)."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.tasks import ledger_uploads
from jinwei.tasks.ledger_uploads import LedgerUpload
from jinwei.tasks.models import Task
from tests.indicators.import_helpers import english, xlsx
from tests.tasks.ledger_helpers import HEADER, _fixed_today, row

pytestmark = pytest.mark.usefixtures(english.__name__, _fixed_today.__name__)


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
    return client.post(reverse("tasks:ledger_import"), data)


def only_upload() -> LedgerUpload:
    entry = AuditEntry.objects.get(after__kind=ledger_uploads.UPLOAD_KIND)
    state = LedgerUpload.load(entry.pk)
    assert state is not None
    return state


def test_a_supervisor_uploads_previews_commits_and_assigns(cast, tmp_path):
    client = client_for(cast, cast.supervisor)
    path = xlsx(tmp_path / "开局会议.xlsx", ("表1", [HEADER, row(), row(**{"牵头单位": "横陂镇"})]))
    response = upload(client, path)
    state = only_upload()
    assert response.status_code == 302
    assert response.url == reverse("tasks:ledger_review", args=[state.id])
    assert (state.status, state.filename, state.created_by_id) == (
        "checked",
        "开局会议.xlsx",
        cast.supervisor.pk,
    )
    html = client.get(response.url).content.decode()
    assert 'class="count-new">2<' in html and "Save 2 tasks as drafts" in html
    assert "TZ2024-001" in html and "横陂镇" in html
    assert Task.objects.count() == 0  # a dry run first
    response = client.post(response.url, {"action": "commit"})
    assert response.status_code == 302
    assert list(Task.objects.values_list("state", flat=True)) == ["draft", "draft"]
    html = client.get(response.url).content.decode()
    assert "Assign all 2 drafts" in html
    assert reverse("tasks:detail", args=[Task.objects.first().pk]) in html
    client.post(response.url, {"action": "assign"})
    assert set(Task.objects.values_list("state", flat=True)) == {"assigned"}
    assert "Assign all" not in client.get(response.url).content.decode()
    listing = client.get(reverse("tasks:ledger_import")).content.decode()
    assert "开局会议.xlsx" in listing


def test_commit_with_assign_right_away(cast, tmp_path):
    client = client_for(cast, cast.supervisor)
    upload(client, xlsx(tmp_path / "a.xlsx", ("表1", [HEADER, row()])))
    state = only_upload()
    client.post(
        reverse("tasks:ledger_review", args=[state.id]), {"action": "commit", "assign": "1"}
    )
    assert Task.objects.get().state == "assigned"
    assert LedgerUpload.load(state.id).assigned == 1


def test_a_file_with_errors_shows_them_and_cannot_be_saved(cast, tmp_path):
    client = client_for(cast, cast.supervisor)
    path = xlsx(tmp_path / "bad.xlsx", ("表1", [HEADER, row(), row(**{"完成时限": "八月底"})]))
    upload(client, path)
    state = only_upload()
    url = reverse("tasks:ledger_review", args=[state.id])
    html = client.get(url).content.decode()
    assert "八月底" in html and "bad.xlsx" in html and "Save" not in html.split("Problems")[1]
    response = client.post(url, {"action": "commit"}, follow=True)
    assert "cannot be saved" in response.content.decode()
    assert Task.objects.count() == 0


def test_a_second_commit_of_the_same_upload_does_nothing(cast, tmp_path):
    client = client_for(cast, cast.supervisor)
    upload(client, xlsx(tmp_path / "a.xlsx", ("表1", [HEADER, row()])))
    url = reverse("tasks:ledger_review", args=[only_upload().id])
    client.post(url, {"action": "commit"})
    response = client.post(url, {"action": "commit"}, follow=True)
    assert Task.objects.count() == 1
    assert "cannot be saved" in response.content.decode()


def test_the_progress_poll_answers_with_the_bar_and_refreshes_when_done(cast, tmp_path):
    client = client_for(cast, cast.supervisor)
    upload(client, xlsx(tmp_path / "a.xlsx", ("表1", [HEADER, row()])))
    state = only_upload()
    url = reverse("tasks:ledger_review", args=[state.id])
    state.status, state.progress, state.note = "committing", 40, "Saving the tasks"
    state.save()
    running = client.get(url, headers={"HX-Request": "true"})
    assert "HX-Refresh" not in running
    assert 'hx-trigger="every 1s"' in running.content.decode() and "40%" in running.content.decode()
    state.status = "committed"
    state.save()
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_the_template_has_the_headers_and_an_example_that_passes_the_check(cast, tmp_path):
    client = client_for(cast, cast.supervisor)
    response = client.get(reverse("tasks:ledger_template"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[2]] == HEADER
    assert sheet["G3"].value == "恩城街道"
    assert book.worksheets[1]["A1"].value.startswith("#")
    filled = tmp_path / "template.xlsx"
    filled.write_bytes(response.content)
    upload(client, filled)
    state = only_upload()
    assert state.counts["errors"] == 0, state.problems
    assert state.counts["rows"] == 1


@pytest.mark.parametrize(
    "who", ["encheng_staff", "leader", "statistician", "investment", "viewer", "outsider"]
)
def test_everyone_but_the_supervising_office_is_refused(cast, tmp_path, who):
    supervisor = client_for(cast, cast.supervisor)
    upload(supervisor, xlsx(tmp_path / "a.xlsx", ("表1", [HEADER, row()])))
    review = reverse("tasks:ledger_review", args=[only_upload().id])
    client = client_for(cast, getattr(cast, who))
    assert client.get(reverse("tasks:ledger_import")).status_code == 403
    assert client.get(reverse("tasks:ledger_template")).status_code == 403
    path = xlsx(tmp_path / "b.xlsx", ("表1", [HEADER, row()]))
    assert upload(client, path).status_code == 403
    expected = 404 if who == "outsider" else 403  # another government's import is not there
    assert client.get(review).status_code == expected
    assert client.post(review, {"action": "commit"}).status_code == expected
    assert Task.objects.count() == 0


def test_an_unknown_upload_is_not_found(cast):
    client = client_for(cast, cast.supervisor)
    assert client.get(reverse("tasks:ledger_review", args=[999999])).status_code == 404
