"""Scenario files: YAML with a name, a description, optional price overrides and the
parameters of each decision it covers."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._errors import InputError, from_validation_error
from ._prices import load_prices

__all__ = ["Scenario", "YamlLoader", "check_plain", "load_scenario", "parse_scenario",
           "scenario_params", "scenario_yaml"]


class YamlLoader(yaml.SafeLoader):
    """Safe YAML that also reads ``1e3`` as a number (PyYAML follows YAML 1.1, which wants
    ``1.0e+3``; users write the former)."""


YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+$"),
    list("-+0123456789."),
)


class _ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    prices: dict[str, float] = Field(default_factory=dict)
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


def check_plain(value: Any, *, field_name: str, where: str) -> None:
    """Values must be plain data (str, number, bool, null, lists, maps with string keys):
    they travel to notebooks as papermill parameters and must never be code."""
    if value is None or isinstance(value, str | bool | int | float):
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            check_plain(item, field_name=f"{field_name}.{i}", where=where)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InputError(f"keys must be strings (got {key!r})", where=where,
                                 field=field_name)
            check_plain(item, field_name=f"{field_name}.{key}" if field_name else key,
                        where=where)
        return
    kind = "a date" if isinstance(value, _dt.date) else type(value).__name__
    raise InputError(f"must be plain text, a number, true/false, a list or a map (got {kind})",
                     where=where, field=field_name)


def parse_scenario(text: str, *, where: str) -> Scenario:
    """Parse and validate a scenario's YAML text. Decision ids are checked; each decision's
    parameters are validated by :func:`archlib.evaluate` (or :meth:`Scenario` users)."""
    from . import decisions  # the registry imports decision modules: only when needed

    try:
        raw = yaml.load(text, Loader=YamlLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise InputError(f"{at}broken YAML: {problem}", where=where) from None
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
        text = Path(path).read_text(encoding="utf-8")
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
