"""Attachments: allowed types, a size limit, no empty files; stored under MEDIA_ROOT and served
only through the download view to those who work on or oversee the task."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jinwei.tasks import services
from jinwei.tasks.models import Attachment, CoUnit, Task
from jinwei.tasks.services import TaskActionRefused
from tests.tasks.factories import TaskFactory, advance

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4 land approval"


@pytest.fixture
def task(cast):
    return advance(TaskFactory(lead_unit=cast.encheng), cast, Task.State.IN_PROGRESS)


def upload(name: str, content: bytes = CONTENT, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def attach(cast, task, name="用地批复.pdf", content=CONTENT):
    return services.add_attachment(
        actor=cast.encheng_staff, task=task, upload=upload(name, content)
    )


@pytest.mark.parametrize("suffix", sorted(services.ALLOWED_EXTENSIONS))
def test_each_allowed_type_is_accepted(cast, task, suffix):
    saved = attach(cast, task, name=f"材料{suffix}")
    assert saved.original_name == f"材料{suffix}"
    assert saved.size == len(CONTENT)


def test_the_type_is_judged_without_regard_to_case(cast, task):
    assert attach(cast, task, name="SCAN.PDF").original_name == "SCAN.PDF"


@pytest.mark.parametrize("name", ["run.exe", "page.html", "logo.svg", "macro.docm", "README"])
def test_other_types_are_refused(cast, task, name):
    with pytest.raises(TaskActionRefused) as refused:
        attach(cast, task, name=name)
    assert name in refused.value.message
    assert not Attachment.objects.exists()


def test_the_size_limit_is_a_setting(cast, task, settings):
    settings.JINWEI_ATTACHMENT_MAX_BYTES = 10
    assert attach(cast, task, content=b"0123456789").size == 10
    with pytest.raises(TaskActionRefused) as refused:
        attach(cast, task, name="大文件.pdf", content=b"0123456789A")
    assert "大文件.pdf" in refused.value.message
    assert Attachment.objects.count() == 1


def test_an_empty_file_is_refused(cast, task):
    with pytest.raises(TaskActionRefused):
        attach(cast, task, name="空白.pdf", content=b"")
    assert not Attachment.objects.exists()


def test_files_are_stored_under_media_root_in_a_folder_of_their_own(cast, task, settings):
    first = attach(cast, task, name="方案.docx", content=b"first")
    second = attach(cast, task, name="方案.docx", content=b"second")
    media = Path(settings.MEDIA_ROOT).resolve()
    for saved, content in ((first, b"first"), (second, b"second")):
        path = Path(saved.file.path).resolve()
        assert path.is_relative_to(media)
        assert path.name == "方案.docx"
        assert path.read_bytes() == content
    assert Path(first.file.path).parent != Path(second.file.path).parent


def test_the_page_s_form_refuses_a_large_file_next_to_the_field(cast, task, settings):
    settings.JINWEI_ATTACHMENT_MAX_BYTES = 10
    response = cast.client_for(cast.encheng_staff).post(
        reverse("tasks:report", args=[task.pk]),
        {
            "unit": cast.encheng.pk,
            "percent": 20,
            "text": "完成桩基",
            "attachments": [upload("现场.jpg", b"x" * 11, "image/jpeg")],
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["attachments"]
    assert "现场.jpg" in response.context["form"].errors["attachments"][0]
    assert not task.reports.exists()
    assert not Attachment.objects.exists()


# --- download -------------------------------------------------------------------------------


def download(cast, role: str | None, attachment: Attachment):
    client = Client() if role is None else cast.client_for(getattr(cast, role))
    return client.get(reverse("tasks:attachment", args=[attachment.pk]))


@pytest.mark.parametrize("role", ["encheng_staff", "supervisor", "admin", "leader"])
def test_those_on_or_over_the_task_download_it_with_its_name(cast, task, role):
    saved = attach(cast, task)
    response = download(cast, role, saved)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert quote("用地批复.pdf") in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("role", ["hengpi_staff", "statistician", "viewer"])
def test_others_in_the_government_are_refused(cast, task, role):
    assert download(cast, role, attach(cast, task)).status_code == 403


def test_another_government_does_not_learn_the_file_exists(cast, task):
    assert download(cast, "outsider", attach(cast, task)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(cast, task):
    response = download(cast, None, attach(cast, task))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_co_unit_s_staff_download_it(cast, task):
    CoUnit.objects.create(task=task, unit=cast.hengpi, part="配套道路")
    assert download(cast, "hengpi_staff", attach(cast, task)).status_code == 200


def test_a_file_gone_from_disk_is_not_found(cast, task):
    saved = attach(cast, task)
    Path(saved.file.path).unlink()
    assert download(cast, "encheng_staff", saved).status_code == 404


def test_files_are_never_served_from_a_media_url(cast, task, settings):
    saved = attach(cast, task)
    client = cast.client_for(cast.supervisor)
    for prefix in ("/media/", "/", f"/{settings.MEDIA_URL.strip('/')}/"):
        assert client.get(prefix + saved.file.name).status_code == 404
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert saved.file.name not in page
