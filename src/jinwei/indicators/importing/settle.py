"""Step 3 of the check: the prepared candidates against what is stored (see `pipeline`).

New, changed or unchanged; approved values are locked; abnormal swings warn; values behind target
(red) are an error for a unit that did not explain them, or an explanation left due for a
statistician's import. Stored rows are loaded once, in chunks, for the file's keys (and the
year-ago keys the swing and target rules need); nothing is queried per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from jinwei.indicators import progress as progress_rules
from jinwei.indicators import services, validation
from jinwei.indicators.importing.layouts import Record
from jinwei.indicators.importing.lookups import Lookups
from jinwei.indicators.importing.pipeline import (
    CHUNK,
    Candidate,
    Change,
    Issue,
    Key,
    Options,
    Outcome,
    Report,
    Stored,
    issue_at,
    paused_gc,
    prepare,
    quiet,
    read_and_prepare,
)
from jinwei.indicators.models import Observation, Target
from jinwei.indicators.validation import ERROR, WARNING, Problem

# --- 3. candidates against the database -----------------------------------------------------------


def load_stored(keys: Iterable[Key], *, lock: bool = False) -> dict[Key, Stored]:
    """The stored observations for `keys`, in chunks of indicators and periods."""
    wanted = set(keys)
    indicator_ids = sorted({k[0] for k in wanted})
    periods = sorted({k[3] for k in wanted})
    found: dict[Key, Stored] = {}
    columns = (
        "id", "indicator_id", "region_id", "unit_id", "period", "value", "growth_rate",
        "source", "explanation", "explanation_due", "status", "version", "batch_id",
    )  # fmt: skip
    for i in range(0, len(indicator_ids), CHUNK):
        for j in range(0, len(periods), CHUNK):
            rows = Observation.objects.filter(
                indicator_id__in=indicator_ids[i : i + CHUNK], period__in=periods[j : j + CHUNK]
            ).order_by()
            if lock and connection.features.has_select_for_update:
                rows = rows.select_for_update()
            for row in rows.values_list(*columns):
                key = (row[1], row[2], row[3], row[4])
                if key in wanted:
                    found[key] = Stored(row[0], *row[5:])
    return found


TargetKey = tuple[int, int | None, int | None, int]


def _load_targets(
    candidates: list[Candidate],
) -> dict[TargetKey, Target]:
    indicator_ids = sorted({c.key[0] for c in candidates})
    years = sorted({c.period.year for c in candidates})
    targets = {}
    for i in range(0, len(indicator_ids), CHUNK):
        rows = Target.objects.filter(indicator_id__in=indicator_ids[i : i + CHUNK], year__in=years)
        for target in rows:
            targets[(target.indicator_id, target.region_id, target.unit_id, target.year)] = target
    return targets


def _diff(stored: Stored, candidate: Candidate) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if stored.value != candidate.value:
        fields["value"] = candidate.value
    if candidate.growth is not None and stored.growth != candidate.growth:
        fields["growth_rate"] = candidate.growth
    if candidate.source and stored.source != candidate.source:
        fields["source"] = candidate.source
    if candidate.explanation and stored.explanation != candidate.explanation:
        fields["explanation"] = candidate.explanation
    return fields


def _at_value(issue: Problem, candidate: Candidate) -> Issue:
    return issue_at(issue, candidate.spec, candidate.row, candidate.spec.value)


def settle(
    outcome: Outcome, options: Options, *, lock: bool = False, report: Report = quiet
) -> None:
    """Compare the candidates with what is stored; fill new, changed, unchanged and the warnings."""
    del outcome.issues[outcome.prepared :]
    outcome.new, outcome.changed, outcome.unchanged = [], [], 0
    outcome.explanation_due = set()
    candidates = outcome.candidates
    report(0, _("Comparing with stored values"))
    targets = _load_targets(candidates) if candidates else {}
    with_target = {(k[0], k[3]) for k in targets}  # (indicator, year)
    earlier = _earlier_periods(candidates)  # period text -> (year ago, last year's end)
    in_file = {c.key: c.value for c in candidates}
    # The year-ago keys the swing rule compares with, per candidate (None: no swing rule); the
    # stored values wanted are the file's keys, and the year-ago and last-year-end keys (growth
    # targets) that the file does not hold.
    year_ago_keys: list[Key | None] = []
    related: set[Key] = set(in_file)
    for c in candidates:
        indicator_id, region_id, unit_id, text = c.key
        targeted = bool(with_target) and (indicator_id, c.period.year) in with_target
        if c.indicator.swing_warning is None and not targeted:
            year_ago_keys.append(None)
            continue
        ago_text, end_text = earlier[text]
        ago_key = (indicator_id, region_id, unit_id, ago_text)
        year_ago_keys.append(ago_key if c.indicator.swing_warning is not None else None)
        if ago_key not in in_file:
            related.add(ago_key)
        if targeted:
            related.add((indicator_id, region_id, unit_id, end_text))
    stored = load_stored(related, lock=lock)
    report(50, _("Comparing with stored values"))
    approver = _approver(options)
    approved = Observation.Status.APPROVED
    new, changed, issues = outcome.new, outcome.changed, outcome.issues
    unchanged = 0
    for candidate, ago in zip(candidates, year_ago_keys, strict=True):
        key = candidate.key
        old = stored.get(key)
        fields: dict[str, Any] = {}
        if old is not None:
            fields = _diff(old, candidate)
            if not fields:
                unchanged += 1
                continue
            if old.status == approved:
                problem = validation.locked_problem(candidate.indicator, candidate.period)
                issues.append(_at_value(problem, candidate))
                continue
        if ago is not None:  # the swing rule (`validation.check_swing`, its test inlined)
            before = in_file.get(ago)
            if before is None and ago in stored:
                before = stored[ago].value
            if before:  # neither missing nor zero
                limit = candidate.indicator.swing_warning
                if abs((candidate.value - before) / abs(before) * 100) > limit:  # type: ignore[operator]
                    swing = validation.check_swing(candidate.indicator, candidate.value, before)
                    if swing is not None:
                        issues.append(_at_value(swing, candidate))
        if with_target and (key[0], candidate.period.year) in with_target:
            explained = bool(candidate.explanation or (old and old.explanation))
            context = (in_file, stored, earlier[key[3]][1])
            if not _check_target(outcome, candidate, targets, context, approver, explained):
                continue
        if old is None:
            new.append(candidate)
        else:
            changed.append(Change(old, candidate, fields))
    outcome.unchanged = unchanged


def _earlier_periods(candidates: list[Candidate]) -> dict[str, tuple[str, str]]:
    """For each period text of the file: the period a year before, and last year's last period
    (computed once per distinct period; a file has few)."""
    periods = {c.key[3]: c.period for c in candidates}
    earlier = {}
    for text, period in periods.items():
        year_end = period.periods_of_year()[-1]
        earlier[text] = (str(period.year_ago()), str(year_end.year_ago()))
    return earlier


def _approver(options: Options) -> bool:
    """Statisticians, supervisors and admins (and system imports) leave explanations due."""
    if options.actor is None:
        return True
    return services.may_approve(options.actor, options.government.pk)


def _value_at(key: Key, in_file: dict[Key, Decimal], stored: dict[Key, Stored]) -> Decimal | None:
    if key in in_file:
        return in_file[key]
    old = stored.get(key)
    return old.value if old else None


Context = tuple[dict[Key, Decimal], dict[Key, Stored], str]  # in file, stored, last year's end


def _check_target(
    outcome: Outcome,
    candidate: Candidate,
    targets: dict[TargetKey, Target],
    context: Context,
    approver: bool,
    explained: bool,
) -> bool:
    """False if the value is behind target (red) and the importer must explain it but did not."""
    indicator_id, region_id, unit_id, _period = candidate.key
    target = targets.get((indicator_id, region_id, unit_id, candidate.period.year))
    if target is None or explained:
        return True
    status = _progress(candidate, target, context)
    if status is None or status.colour != progress_rules.Colour.RED:
        return True
    points = f"{status.points_behind:.1f}"
    if approver:
        outcome.explanation_due.add(candidate.key)
        message = _(
            "%(indicator)s is %(points)s points behind time progress (red): the owning unit "
            "will be asked for an explanation."
        ) % {"indicator": candidate.indicator.name, "points": points}
        outcome.issues.append(_at_value(Problem(WARNING, "explanation_due", message), candidate))
        return True
    message = _(
        "%(indicator)s is %(points)s points behind time progress (red): give an explanation."
    ) % {"indicator": candidate.indicator.name, "points": points}
    outcome.issues.append(_at_value(Problem(ERROR, "explanation_required", message), candidate))
    return False


def _progress(
    candidate: Candidate, target: Target, context: Context
) -> progress_rules.Progress | None:
    """As `services.target_progress`, with last year's total from the file or the preloaded rows."""
    indicator, period = candidate.indicator, candidate.period
    if target.kind == Target.Kind.GROWTH and candidate.growth is not None:
        return progress_rules.progress(
            value=candidate.growth, period=period, level=target.value, cumulative=False
        )
    in_file, stored, last_year_end = context
    indicator_id, region_id, unit_id, _period = candidate.key
    last_year = _value_at((indicator_id, region_id, unit_id, last_year_end), in_file, stored)
    level = progress_rules.target_level(
        kind=target.kind, target=target.value, last_year_total=last_year
    )
    if level is None:
        return None
    return progress_rules.progress(
        value=candidate.value,
        period=period,
        level=level,
        cumulative=indicator.is_cumulative,
        higher_is_better=indicator.higher_is_better,
    )


# --- the whole check ----------------------------------------------------------------------------


def check_file(path: Path, options: Options, report: Report = quiet) -> Outcome:
    """The dry run: what an import of `path` would do, and every problem, without writing."""
    with paused_gc():
        outcome = read_and_prepare(path, options, report)
        settle(outcome, options, report=lambda p, n: report(80 + p // 5, n))
    report(100, _("Checked"))
    return outcome


def prepare_records(records: list[Record], options: Options) -> Outcome:
    """Step 2 for records that did not come from a file (the API)."""
    outcome = Outcome()
    prepare(records, Lookups.load(options.government), options, outcome, total=len(records))
    return outcome
