"""Fleet reviews: an estate's inventory (one row per account, VPC or workload) evaluated as a
pandas table.

:func:`evaluate_frame` takes a DataFrame with a ``decision`` column, one column per
parameter (an empty cell is the parameter's default), optional ``weights.<criterion>``,
``prices.<item>``, ``exclude`` and ``current_option`` columns, and any number of the user's
own columns (account, owner, ...), passed through. One inventory may mix decisions. It
returns one row per input row: the recommendation, its monthly cost, the runner-up, the
verdict, why the current option is ruled out or outscored, the monthly saving against it, and
an ``error`` for a row whose input is invalid (the other rows still evaluate).

Rows are evaluated in partitions, each a plain picklable job
(:func:`evaluate_partition`), so an executor may run them in this process, in worker
processes or as Dask tasks (:mod:`archlib._executors`) with the same result.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from . import decisions
from ._engine import Evaluation, evaluate_priced
from ._errors import InputError, one_line
from ._money import cents
from ._prices import PriceTable, load_prices
from ._scenario import check_plain
from ._yaml import load_yaml

if TYPE_CHECKING:
    import pandas as pd

    from ._executors import Executor

__all__ = [
    "DECISION_COLUMN",
    "INVENTORY_FORMATS",
    "MAX_INVENTORY_BYTES",
    "MAX_INVENTORY_ROWS",
    "MISSING",
    "PARTITION_ROWS",
    "RESULT_COLUMNS",
    "FleetProgress",
    "Missing",
    "evaluate_frame",
    "evaluate_partition",
    "frame_records",
    "option_frame",
    "parameter_columns",
    "plain_value",
    "read_inventory",
    "row_input",
    "user_columns",
]

DECISION_COLUMN = "decision"
CURRENT_COLUMN = "current_option"
EXCLUDE_COLUMN = "exclude"
WEIGHT_PREFIX = "weights."
PRICE_PREFIX = "prices."
#: What :func:`evaluate_frame` adds after the user's own columns, in this order.
RESULT_COLUMNS = (
    "decision",             # as given
    "recommended",          # the option ranked first (empty: none is feasible)
    "recommended_monthly_usd",
    "runner_up",
    "verdict",              # clear, leaning, too-close-to-call (empty: nothing ranked)
    "current_option",       # as given (empty: not known)
    "current_monthly_usd",
    "monthly_saving_usd",   # current minus recommended, to the cent
    "current_status",       # recommended, outscored, ruled-out or excluded
    "why_not_current",      # the rules that rule it out, or what outscores it
    "flagged",              # needs a reviewer: current differs or is ruled out, or too close
    "error",                # one line when the row's input is invalid
)
_MONEY = ("recommended_monthly_usd", "current_monthly_usd", "monthly_saving_usd")
#: Rows per job: small enough to spread over a few workers, large enough that a job's
#: overhead (pickling, scheduling) is a few percent of it.
PARTITION_ROWS = 500
#: The last jobs are smaller (down to ``PARTITION_ROWS`` divided by this): the workers then
#: finish together, instead of one running a whole job while the others wait.
_TAIL_DIVISOR = 5
#: An inventory's size limits (a file, and rows): a review of an estate, not a data lake.
MAX_INVENTORY_BYTES = 256 << 20
MAX_INVENTORY_ROWS = 1_000_000
#: YAML inventories are tables: their value bound grows with rows (about 30 values each).
_YAML_VALUES_PER_ROW = 64
INVENTORY_FORMATS = (".csv", ".xlsx", ".parquet", ".yaml", ".yml")


class FleetProgress(Protocol):
    """What :func:`evaluate_frame` reports as partitions finish (the CLI draws a bar):
    ``started(total rows)``, then ``advanced(rows)`` per finished partition."""

    def started(self, total: int) -> None: ...

    def advanced(self, rows: int) -> None: ...


# --- cells to parameters ------------------------------------------------------------------


class Missing:
    """An empty cell: the parameter keeps its default."""


MISSING = Missing()


def plain_value(value: Any) -> Any:
    """A cell as plain Python data: numpy scalars unwrapped, NaN/None/NA/empty text as
    :data:`MISSING`, text stripped, array cells (Parquet lists) as lists."""
    if value is None:
        return MISSING
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "shape", None) == ():  # a numpy scalar
        value = item()
    elif hasattr(value, "tolist"):  # a numpy array cell (a Parquet list column)
        return [plain_value(v) for v in value.tolist()]
    if isinstance(value, float) and math.isnan(value):
        return MISSING
    if isinstance(value, str):
        value = value.strip()
        return value if value else MISSING
    if type(value).__name__ in ("NAType", "NaTType"):
        return MISSING
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    return value


@lru_cache(maxsize=512)
def _adapter(decision_id: str, field: str) -> Any:
    from pydantic import TypeAdapter

    annotation = decisions.get(decision_id).params_model.model_fields[field].annotation
    return TypeAdapter(annotation)


def _accepts(decision_id: str, field: str, value: Any) -> bool:
    """The field's type takes ``value`` as it is (strictly: no conversion)."""
    from pydantic import ValidationError

    try:
        _adapter(decision_id, field).validate_python(value, strict=True)
    except ValidationError:
        return False
    return True


