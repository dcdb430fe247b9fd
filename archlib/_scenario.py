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
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ._errors import InputError, from_validation_error
from ._prices import MAX_PRICE_USD, load_prices
from ._yaml import MAX_DEPTH, MAX_NODES, load_yaml

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._engine import Evaluation

__all__ = ["MAX_SCENARIO_BYTES", "MAX_VARIANTS", "Scenario", "Variant", "check_plain",
           "load_scenario", "parse_scenario", "scenario_params", "scenario_yaml"]

#: A scenario file's size limit (the bundled ones are 1-2 KB; a description is at most
#: 10,000 characters).
MAX_SCENARIO_BYTES = 1 << 20
#: Control characters refused in any text of a scenario (tab and newline are fine): they
#: would reach terminals, logs, HTML and decision records raw.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: A decision section's variants at most (each is one more evaluation per report).
MAX_VARIANTS = 10


class _ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)

    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    prices: dict[str, Annotated[float, Field(ge=0, le=MAX_PRICE_USD)]] = Field(
        default_factory=dict)
    decisions: dict[str, dict[str, Any]] = Field(min_length=1)


class _VariantFile(BaseModel):
    """One entry of a decision section's ``variants:`` list."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)

    name: str = Field(min_length=1, max_length=120)
    set: dict[str, Any] = Field(default_factory=dict)
    prices: dict[str, Annotated[float, Field(ge=0, le=MAX_PRICE_USD)]] = Field(
        default_factory=dict)


_VARIANTS = TypeAdapter(list[_VariantFile])


@dataclass(frozen=True)
class Variant:
    """A named "what if" of one decision section: parameters it sets (a ``weights`` map is
    merged into the section's weights, criterion by criterion; any other value replaces the
    section's) and prices it overrides (on top of the scenario's)."""

    name: str
    set: Mapping[str, Any] = field(default_factory=dict)
    prices: Mapping[str, float] = field(default_factory=dict)

    def applied(self, params: Mapping[str, Any], prices: Mapping[str, float],
                ) -> tuple[dict[str, Any], dict[str, float]]:
        """The section's parameters and the scenario's prices with this variant's
        overrides."""
        merged = dict(params)
        for key, value in self.set.items():
            base = merged.get(key)
            if key == "weights" and isinstance(value, dict) and isinstance(base, dict):
                value = {**base, **value}
            merged[key] = value
        return merged, {**prices, **self.prices}


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    path: str  # as given, for messages
    prices: Mapping[str, float] = field(default_factory=dict)
    decisions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: Each decision section's named variants (``variants:``), in file order.
    variants: Mapping[str, tuple[Variant, ...]] = field(default_factory=dict)

    def variant(self, decision_id: str, name: str) -> Variant:
        """The variant of that name in the section for ``decision_id``."""
        for variant in self.variants.get(decision_id, ()):
            if variant.name == name:
                return variant
        known = ", ".join(v.name for v in self.variants.get(decision_id, ())) or "none"
        raise InputError(f"no variant {name!r} (known: {known})", where=self.path,
                         field=f"decisions.{decision_id}.variants")

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
    sections: dict[str, dict[str, Any]] = {}
    variants: dict[str, tuple[Variant, ...]] = {}
    for decision_id, section in model.decisions.items():
        try:
            decision = decisions.get(decision_id)
        except InputError as error:
            raise InputError(error.problem, where=where,
                             field=f"decisions.{decision_id}") from None
        params = dict(section)
        at = f"decisions.{decision_id}"
        listed = _variants(params.pop("variants", None), where=where, at=f"{at}.variants")
        # Validate now, so a broken scenario fails before anything runs.
        _check_section(decision, params, model.prices, where=where, at=at)
        for n, variant in enumerate(listed):
            _check_section(decision, *variant.applied(params, model.prices), where=where,
                           at=f"{at}.variants.{n}", variant=variant)
        sections[decision_id] = params
        if listed:
            variants[decision_id] = listed
    return Scenario(name=model.name, description=model.description, path=where,
                    prices=dict(model.prices), decisions=sections, variants=variants)


def _variants(raw: Any, *, where: str, at: str) -> tuple[Variant, ...]:
    """A section's ``variants:`` list: each named, with at least one override, names
    distinct (ignoring case)."""
    if raw is None:
        return ()
    try:
        listed = _VARIANTS.validate_python(raw, strict=True)
    except ValidationError as error:
        raise from_validation_error(error, where=where, prefix=at) from None
    if not listed:
        raise InputError("lists no variant (leave it out, or name at least one)", where=where,
                         field=at)
    if len(listed) > MAX_VARIANTS:
        raise InputError(f"at most {MAX_VARIANTS} variants (got {len(listed)})", where=where,
                         field=at)
    seen: set[str] = set()
    for n, item in enumerate(listed):
        if not item.set and not item.prices:
            raise InputError(f"variant {item.name!r} changes nothing: give it set: "
                             "(parameters, weights) or prices:", where=where, field=f"{at}.{n}")
        if item.name.casefold() in seen:
            raise InputError(f"a second variant named {item.name!r}", where=where,
                             field=f"{at}.{n}.name")
        seen.add(item.name.casefold())
        if "variants" in item.set:
            raise InputError("a variant cannot have variants", where=where,
                             field=f"{at}.{n}.set.variants")
    return tuple(Variant(v.name, dict(v.set), dict(v.prices)) for v in listed)


def _check_section(decision: Any, params: Mapping[str, Any], prices: Mapping[str, float], *,
                   where: str, at: str, variant: Variant | None = None) -> None:
    """A decision section's parameters (or a variant's) validate and its Region is priced;
    else one line at the field: ``decisions.<id>.<field>``, or for a variant's override
    ``decisions.<id>.variants.<n>.set.<field>`` (``...prices.<item>``)."""
    try:
        parsed = decision.parse(params)
        load_prices(decision.region(parsed), prices)
    except InputError as error:
        field = error.field
        if variant is not None and field.startswith("prices.") and (
                field.removeprefix("prices.") in variant.prices):
            field = f"{at}.{field}"
        elif variant is not None and field.split(".")[0] in variant.set:
            field = f"{at}.set.{field}"
        elif variant is not None:  # the section's own value, refused with this variant's
            raise InputError(f"{field}: {error.problem}" if field else error.problem,
                             where=where, field=at) from None
        elif not field.startswith("prices."):
            field = f"{at}.{field}".rstrip(".")
        raise InputError(error.problem, where=where, field=field) from None


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
