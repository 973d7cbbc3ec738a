"""The briefings page: who may have one written, the background work and its progress bar, the
downloads, and the list of recent briefings."""

from __future__ import annotations

import io

import docx
import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from jinwei.audit.models import AuditEntry
from jinwei.lib.periods import last_month, parse_period
from jinwei.reports import compose, jobs
from jinwei.reports.models import Briefing
from jinwei.reports.services import briefing_delete, briefing_folder, briefing_start
from tests.reports.stand_ins import use_stand_ins

GENERATORS = ["leader", "supervisor", "admin", "statistician"]
READERS = ["investment", "encheng_staff", "hengpi_staff", "viewer"]


@pytest.fixture(autouse=True)
def inline(settings, monkeypatch):
    """The work runs in the request, with the stand-ins of `use_stand_ins`."""
    settings.JINWEI_IMPORTS_INLINE = True
    use_stand_ins(monkeypatch)


def client_for(cast, role):
    client = cast.client_for(getattr(cast, role))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def generate(client, period="2024-09", government="440785"):
    return client.post(reverse("reports:create"), {"government": government, "period": period})


def done_briefing(cast) -> Briefing:
    briefing, _created = briefing_start(
        actor=cast.supervisor, government=cast.enping, period=parse_period("2024-09")
    )
    jobs.start(briefing.pk)
    briefing.refresh_from_db()
    return briefing


@pytest.mark.parametrize("role", GENERATORS)
def test_leaders_supervisors_admins_and_statisticians_generate(cast, role):
    response = generate(client_for(cast, role))
    briefing = Briefing.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:detail", args=[briefing.pk])
    assert (briefing.status, briefing.progress, briefing.created_by) == (
        "done",
        100,
        getattr(cast, role),
    )
    assert briefing.docx_path.endswith(".docx") and briefing.pdf_path.endswith(".pdf")
    assert AuditEntry.objects.filter(object_id=str(briefing.pk), action="create").exists()


@pytest.mark.parametrize("role", READERS)
def test_other_people_of_the_government_may_not_generate(cast, role):
    client = client_for(cast, role)
    assert generate(client).status_code == 403
    page = client.get(reverse("reports:home")).content.decode()
    assert "Generate briefing" not in page and "you can read and download them" in page
    assert not Briefing.objects.exists()


def test_another_government_is_not_found(cast):
    client = client_for(cast, "outsider")
    assert generate(client).status_code == 404
    assert client.get(reverse("reports:home") + "?government=440785").status_code == 404
    briefing = done_briefing(cast)
    for name in ("detail", "progress", "docx", "pdf"):
        assert client.get(reverse(f"reports:{name}", args=[briefing.pk])).status_code == 404


def test_the_page_offers_the_last_month_and_links_the_wall(cast):
    page = client_for(cast, "leader").get(reverse("reports:home")).content.decode()
    assert "Generate briefing" in page and 'name="period"' in page
    assert f'value="{last_month(timezone.localdate())}"' in page
    assert reverse("reports:wall") in page


def test_a_bad_period_is_shown_on_the_form(cast):
    response = generate(client_for(cast, "supervisor"), period="2024-13")
    assert response.status_code == 200
    assert "“2024-13” is not a period" in response.content.decode()
    assert not Briefing.objects.exists()


def test_the_finished_briefing_shows_downloads_and_notes(cast):
    client = client_for(cast, "statistician")
    detail = client.get(generate(client).url).content.decode()
    briefing = Briefing.objects.get()
    assert reverse("reports:docx", args=[briefing.pk]) in detail
    assert reverse("reports:pdf", args=[briefing.pk]) in detail
    assert "本简报含示例数据。" in detail
    assert 'hx-get="' not in detail  # nothing left to poll


@pytest.mark.parametrize("role", [*GENERATORS, *READERS])
def test_everyone_in_the_government_downloads(cast, role):
    briefing = done_briefing(cast)
    client = client_for(cast, role)
    response = client.get(reverse("reports:docx", args=[briefing.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    word = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert word.paragraphs[0].text == "恩平市高质量发展简报"
    pdf = client.get(reverse("reports:pdf", args=[briefing.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_missing_file_is_not_found(cast):
    briefing = done_briefing(cast)
    Briefing.objects.filter(pk=briefing.pk).update(pdf_path="")
    (django_settings.MEDIA_ROOT / briefing.docx_path).unlink()
    client = client_for(cast, "viewer")
    assert client.get(reverse("reports:docx", args=[briefing.pk])).status_code == 404
    assert client.get(reverse("reports:pdf", args=[briefing.pk])).status_code == 404
    assert "no longer stored" in client.get(reverse("reports:detail", args=[briefing.pk])).text


def test_the_progress_bar_polls_until_the_work_is_done(cast):
    briefing = Briefing.objects.create(
        government=cast.enping, period="2024-09", progress=40, progress_note="Peer ranks"
    )
    client = client_for(cast, "viewer")
    url = reverse("reports:progress", args=[briefing.pk])
    running = client.get(url, headers={"HX-Request": "true"})
    assert "Peer ranks · 40%" in running.text and f'hx-get="{url}"' in running.text
    assert "HX-Refresh" not in running
    detail = client.get(reverse("reports:detail", args=[briefing.pk])).text
    assert f'hx-get="{url}"' in detail and 'hx-trigger="every 1s"' in detail
    Briefing.objects.filter(pk=briefing.pk).update(status="done", progress=100)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true" and "hx-get" not in done.text


def test_a_failure_is_recorded_and_shown(cast, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("no figures")

    monkeypatch.setattr(compose, "build_document", broken)
    client = client_for(cast, "supervisor")
    detail = client.get(generate(client).url).text
    briefing = Briefing.objects.get()
    assert briefing.status == "failed" and "no figures" in briefing.error
    assert "The briefing could not be written: no figures" in detail


def test_a_second_click_while_writing_starts_no_second_job(cast):
    first, created = briefing_start(
        actor=cast.supervisor, government=cast.enping, period=parse_period("2024-09")
    )
    assert created
    response = generate(client_for(cast, "leader"))
    assert response.url == reverse("reports:detail", args=[first.pk])
    assert Briefing.objects.count() == 1
    first.refresh_from_db()
    assert first.status == "running"  # the request did not run the job a second time


def test_deleting_removes_the_files(cast):
    briefing = done_briefing(cast)
    files = list(briefing_folder().iterdir())
    assert len(files) == 2
    briefing_delete(actor=cast.admin, briefing=briefing)
    assert not list(briefing_folder().iterdir()) and not Briefing.objects.exists()


def test_the_list_costs_the_same_queries_at_any_size(cast, django_assert_max_num_queries):
    client = client_for(cast, "viewer")
    for n in range(30):
        Briefing.objects.create(government=cast.enping, period=f"2023-{n % 12 + 1:02d}")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reports:home"))
    assert page.status_code == 200 and page.text.count("/briefings/") >= 20