@lru_cache(maxsize=4096)
def _accepts_text(decision_id: str, field: str, text: str) -> bool:
    """:func:`_accepts` of a text cell, kept: an inventory repeats the same few texts
    (Regions, tiers, modes) in thousands of rows."""
    return _accepts(decision_id, field, text)


@lru_cache(maxsize=512)
def _is_list_field(decision_id: str, field: str) -> bool:
    return _accepts(decision_id, field, [])


_INT = re.compile(r"[-+]?[0-9]{1,18}")
_FLOAT = re.compile(r"[-+]?(?:[0-9]{1,18}\.[0-9]{0,18}|\.[0-9]{1,18})")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
          "FALSE": False}


def _scalar(text: str, where: str, field: str) -> Any:
    """A cell's text as YAML reads it (:func:`archlib._yaml.load_yaml`), with the common
    plain forms (whole and decimal numbers, true/false) read directly: an inventory has
    thousands of them, and each is what the YAML core schema makes of it."""
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if text in _BOOLS:
        return _BOOLS[text]
    return load_yaml(text, where=where, field=field)


def _typed(decision_id: str, field: str, value: Any, where: str) -> Any:
    """A cell as the value the field's type takes: text the type accepts stays text
    (``us-east-1``, ``enterprise``); other text is read as YAML, as ``--set`` reads it
    (``3``, ``true``, ``[s3, rds]``); ``s3; rds`` is a list for a list field; a whole float
    (Excel's 3.0) is an integer where the field wants one."""
    if isinstance(value, str) and not _accepts_text(decision_id, field, value):
        if _is_list_field(decision_id, field) and not value.startswith("["):
            return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
        value = _scalar(value, where, field)
    if (isinstance(value, float) and value.is_integer()
            and not _accepts(decision_id, field, value)
            and _accepts(decision_id, field, int(value))):
        return int(value)
    return value


def _number(value: Any, where: str, field: str) -> Any:
    """A weight or price cell: a number (text is read as YAML)."""
    if isinstance(value, str):
        value = _scalar(value, where, field)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"must be a number (got {value!r:.40})", where=where, field=field)
    return value


def _option_list(value: Any, where: str) -> list[str]:
    """``exclude``: option ids as a list, or text separated by commas or semicolons."""
    if isinstance(value, str):
        if value.startswith("["):
            value = load_yaml(value, where=where, field=EXCLUDE_COLUMN)
        else:
            return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError("must be option ids separated by commas", where=where,
                         field=EXCLUDE_COLUMN)
    return value


@dataclass(frozen=True)
class _RowInput:
    decision_id: str
    params: dict[str, Any]
    prices: dict[str, Any]
    exclude: list[str]
    current: str | None

    def key(self) -> str:
        """Equal inputs evaluate once (inventories repeat the same workload shape)."""
        return json.dumps([self.decision_id, self.params, self.prices, self.exclude],
                          sort_keys=True, default=repr)


