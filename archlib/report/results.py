"""A batch's machine-readable results (``results.json`` beside the index) and the comparison
with a previous run's (``archlib report --compare-to OLD``), like infracost's diff: per
report what changed since (recommendation old -> new, monthly cost old -> new with the
difference in USD and %, verdict), "new" for reports the old run did not have, and the
reports it had that are gone."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .. import __version__
from .._errors import InputError, from_validation_error
from .._money import cents
from ..formatting import usd

if TYPE_CHECKING:
    from .jobs import ReportOutcome, ReportRow

__all__ = ["RESULTS_FILE", "RESULTS_FORMAT", "Comparison", "PreviousRun", "Since",
           "compare_row", "read_previous", "results_json", "since_html", "since_index_html"]

#: The file in every batch's output folder.
RESULTS_FILE = "results.json"
#: Its ``format`` key: a reader refuses any other.
RESULTS_FORMAT = "archlib-results/1"
#: A results file larger than this is not one of ours (a batch of 1,000 reports is ~1 MB).
_MAX_BYTES = 64 << 20
_LEVELS = {"clear": "clear", "leaning": "leaning", "too-close-to-call": "too close to call"}


def _row_dict(r: ReportRow) -> dict[str, Any]:
    ev = r.evaluation
    title = (ev.option(r.recommended).title if ev is not None and r.recommended is not None
             else None)
    return {
        "report": r.report_id, "scenario": r.scenario, "scenario_name": r.scenario_name,
        "decision": r.decision, "ok": r.ok, "reason": r.reason, "html": r.html_path,
        "recommended": r.recommended, "recommended_title": title,
        "monthly_cost_usd": None if r.monthly_cost_usd is None else cents(r.monthly_cost_usd),
        "runner_up": r.runner_up,
        "verdict": None if ev is None or ev.verdict is None else ev.verdict.level,
        "prices_as_of": r.prices_as_of,
        "variants": [v.to_dict() for v in r.variants],
    }


def results_json(outcome: ReportOutcome, stamp: str) -> str:
    """The batch's ``results.json``: one entry per row of the index, in its order; the same
    inputs give the same bytes (the timestamp honours ``SOURCE_DATE_EPOCH``)."""
    data = {"format": RESULTS_FORMAT, "archlib": __version__, "generated_at": stamp,
            "reports": [_row_dict(r) for r in outcome.rows]}
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


class _OldVariant(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)

    name: str
    recommended: str | None = None


class _OldReport(BaseModel):
    """What a comparison reads of an older run's entry (newer keys are ignored)."""

    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)

    report: str
    scenario_name: str = ""
    decision: str = ""
    ok: bool
    recommended: str | None = None
    recommended_title: str | None = None
    monthly_cost_usd: float | None = None
    verdict: str | None = None
    variants: list[_OldVariant] = []


class _OldResults(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    format: str
    generated_at: str = ""
    reports: list[_OldReport]


@dataclass(frozen=True)
class PreviousRun:
    """An older batch's results: its folder as given, when it ran, its entries by report."""

    folder: str
    generated_at: str
    reports: dict[str, _OldReport]


def read_previous(folder: Path | str) -> PreviousRun:
    """The ``results.json`` of an older output folder. A folder that is missing, has no
    results file, or one that is not JSON or not ours is one :class:`InputError` line
    (``--compare-to``)."""
    where = "--compare-to"
    base = Path(folder)
    if not base.is_dir():
        raise InputError("no such folder (give the output folder of an earlier archlib "
                         "report)", where=where, field=str(folder))
    path = base / RESULTS_FILE
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"has no {RESULTS_FILE} (written by archlib report since issue 18; "
                         "run the old batch again, or compare with a newer one)", where=where,
                         field=str(folder)) from None
    except OSError as error:
        raise InputError(f"cannot read {RESULTS_FILE}: {error.strerror or error}",
                         where=where, field=str(folder)) from None
    if len(data) > _MAX_BYTES:
        raise InputError(f"{RESULTS_FILE} is larger than {_MAX_BYTES >> 20} MiB: not an "
                         "archlib results file", where=where, field=str(folder))
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = f" (line {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
        raise InputError(f"{RESULTS_FILE} is not valid JSON{line}", where=where,
                         field=str(folder)) from None
    if not isinstance(raw, dict) or raw.get("format") != RESULTS_FORMAT:
        raise InputError(f"{RESULTS_FILE} is not an archlib results file (its format must be "
                         f"{RESULTS_FORMAT!r})", where=where, field=str(folder))
    try:
        old = _OldResults.model_validate(raw)
    except ValidationError as error:
        raise from_validation_error(error, where=f"{where} {folder}/{RESULTS_FILE}") from None
    return PreviousRun(str(folder), old.generated_at, {r.report: r for r in old.reports})


@dataclass(frozen=True)
class Since:
    """One report against the previous run: ``new`` (absent before, or failed then),
    ``changed`` or ``unchanged``, and what changed, in words."""

    status: str
    lines: tuple[str, ...] = ()
    cost_difference_usd: float | None = None


