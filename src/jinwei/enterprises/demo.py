"""Enterprise-service demo: the registry with its service managers, requests in every state of
the loop, and the 2024 holiday calendar, played through the services.

Enterprises are registered with `enterprise_create` and given their chain of managers with
`managers_set`; each request is recorded (`request_create`), assigned to a unit (`request_assign`,
which opens its supervised task), answered by that unit's staff (`request_respond`), closed
after the unit asked to (`request_resolve`) and rated (`request_rate`), each on its day; the time
stamps of the task's steps are then set to those days, as the tasks demo does, so the timelines
read like the weeks they show. The calendar days go through `calendar_day_save`. Idempotent:
enterprises are found by credit code, requests by enterprise and title, calendar days by date;
what exists is left alone; the reminder cycle then runs for today, so the overdue requests'
tasks get their notices. The data lives in `demo_data`.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from jinwei.accounts.demo import demo_government, demo_unit
from jinwei.accounts.models import Region, User
from jinwei.core.demo import demo_step, get_or_create
from jinwei.enterprises import demo_data, holidays, registry, requests
from jinwei.enterprises.demo_data import EnterpriseSpec, RequestSpec
from jinwei.enterprises.models import CalendarDay, Enterprise, RequestRules, ServiceRequest
from jinwei.projects.demo import MANAGER, chain_links, ensure_people, park_rows, unit_actor
from jinwei.tasks import services as task_services
from jinwei.tasks.demo import run_reminders
from jinwei.tasks.models import Task, TaskEvent

EVIDENCE = (
    "办理情况说明（示例）\n\n诉求：{title}\n\n已按企业诉求办理完毕，办理过程和结果已告知企业。\n"
)


@demo_step("enterprises")
def load_enterprises() -> int:
    """Enterprise service: twenty enterprises with their service managers, requests in every
    state (unassigned, assigned, answered, resolved, rated), the 2024 holiday calendar."""
    government = demo_government()
    today = timezone.localdate()
    manager = User.objects.get(username=MANAGER)
    created = ensure_people() + _load_calendar(government, manager)
    _, new = get_or_create(RequestRules, lookup={"government": government})
    created += int(new)
    created += _load_enterprises(government, manager)
    service = Service(government, today, manager)
    for spec in demo_data.REQUESTS:
        created += service.tell(spec)
    # the reminder cycle for today, as the tasks demo runs it, now over the requests' tasks (and
    # the project problem raised by the projects demo) too: a second run then finds it done
    run_reminders(government, today)
    return created


def _load_calendar(government: Region, manager: User) -> int:
    known = set(CalendarDay.objects.filter(government=government).values_list("date", flat=True))
    created = 0
    for day, is_workday, name in demo_data.CALENDAR_2024:
        if day in known:
            continue
        holidays.calendar_day_save(
            actor=manager, government=government, date=day, is_workday=is_workday, name=name
        )
        created += 1
    return created


# --- the registry -------------------------------------------------------------------------------


def _load_enterprises(government: Region, manager: User) -> int:
    links = chain_links(government)
    parks = park_rows(government)
    created = 0
    for spec in demo_data.ENTERPRISES:
        enterprise = Enterprise.objects.filter(
            government=government, credit_code=spec.credit_code
        ).first()
        if enterprise is None:
            enterprise = Enterprise(
                government=government,
                name=spec.name,
                credit_code=spec.credit_code,
                chain_link=links.get(spec.link) if spec.link else None,
                park=parks.get(spec.park) if spec.park else None,
                town=demo_unit(spec.town),
                size=spec.size,
                is_above_scale=spec.is_above_scale,
                industry=spec.industry,
                address=spec.address,
                contact_name=spec.contact[0],
                contact_phone=spec.contact[1],
                is_illustrative=True,
            )
            enterprise = registry.enterprise_create(actor=manager, enterprise=enterprise)
            created += 1
        if not enterprise.managers.exists():
            created += _set_managers(enterprise, spec, manager)
    return created


def _set_managers(enterprise: Enterprise, spec: EnterpriseSpec, manager: User) -> int:
    chain = [(_manager(kind, who), duty) for (kind, who), duty in spec.managers]
    registry.managers_set(
        actor=manager,
        enterprise=enterprise,
        user_ids=[user.pk for user, _duty in chain],
        duties=[duty for _user, duty in chain],
    )
    return len(chain)


def _manager(kind: str, who: str) -> User:
    """A person by login, or whoever acts for a unit."""
    if kind == "unit":
        return unit_actor(demo_unit(who))
    return User.objects.get(username=who)


# --- requests -----------------------------------------------------------------------------------


class Service:
    """Plays each request's story through the request services, on the days the data gives."""

    def __init__(self, government: Region, today: datetime.date, manager: User) -> None:
        self.government = government
        self.today = today
        self.manager = manager
        self.minute = 0

    def day(self, when: demo_data.Days) -> datetime.date:
        return self.today + datetime.timedelta(days=when.days)

    def tell(self, spec: RequestSpec) -> int:
        """Record the request and play its story; 0 if it exists (then it is left alone)."""
        enterprise = Enterprise.objects.get(government=self.government, name=spec.enterprise)
        if ServiceRequest.objects.filter(enterprise=enterprise, title=spec.title).exists():
            return 0
        request = requests.request_create(
            actor=self.manager,
            enterprise=enterprise,
            category=spec.category,
            title=spec.title,
            description=spec.description,
            received_on=self.day(spec.received),
            is_illustrative=True,
        )
        if spec.assigned is None:
            return 1
        unit_name, assigned_on = spec.assigned
        request = requests.request_assign(
            actor=self.manager,
            request=request,
            unit=demo_unit(unit_name),
            today=self.day(assigned_on),
        )
        task = request.task
        if task is None:
            raise ValueError(f"{spec.title}: assigned without a task")
        self.stamp(task, 0, self.day(assigned_on), "assigned_at")
        staff = unit_actor(request.assigned_unit) if request.assigned_unit else self.manager
        if spec.responded is not None:
            self.respond(request, task, staff, *spec.responded)
        if spec.resolved is not None:
            self.resolve(request, task, staff, *spec.resolved)
        if spec.rated is not None:
            satisfaction, note = spec.rated
            requests.request_rate(
                actor=self.manager, request=request, satisfaction=satisfaction, note=note
            )
        return 2  # the request and its task

    def respond(
        self, request: ServiceRequest, task: Task, staff: User, when: demo_data.Days, text: str
    ) -> None:
        on = self.day(when)
        mark = self.last_event(task)
        requests.request_respond(actor=staff, request=request, response=text, on=on)
        self.stamp(task, mark, on, "acknowledged_at")

    def resolve(
        self, request: ServiceRequest, task: Task, staff: User, when: demo_data.Days, text: str
    ) -> None:
        """The unit asks to close the task with its evidence; the service centre closes it."""
        on = self.day(when)
        mark = self.last_event(task)
        evidence = SimpleUploadedFile(
            "办理情况说明（示例）.txt",
            EVIDENCE.format(title=request.title).encode(),
            content_type="text/plain",
        )
        task.refresh_from_db()
        task_services.perform(
            actor=staff,
            task=task,
            action=TaskEvent.Action.REQUEST_COMPLETION,
            note=text,
            evidence=[evidence],
            today=on,
        )
        requests.request_resolve(
            actor=self.manager,
            request=request,
            resolution=text,
            score_timeliness=90,
            score_quality=90,
            today=on,
        )
        self.stamp(task, mark, on)

    @staticmethod
    def last_event(task: Task) -> int:
        last: int | None = TaskEvent.objects.filter(task=task).aggregate(last=Max("id"))["last"]
        return last or 0

    def stamp(self, task: Task, mark: int, day: datetime.date, field: str = "") -> None:
        """Date the task's steps after `mark` (and its time stamp `field`) on the day played."""
        self.minute = (self.minute + 7) % 480
        moment = datetime.datetime.combine(day, datetime.time(9, 0))
        at = timezone.make_aware(moment + datetime.timedelta(minutes=self.minute))
        TaskEvent.objects.filter(task=task, pk__gt=mark).update(at=at)
        if field:
            Task.objects.filter(pk=task.pk).update(**{field: at})