def row_input(record: Mapping[str, Any], parameter_columns: Sequence[str],
               where: str) -> _RowInput:
    """One inventory row as an evaluation's inputs; an :class:`InputError` naming the row
    and the field when it is invalid."""
    decision_id = record.get(DECISION_COLUMN, MISSING)
    if isinstance(decision_id, Missing):
        raise InputError("is empty: every row names its decision (see `archlib list`)",
                         where=where, field=DECISION_COLUMN)
    if not isinstance(decision_id, str):
        raise InputError(f"must be a decision id (got {decision_id!r:.40})", where=where,
                         field=DECISION_COLUMN)
    try:
        decision = decisions.get(decision_id)
    except InputError as error:
        raise error.located(where) from None
    fields = decision.params_model.model_fields
    params: dict[str, Any] = {}
    weights: dict[str, Any] = {}
    prices: dict[str, Any] = {}
    for column in parameter_columns:
        value = record.get(column, MISSING)
        if isinstance(value, Missing):
            continue
        if column.startswith(WEIGHT_PREFIX):
            weights[column.removeprefix(WEIGHT_PREFIX)] = _number(value, where, column)
        elif column.startswith(PRICE_PREFIX):
            prices[column.removeprefix(PRICE_PREFIX)] = _number(value, where, column)
        elif column not in fields:
            raise InputError(f"is not a parameter of {decision_id} (leave it empty in its "
                             "rows)", where=where, field=column)
        else:
            params[column] = _typed(decision_id, column, value, where)
    if weights:
        params["weights"] = weights
    check_plain(params, field_name="", where=where)
    check_plain(prices, field_name="prices", where=where)
    exclude_cell = record.get(EXCLUDE_COLUMN, MISSING)
    exclude = [] if isinstance(exclude_cell, Missing) else _option_list(exclude_cell, where)
    current = record.get(CURRENT_COLUMN, MISSING)
    if isinstance(current, Missing):
        current = None
    elif not isinstance(current, str) or current not in decision.option_ids:
        raise InputError(f"unknown option {current!r:.60} (options of {decision_id}: "
                         f"{', '.join(decision.option_ids)})", where=where,
                         field=CURRENT_COLUMN)
    return _RowInput(decision_id, params, prices, exclude, current)


# --- one evaluation as a result row ---------------------------------------------------------


def _reasons(ev: Evaluation, current: str) -> tuple[str, str]:
    """(status, why) of the current option in ``ev``."""
    result = ev.option(current)
    if current == ev.recommended:
        return "recommended", ""
    if not result.feasible:
        return "ruled-out", "; ".join(f"{v.message} [{v.source}]" for v in result.violations)
    if result.excluded:
        return "excluded", "excluded by you (exclude)"
    best = ev.option(ev.recommended) if ev.recommended else None
    why = (f"outscored: {result.score:.1f} points against {best.id}'s {best.score:.1f}"
           if best is not None and best.score is not None and result.score is not None
           else "outscored")
    if result.dominated_by:
        why += f"; dominated by {', '.join(result.dominated_by)}"
    return "outscored", why


def _result(ev: Evaluation, current: str | None) -> dict[str, Any]:
    best = ev.option(ev.recommended) if ev.recommended else None
    verdict = ev.verdict_level  # the level only: no volume break-evens (it needs none)
    row: dict[str, Any] = {
        "decision": ev.decision.id,
        "recommended": ev.recommended,
        "recommended_monthly_usd": best.monthly_cost_usd if best else None,
        "runner_up": ev.runner_up,
        "verdict": verdict,
        "current_option": current,
        "current_monthly_usd": None,
        "monthly_saving_usd": None,
        "current_status": None,
        "why_not_current": None,
        "flagged": ev.recommended is None or verdict == "too-close-to-call",
        "error": None,
    }
    if current is not None:
        status, why = _reasons(ev, current)
        cost = ev.option(current).monthly_cost_usd
        saving = (None if cost is None or best is None or best.monthly_cost_usd is None
                  else cents(cost - best.monthly_cost_usd))
        row.update(current_monthly_usd=cost, monthly_saving_usd=saving,
                   current_status=status, why_not_current=why or None,
                   flagged=row["flagged"] or status != "recommended")
    return row


def _error_row(record: Mapping[str, Any], error: InputError) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS)
    for column in (DECISION_COLUMN, CURRENT_COLUMN):
        value = record.get(column, MISSING)
        row[column] = None if isinstance(value, Missing) else one_line(str(value), 100)
    row["flagged"] = False
    row["error"] = error.line()
    return row


