"""archlib._yaml: the one strict, bounded YAML loader (issue 21: D1, D2, D11, D12)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from archlib import InputError
from archlib._yaml import MAX_DEPTH, MAX_NODES, MAX_NUMBER_CHARS, StrictLoader, load_yaml


def _error(text: str) -> str:
    with pytest.raises(InputError) as info:
        load_yaml(text, where="t.yaml")
    line = str(info.value)
    assert line.startswith("t.yaml: ") and "\n" not in line
    return line


# --- D12: YAML 1.2 core-schema numbers ---------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    # the YAML 1.2.2 spec, 10.3.2 (core schema tag resolution)
    ("017", 17),          # decimal, not YAML 1.1's octal 15
    ("0o17", 15),         # 1.2 octal: 1*8 + 7
    ("0x1f", 31),         # 1*16 + 15
    ("-19", -19),
    ("+12", 12),
    ("1e3", 1000.0),
    ("2.5", 2.5),
    (".5", 0.5),
    ("-1.5e-2", -0.015),
    ("1:00", "1:00"),     # YAML 1.1's base 60 (60) is text in 1.2
    ("1:00:00", "1:00:00"),
    ("1_000", "1_000"),   # no digit separators in 1.2
    ("0b11", "0b11"),     # no binary integers in 1.2
    ("true", True), ("false", False), ("yes", True), ("off", False),
    ("null", None), ("~", None), ("", None),
    ("'017'", "017"),
])
def test_scalars_follow_the_yaml_1_2_core_schema(text: str, value: Any) -> None:
    loaded = load_yaml(f"v: {text}\n", where="t.yaml")["v"]
    assert loaded == value and type(loaded) is type(value)


@pytest.mark.parametrize("text", [".inf", "-.inf", ".nan", "1e999", "!!float .inf"])
def test_non_finite_numbers_are_refused(text: str) -> None:
    assert "finite" in _error(f"v: {text}\n")


def test_five_thousand_digit_integer_is_one_line_not_a_value_error() -> None:
    line = _error("vpc_count: " + "9" * 5000 + "\n")
    assert f"a number of 5000 characters is too long (at most {MAX_NUMBER_CHARS})" in line
    assert "line 1, column 12" in line


# --- D11: duplicate keys -------------------------------------------------------------------

def test_duplicate_keys_are_refused_naming_both_lines() -> None:
    line = _error("name: first\ndecisions:\n  s3-endpoints: {vpc_count: 1, vpc_count: 5}\n")
    assert "key 'vpc_count' given twice (first on line 3)" in line
    assert "line 3, column 32" in line
    assert "key 'name' given twice (first on line 1)" in _error("name: a\nname: b\n")


# --- D1: nesting and recursive aliases -----------------------------------------------------

@pytest.mark.parametrize("text", [
    "w: " + "[" * 1000 + "]" * 1000,
    "w: " + "{a: " * 1000 + "1" + "}" * 1000,
    "w:\n" + "".join("  " * i + "- \n" for i in range(1, 200)),  # block style
])
def test_deep_nesting_is_one_line_not_a_recursion_error(text: str) -> None:
    assert f"nested more than {MAX_DEPTH} levels deep" in _error(text)


def test_nesting_up_to_the_limit_loads() -> None:
    depth = MAX_DEPTH - 1  # the top-level map is one level
    value = load_yaml("w: " + "[" * depth + "]" * depth, where="t.yaml")["w"]
    for _ in range(depth - 1):
        value = value[0]
    assert value == []


@pytest.mark.parametrize("text", [
    "decisions: &d\n  s3-endpoints:\n    weights: *d\n",
    "weights: &a [*a]\n",
])
def test_recursive_alias_is_refused(text: str) -> None:
    assert "is inside the node it names (a cycle)" in _error(text)


# --- D2: billion laughs --------------------------------------------------------------------

def _laughs(levels: int) -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, cur in itertools.pairwise("abcdefghijkl"[:levels]):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


class _CountingLoader(StrictLoader):
    """Counts the nodes the composer visits: the work done, without a clock."""

    visits = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        _CountingLoader.visits += 1
        return super().compose_node(parent, index)


def test_billion_laughs_is_refused_fast() -> None:
    text = _laughs(9)  # 10**9 leaves behind 1.4 KB
    assert len(text) < 1500
    _CountingLoader.visits = 0
    loader = _CountingLoader(text)
    with pytest.raises(Exception, match=f"more than {MAX_NODES} values"):
        loader.get_single_data()
    # Each alias is counted at its expanded size without being expanded: the composer
    # visits each node of the file once (10 + 8 x 10 aliases + 9 keys + 9 lists + the map),
    # the constructor never runs.
    assert _CountingLoader.visits < 120
    assert f"more than {MAX_NODES} values" in _error(text)


def test_aliases_within_the_bound_load() -> None:
    # 3 levels: c holds 10 x 10 x 10 = 1,000 leaves (1,111 values with the lists)
    data = load_yaml(_laughs(3), where="t.yaml")
    assert len(data["c"]) == 10 and data["c"][9][9] == ["x"] * 10


# --- tags: data only -------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "v: !!python/object/apply:os.system ['true']",
    "v: !!python/name:os.system",
    "v: !!set {a, b}",
    "v: !!omap [a: 1]",
    "v: !foo bar",
    "base: &b {x: 1}\nv: {<<: *b}",  # a merge key is just text: no merging
])
def test_tags_beyond_plain_data_are_refused_or_stay_text(text: str) -> None:
    try:
        data = load_yaml(text + "\n", where="t.yaml")
    except InputError as error:
        assert "could not determine a constructor" in str(error)
    else:
        assert data["v"] == {"<<": {"x": 1}}


def test_two_documents_are_refused() -> None:
    assert "expected a single document" in _error("a: 1\n---\nb: 2\n")


@pytest.mark.parametrize("text", ["\x1b", "name: a\x00b\n", "\x7f"])
def test_raw_control_characters_in_a_document_are_one_line(text: str) -> None:
    # found by tests/test_hostile_input.py: the reader checks characters as it is built
    assert "special characters are not allowed" in _error(text)
