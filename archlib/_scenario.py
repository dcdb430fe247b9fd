"""Scenario files: YAML with a name, a description, optional price overrides and the
parameters of each decision it covers."""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._errors import InputError, from_validation_error
from ._prices import MAX_PRICE_USD, load_prices
from ._yaml import MAX_DEPTH, MAX_NODES, load_yaml

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._engine import Evaluation

__all__ = ["MAX_SCENARIO_BYTES", "Scenario", "check_plain", "load_scenario", "parse_scenario",
           "scenario_params",
           "scenario_yaml"]

#: A scenario file's size limit (the bundled ones are 1-2 KB; a description is at most
#: 10,000 characters).
MAX_SCENARIO_BYTES = 1 << 20
#: Control characters refused in any text of a scenario (tab and newline are fine): they
#: would reach terminals, logs, HTML and decision records raw.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class _ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)

    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    prices: dict[str, Annotated[float, Field(ge=0, le=MAX_PRICE_USD)]] = Field(
        default_factory=dict)
    decisions: dict[str, dict[str, Any]] = Field(min_length=1)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    path: str  # as given, for messages
    prices: Mapping[str, float] = field(default_factory=dict)
    decisions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        """A folder name for this scenario's reports: the file's stem (or name), made safe."""
        text = Path(self.path).stem if self.path else self.name
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or "scenario"

    def evaluate(self, decision_id: str, sets: Sequence[str] = (),
                 exclude: Sequence[str] | None = None) -> Evaluation:
        """This scenario's section for ``decision_id``, with ``--set``-style overrides and
        excluded options (:func:`archlib.evaluate_scenario`)."""
        from ._inputs import evaluate_scenario

        return evaluate_scenario(decision_id, self, sets, exclude)


def check_plain(value: Any, *, field_name: str, where: str) -> None:
    """Values must be plain data (str, finite number, bool, null, lists, maps with string
    keys; text without control characters but tab and newline), at most ``MAX_DEPTH`` deep
    and ``MAX_NODES`` values, no cycles: they travel to notebooks as papermill parameters and
    must never be code."""
    _check_plain(value, field_name, where, depth=0, budget=[MAX_NODES], path=set())


def _check_plain(value: Any, field_name: str, where: str, *, depth: int, budget: list[int],
                 path: set[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError(f"more than {MAX_NODES} values", where=where, field=field_name)
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"numbers must be finite (got {value})", where=where,
                             field=field_name)
        return
    if isinstance(value, str):
        _check_text(value, field_name, where)
        return
    if isinstance(value, list | dict):
        if depth >= MAX_DEPTH or id(value) in path:
            problem = (f"nested more than {MAX_DEPTH} levels deep" if depth >= MAX_DEPTH
                       else "contains itself (a cycle)")
            raise InputError(problem, where=where, field=field_name)
        path.add(id(value))
        items = enumerate(value) if isinstance(value, list) else value.items()
        for key, item in items:
            if isinstance(value, dict):
                if not isinstance(key, str):
                    raise InputError(f"keys must be strings (got {key!r})", where=where,
                                     field=field_name)
                _check_text(key, field_name, where)
            _check_plain(item, f"{field_name}.{key}" if field_name else str(key), where,
                         depth=depth + 1, budget=budget, path=path)
        path.discard(id(value))
        return
    kind = "a date" if isinstance(value, _dt.date) else type(value).__name__
    raise InputError(f"must be plain text, a number, true/false, a list or a map (got {kind})",
                     where=where, field=field_name)


def _check_text(text: str, field_name: str, where: str) -> None:
    control = _CONTROL.search(text)
    if control is not None:
        raise InputError(f"contains the control character U+{ord(control.group(0)):04X} "
                         "(text may hold tabs and newlines, no other control characters)",
                         where=where, field=field_name)


def parse_scenario(text: str, *, where: str) -> Scenario:
    """Parse and validate a scenario's YAML text. Decision ids are checked; each decision's
    parameters are validated by :func:`archlib.evaluate` (or :meth:`Scenario` users)."""
    from . import decisions  # the registry imports decision modules: only when needed

    raw = load_yaml(text, where=where)
    if not isinstance(raw, dict):
        raise InputError("a scenario must be a YAML mapping with name, description and "
                         "decisions", where=where)
    check_plain(raw, field_name="", where=where)
    try:
        model = _ScenarioFile.model_validate(raw)
    except ValidationError as error:
        raise from_validation_error(error, where=where) from None
    for decision_id, params in model.decisions.items():
        try:
            decision = decisions.get(decision_id)
        except InputError as error:
            raise InputError(error.problem, where=where,
                             field=f"decisions.{decision_id}") from None
        # Validate now, so a broken scenario fails before anything runs.
        try:
            parsed = decision.parse(params)
            load_prices(decision.region(parsed), model.prices)
        except InputError as error:
            field = error.field if error.field.startswith("prices.") else (
                f"decisions.{decision_id}.{error.field}".rstrip("."))
            raise InputError(error.problem, where=where, field=field) from None
    return Scenario(name=model.name, description=model.description, path=where,
                    prices=dict(model.prices), decisions=dict(model.decisions))


def load_scenario(path: str | Path) -> Scenario:
    where = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SCENARIO_BYTES + 1)
        if len(data) > MAX_SCENARIO_BYTES:
            raise InputError(f"larger than {MAX_SCENARIO_BYTES // 1024} KiB: not a scenario "
                             "file", where=where)
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise InputError("no such scenario file", where=where) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read: {error.__class__.__name__}", where=where) from None
    return parse_scenario(text, where=where)


def scenario_params(model: BaseModel) -> dict[str, Any]:
    """A decision's parameters as plain data for a scenario file: the decision's own first,
    then the scoring settings (exclusions, materiality, the weights map)."""
    values = model.model_dump(mode="json")
    scoring: dict[str, Any] = {k: values.pop(k) for k in
                               ("exclude", "cost_materiality_usd", "weights") if k in values}
    return {**values, **scoring}


def scenario_yaml(
    name: str,
    description: str,
    decisions: Mapping[str, Mapping[str, Any]],
    prices: Mapping[str, float] | None = None,
) -> str:
    """A scenario file's text for these parameters: the inverse of :func:`parse_scenario`,
    which checks it before it is returned (so it always loads back)."""
    data: dict[str, Any] = {"name": name, "description": description}
    if prices:
        data["prices"] = {k: float(v) for k, v in prices.items()}
    data["decisions"] = {k: dict(v) for k, v in decisions.items()}
    text = yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=True,
                          width=100)
    parse_scenario(text, where="scenario_yaml()")
    return text