class _PriceTables:
    """One batch's price tables: :func:`~archlib._prices.load_prices` once per Region and
    set of ``prices.*`` overrides, not once per row (a table is frozen and shared read-only;
    a failed load is not kept, so each such row gets its own error)."""

    def __init__(self) -> None:
        self._tables: dict[tuple[str, str], PriceTable] = {}

    def __call__(self, region: str, overrides: Mapping[str, Any] | None) -> PriceTable:
        # Keyed by the overrides as JSON, sorted: equal maps share, 1 and 1.0 do not.
        key = (region, json.dumps(dict(overrides or {}), sort_keys=True, default=repr))
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = load_prices(region, overrides)
        return table


def _plain_record(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A row's cells as plain data (:func:`plain_value`), empty cells left out: a missing
    key reads as :data:`MISSING` everywhere, and most of a wide inventory's cells are empty
    text (a CSV row has a column for every decision's parameters)."""
    record: dict[str, Any] = {}
    for key, value in raw.items():
        if type(value) is str:  # the common case, read exactly as plain_value reads it
            value = value.strip()
            if value:
                record[key] = value
        elif not isinstance(value := plain_value(value), Missing):
            record[key] = value
    return record


def evaluate_partition(records: Sequence[Mapping[str, Any]], parameter_columns: Sequence[str],
                       first_row: int) -> list[dict[str, Any]]:
    """The result rows of consecutive inventory rows (cells as plain data; row numbers from
    ``first_row``, counted from 1). A plain function of picklable arguments: the job every
    executor runs."""
    out: list[dict[str, Any]] = []
    evaluated: dict[str, Evaluation | InputError] = {}
    tables = _PriceTables()
    for n, raw in enumerate(records):
        where = f"row {first_row + n}"
        record = _plain_record(raw)
        try:
            row = row_input(record, parameter_columns, where)
            key = row.key()
            if key not in evaluated:
                try:
                    evaluated[key] = evaluate_priced(decisions.get(row.decision_id),
                                                     row.params, tables, prices=row.prices,
                                                     exclude=row.exclude)
                except InputError as error:
                    evaluated[key] = error
            found = evaluated[key]
            if isinstance(found, InputError):
                raise found.located(where)
            out.append(_result(found, row.current))
        except InputError as error:
            out.append(_error_row(record, error))
    return out


# --- the frame --------------------------------------------------------------------------------


def parameter_columns(columns: Iterable[str]) -> list[str]:
    """The columns that are decision inputs (every registered decision's parameters,
    ``weights.*``, ``prices.*``); the rest, but the special ones, are the user's own."""
    known: set[str] = set()
    for decision in decisions.all_decisions():
        known.update(decision.params_model.model_fields)
    known -= {"weights", "exclude"}
    return [c for c in columns
            if c in known or c.startswith((WEIGHT_PREFIX, PRICE_PREFIX))]


def user_columns(columns: Iterable[str]) -> list[str]:
    inputs = set(parameter_columns(columns)) | {DECISION_COLUMN, CURRENT_COLUMN,
                                                 EXCLUDE_COLUMN}
    return [c for c in columns if c not in inputs]


def _check_columns(frame: pd.DataFrame, where: str) -> list[str]:
    columns = list(frame.columns)
    for column in columns:
        if not isinstance(column, str):
            raise InputError(f"column names must be text (got {column!r:.40})", where=where)
    if len(set(columns)) != len(columns):
        twice = sorted({c for c in columns if columns.count(c) > 1})
        raise InputError(f"column {twice[0]!r} appears twice", where=where)
    if DECISION_COLUMN not in columns:
        raise InputError("has no 'decision' column (one decision id per row; see "
                         "`archlib list`)", where=where, field=DECISION_COLUMN)
    for column in user_columns(columns):
        if column in RESULT_COLUMNS:
            raise InputError(f"column {column!r} is a result column: rename it", where=where,
                             field=column)
    if len(frame) > MAX_INVENTORY_ROWS:
        raise InputError(f"has {len(frame):,} rows, more than {MAX_INVENTORY_ROWS:,}",
                         where=where)
    return columns


def evaluate_frame(frame: pd.DataFrame, *, where: str = "inventory",
                   executor: Executor | None = None,
                   progress: FleetProgress | None = None) -> pd.DataFrame:
    """One result row per row of ``frame`` (same index): the user's own columns as given,
    then :data:`RESULT_COLUMNS`. A row whose input is invalid has its ``error``; the others
    still evaluate. ``executor`` runs the partitions (default: this process); results are
    the same whichever runs them. Raises :class:`InputError` for a frame that cannot be an
    inventory (no ``decision`` column, duplicate or result-named columns)."""
    import pandas as pd

    columns = _check_columns(frame, where)
    param_columns = parameter_columns(columns)
    inputs = [*param_columns, DECISION_COLUMN, CURRENT_COLUMN, EXCLUDE_COLUMN]
    present = [c for c in inputs if c in columns]
    records = frame_records(frame[present])
    jobs = [(records[start:end], param_columns, start + 1)
            for start, end in _partition_bounds(len(records))]
    if progress is not None:
        progress.started(len(records))
    rows: list[dict[str, Any]] = []
    for part in _run(jobs, executor, progress):
        rows.extend(part)
    results = pd.DataFrame(rows, columns=list(RESULT_COLUMNS), index=frame.index)
    for column in _MONEY:
        results[column] = results[column].astype("float64")
    results["flagged"] = results["flagged"].astype(bool)
    user = frame[user_columns(columns)]
    return pd.concat([user, results], axis=1)


def _partition_bounds(rows: int, size: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each job over ``rows`` rows, in order: one job for at most ``size``
    rows (default :data:`PARTITION_ROWS`); more, ``size`` rows each until two jobs' worth is
    left, then a quarter of what is left, no fewer than ``size / _TAIL_DIVISOR`` (a
    last job smaller than that joins the one before it)."""
    size = PARTITION_ROWS if size is None else size
    if rows <= size:
        return [(0, rows)] if rows else []
    smallest = max(1, math.ceil(size / _TAIL_DIVISOR))
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < rows:
        left = rows - start
        step = size if left > 2 * size else max(smallest, math.ceil(left / 4))
        if left - step < smallest:
            step = left
        bounds.append((start, start + step))
        start += step
    return bounds


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict("records")``, column by column: each column's ``tolist()`` gives the
    same Python values (numpy scalars unwrapped; a nullable column's empty cell is ``NA``
    where ``to_dict`` gives None, both empty to :func:`plain_value`), several times quicker
    on text columns (seconds for 10,000 rows of ~90 columns, before any partition starts)."""
    columns = list(frame.columns)
    if not len(frame):
        return []
    return [dict(zip(columns, row, strict=True))
            for row in zip(*(frame.iloc[:, i].tolist() for i in range(len(columns))),
                           strict=True)]


def _run(jobs: Sequence[tuple[Any, ...]], executor: Executor | None,
         progress: FleetProgress | None) -> list[list[dict[str, Any]]]:
    """Each job's result rows, in job order."""
    done: dict[int, list[dict[str, Any]]] = {}
    if executor is None:
        for i, job in enumerate(jobs):
            done[i] = evaluate_partition(*job)
            if progress is not None:
                progress.advanced(len(done[i]))
        return [done[i] for i in range(len(jobs))]
    from ._executors import Failure

    for i, outcome in executor.run(evaluate_partition, jobs):
        records, _, first = jobs[i]
        if isinstance(outcome, Failure):  # the job was lost (a worker died, retries spent)
            error = InputError(f"not evaluated: {outcome.reason}", where=f"rows {first}-"
                               f"{first + len(records) - 1}")
            outcome = [_error_row({k: plain_value(v) for k, v in r.items()}, error)
                       for r in records]
        done[i] = outcome
        if progress is not None:
            progress.advanced(len(outcome))
    return [done[i] for i in range(len(jobs))]


# --- one evaluation's options ------------------------------------------------------------


def option_frame(ev: Evaluation) -> pd.DataFrame:
    """The option table of one evaluation, one row per option in the decision's order:
    rank (empty when not ranked), feasible, excluded, score, monthly cost, one ``cost.<item>``
    column per cost item, one ``criterion.<id>`` column per criterion (raw values), and the
    rules that rule the option out. Behind :meth:`Evaluation.to_frame`."""
    import pandas as pd

    rank = {o: i + 1 for i, o in enumerate(ev.ranking)}
    items = list(dict.fromkeys(k for o in ev.options for k in o.cost_breakdown))
    rows = []
    for o in ev.options:
        row: dict[str, Any] = {
            "option": o.id, "title": o.title, "rank": rank.get(o.id),
            "feasible": o.feasible, "excluded": o.excluded, "score": o.score,
            "monthly_cost_usd": o.monthly_cost_usd,
        }
        row.update({f"cost.{k}": o.cost_breakdown.get(k) for k in items})
        row.update({f"criterion.{c.id}": o.criteria.get(c.id) for c in ev.decision.criteria})
        row["ruled_out_by"] = "; ".join(f"{v.rule} [{v.source}]" for v in o.violations) or None
        row["dominated_by"] = ", ".join(o.dominated_by) or None
        rows.append(row)
    frame = pd.DataFrame(rows).set_index("option")
    frame["rank"] = frame["rank"].astype("Int64")
    numeric = ["score", "monthly_cost_usd", *(f"cost.{k}" for k in items),
               *(f"criterion.{c.id}" for c in ev.decision.criteria)]
    frame[numeric] = frame[numeric].astype("float64")
    return frame


# --- inventory files --------------------------------------------------------------------------


def read_inventory(path: Path | str) -> pd.DataFrame:
    """An inventory file as a DataFrame: CSV (every cell read as text, empty = default),
    Excel ``.xlsx`` (the first sheet), Parquet, or YAML (a list of rows, or a map with a
    ``rows`` list; nested ``weights:``/``prices:`` maps become ``weights.<id>`` columns).
    Raises :class:`InputError` naming the file for anything unreadable."""
    import pandas as pd

    where = str(path)
    suffix = Path(path).suffix.lower()
    if suffix not in INVENTORY_FORMATS:
        raise InputError(f"unknown inventory format {suffix or '(no suffix)'!r} (use "
                         f"{', '.join(INVENTORY_FORMATS)})", where=where)
    try:
        size = Path(path).stat().st_size
    except FileNotFoundError:
        raise InputError("no such inventory file", where=where) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", where=where) from None
    if size > MAX_INVENTORY_BYTES:
        raise InputError(f"larger than {MAX_INVENTORY_BYTES >> 20} MiB", where=where)
    readers: dict[str, Callable[[], pd.DataFrame]] = {
        ".csv": lambda: pd.read_csv(path, dtype=str, keep_default_na=False,
                                    encoding="utf-8"),
        ".xlsx": lambda: pd.read_excel(path, dtype=object, engine="openpyxl"),
        ".parquet": lambda: pd.read_parquet(path),
        ".yaml": lambda: _read_yaml(Path(path), where),
        ".yml": lambda: _read_yaml(Path(path), where),
    }
    try:
        frame = readers[suffix]()
    except InputError:
        raise
    except Exception as error:  # each library has its own errors: one line, no traceback
        name = type(error).__name__
        text = " ".join(str(error).split())
        raise InputError(f"cannot read as {suffix[1:]}: {name}: {text}", where=where) from None
    frame.columns = [str(c).strip() if isinstance(c, str) else c for c in frame.columns]
    return frame


def _read_yaml(path: Path, where: str) -> pd.DataFrame:
    import pandas as pd

    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise InputError("cannot read: not UTF-8 text", where=where) from None
    lines = text.count("\n") + 1
    data = load_yaml(text, where=where, max_nodes=max(10_000, _YAML_VALUES_PER_ROW * lines))
    if isinstance(data, dict) and set(data) == {"rows"}:
        data = data["rows"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InputError("a YAML inventory is a list of rows (maps), or a map with a 'rows' "
                         "list", where=where)
    for n, row in enumerate(data):  # row by row: the value bound is per row
        check_plain(row, field_name=f"rows.{n + 1}", where=where)
    return pd.json_normalize(data, sep=".") if data else pd.DataFrame({DECISION_COLUMN: []})
