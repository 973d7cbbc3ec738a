"""The closed loop in the browser: the supervisor assigns a draft; the lead unit's staff acknowledge
it, report progress and request completion with evidence; the supervisor returns it once with a
reason, the staff ask again, the supervisor closes and scores it; the unit's scorecard changes."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from jinwei.tasks.models import Task, TaskEvent
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("JINWEI_SCREENSHOTS")  # a folder: save a picture of each step there


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def switch_to(page, log_in, user):
    page.context.clear_cookies()
    log_in(user)


def act(page, action, fill=None):
    """Press an action button; its form opens in place (htmx); fill it in and send it."""
    page.locator(f"a.task-action-{action}").click()
    form = page.locator(f"#task-action-panel form.action-{action}")
    expect(form).to_be_visible()
    if fill:
        fill(form)
    return form


def send(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def figure(page, label):
    """One figure of the unit's scorecard, found by its label as the Chinese page shows it."""
    with translation.override("zh-hans"):
        text = gettext(label)
    name = page.locator("dt", has_text=re.compile(f"^{re.escape(text)}$"))
    return page.locator(".scorecard-figures > div").filter(has=name).locator("dd")


def expect_state(page, task, state):
    expect(page.locator(".task-header .task-state")).to_have_class(f"task-state state-{state}")
    task.refresh_from_db()
    assert task.state == state


def test_a_task_goes_round_the_loop_and_the_scorecard_changes(
    page, browser_log, log_in, live_server, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    task = TaskFactory(
        lead_unit=cast.encheng,
        supervising_unit=cast.supervision,
        leader=cast.leader,
        code="RW-2024-07",
        title="职教园区一期完工交付",
        start_date=today - datetime.timedelta(days=30),
        deadline=today,
    )
    detail = reverse("tasks:detail", args=[task.pk])
    scorecard = reverse("tasks:unit_scorecard", args=[cast.encheng.pk])
    evidence = tmp_path / "竣工验收报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 acceptance")
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff site photo")

    # the supervisor assigns the draft
    log_in(cast.supervisor)
    page.goto(scorecard)
    expect(figure(page, "Closed")).to_have_text("0")
    expect(figure(page, "Average score")).not_to_contain_text("87.5")
    page.goto(detail)
    expect_state(page, task, Task.State.DRAFT)
    shot(page, "1-draft")
    form = act(page, "assign", lambda f: f.locator("textarea[name=note]").fill("请按期完成"))
    send(page, form)
    expect(page.locator(".message-success")).to_be_visible()
    expect_state(page, task, Task.State.ASSIGNED)

    # the lead unit's staff acknowledge it, report progress and request completion
    switch_to(page, log_in, cast.encheng_staff)
    page.goto(detail)
    send(page, act(page, "acknowledge"))
    expect_state(page, task, Task.State.IN_PROGRESS)
    report = page.locator("form.task-report-form")
    report.locator("input[name=percent]").fill("60")
    report.locator("textarea[name=text]").fill("主体工程完工，正在装修")
    report.locator("textarea[name=problems]").fill("需协调供电接入")
    report.locator("input[type=file]").set_input_files(str(photo))
    send(page, report)
    expect(page.locator(".task-progress-value")).to_have_text("60%")
    expect(page.locator(".task-timeline")).to_contain_text("主体工程完工，正在装修")
    expect(page.locator(".task-timeline")).to_contain_text("现场照片.jpg")
    shot(page, "2-reported")
    form = act(
        page,
        "request_completion",
        lambda f: f.locator("input[type=file]").set_input_files(str(evidence)),
    )
    send(page, form)
    expect_state(page, task, Task.State.COMPLETION_REQUESTED)
    expect(page.locator(".task-evidence")).to_contain_text("竣工验收报告.pdf")

    # the supervisor returns it: first without a reason (refused in place), then with one
    switch_to(page, log_in, cast.supervisor)
    page.goto(detail)
    form = act(page, "return")
    form.locator("button[type=submit]").click()
    refused = page.locator("#task-action-panel form.action-return .error")
    expect(refused).to_be_visible()
    shot(page, "3-return-refused")
    expect_state(page, task, Task.State.COMPLETION_REQUESTED)
    form = page.locator("#task-action-panel form.action-return")
    form.locator("textarea[name=note]").fill("缺少消防验收意见书")
    send(page, form)
    expect_state(page, task, Task.State.IN_PROGRESS)
    expect(page.locator(".task-timeline")).to_contain_text("缺少消防验收意见书")

    # the staff ask again; the supervisor closes and scores it
    switch_to(page, log_in, cast.encheng_staff)
    page.goto(detail)
    send(page, act(page, "request_completion", lambda f: f.locator("textarea").fill("已补充")))
    expect_state(page, task, Task.State.COMPLETION_REQUESTED)
    switch_to(page, log_in, cast.supervisor)
    page.goto(detail)

    def scores(form):
        form.locator("input[name=score_timeliness]").fill("90")
        form.locator("input[name=score_quality]").fill("85")

    send(page, act(page, "close", scores))
    expect_state(page, task, Task.State.CLOSED)
    expect(page.locator(".score-timeliness")).to_have_text("90")
    expect(page.locator(".score-quality")).to_have_text("85")
    shot(page, "4-closed")
    actions = list(task.events.exclude(action=TaskEvent.Action.REPORT).values_list("action"))
    assert [a for (a,) in actions] == [
        "assign",
        "acknowledge",
        "request_completion",
        "return",
        "request_completion",
        "close",
    ]

    # the unit's scorecard counts the closed task and its score (87.5 = (90 + 85) / 2)
    page.goto(scorecard)
    shot(page, "5-scorecard")
    expect(figure(page, "Closed")).to_have_text("1")
    expect(figure(page, "Average score")).to_contain_text("87.5")

    assert browser_log.requests_off(live_server.url) == []
    # the refused return answered 400 on purpose (the form with its error); nothing else failed
    return_url = live_server.url + reverse("tasks:act", args=[task.pk, "return"])
    unexpected = [e for e in browser_log.errors if not (" 400 " in e and return_url in e)]
    assert unexpected == []
    assert len(browser_log.errors) == 1