def _cost_line(old: float | None, new: float | None) -> tuple[str, float | None]:
    """``monthly cost: $100.00 -> $112.50 (+$12.50, +12.5%)``, as infracost writes a
    change."""
    if old is None or new is None:
        return (f"monthly cost: {usd(old)} -> {usd(new)}", None)
    delta = round(cents(new) - cents(old), 2)
    sign = "+" if delta > 0 else "-"
    pct = f", {sign}{abs(delta) / cents(old) * 100:.1f}%" if old > 0 else ""
    return (f"monthly cost: {usd(old)} -> {usd(new)} ({sign}{usd(abs(delta))}{pct})", delta)


def compare_row(row: ReportRow, previous: PreviousRun) -> Since:
    """What changed for this row since the previous run."""
    old = previous.reports.get(row.report_id)
    if old is None or not old.ok:
        return Since("new", ("new: not in the previous run" if old is None
                             else "new: failed in the previous run",))
    ev = row.evaluation
    lines: list[str] = []
    if old.recommended != row.recommended:
        new_title = (ev.option(row.recommended).title if ev is not None and row.recommended
                     else row.recommended or "none")
        lines.append(f"recommendation: {old.recommended_title or old.recommended or 'none'}"
                     f" -> {new_title}")
    new_cost = None if row.monthly_cost_usd is None else cents(row.monthly_cost_usd)
    delta = None
    if new_cost != old.monthly_cost_usd:
        line, delta = _cost_line(old.monthly_cost_usd, new_cost)
        lines.append(line)
    level = None if ev is None or ev.verdict is None else ev.verdict.level
    if level != old.verdict:
        lines.append(f"verdict: {_LEVELS.get(old.verdict or '', 'none')} -> "
                     f"{_LEVELS.get(level or '', 'none')}")
    old_variants = {v.name: v.recommended for v in old.variants}
    for variant in row.variants:
        before = old_variants.get(variant.name, variant.evaluation.recommended)
        if before != variant.evaluation.recommended:
            lines.append(f"variant {variant.name!r}: recommendation "
                         f"{_title(row, before)} -> {_title(row, variant.evaluation.recommended)}")
    return Since("changed" if lines else "unchanged", tuple(lines), delta)


def _title(row: ReportRow, option_id: str | None) -> str:
    """An option's title (the id when the decision does not know it, "none" for None)."""
    ev = row.evaluation
    if option_id is None:
        return "none"
    if ev is not None and option_id in ev.decision.option_ids:
        return ev.decision.option(option_id).title
    return option_id


@dataclass(frozen=True)
class Comparison:
    """The whole batch against the previous run: each row's :class:`Since` (by report id)
    and the reports that are gone."""

    previous: PreviousRun
    rows: dict[str, Since]
    gone: tuple[str, ...]

    @classmethod
    def of(cls, rows: tuple[ReportRow, ...] | list[ReportRow],
           previous: PreviousRun) -> Comparison:
        here = {r.report_id for r in rows}
        since = {r.report_id: compare_row(r, previous) for r in rows if r.report_id}
        gone = tuple(sorted(k for k, v in previous.reports.items() if k not in here))
        return cls(previous, since, gone)

    def summary(self) -> str:
        """``1 changed, 4 unchanged, 1 new, 1 gone; monthly cost change +$12.50``."""
        counts = {s: sum(v.status == s for v in self.rows.values())
                  for s in ("changed", "unchanged", "new")}
        total = round(sum(v.cost_difference_usd or 0.0 for v in self.rows.values()), 2)
        sign = "+" if total > 0 else "-" if total < 0 else "±"
        return (f"{counts['changed']} changed, {counts['unchanged']} unchanged, "
                f"{counts['new']} new, {len(self.gone)} gone; monthly cost change of the "
                f"changed reports {sign}{usd(abs(total))}")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def since_html(since: Since, previous: PreviousRun) -> str:
    """The report's band under the summary: what changed since the previous run."""
    when = f" (generated {_e(previous.generated_at)})" if previous.generated_at else ""
    head = {"new": "New since the previous run", "changed": "Changed since the previous run",
            "unchanged": "Unchanged since the previous run"}[since.status]
    items = "".join(f"<li>{_e(line)}</li>" for line in since.lines
                    if since.status != "new")
    return (f'<section class="archlib-since since-{since.status}" aria-label="Since the '
            f'previous run"><p><strong>{_e(head)}</strong>{when}: the recommendation, '
            "monthly cost and verdict compared with that run's results.json.</p>"
            + (f"<ul>{items}</ul>" if items else "") + "</section>")


def since_index_html(since: Since | None) -> str:
    """The index's cell: ``unchanged``, ``new`` or the changes, one per line."""
    if since is None:
        return "-"
    if since.status != "changed":
        return f'<span class="archlib-since-mark since-{since.status}">{since.status}</span>'
    return "<br>".join(_e(line) for line in since.lines)
