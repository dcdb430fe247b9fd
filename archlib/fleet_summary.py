"""The cells of the fleet summary notebook (``notebooks/fleet.ipynb``): totals, savings by
decision and by a grouping column, verdict counts, and a sortable table of the workloads,
from the results table of :func:`archlib.fleet.evaluate_frame` (or ``results.parquet`` of
``archlib fleet``). Pure pandas in, DataFrames and plotly figures out."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .fleet import RESULT_COLUMNS, evaluate_frame, read_inventory
from .workbook import resource_dir

__all__ = [
    "EXAMPLE_INVENTORY",
    "REPORT_COLUMN",
    "by_group",
    "example_path",
    "load_results",
    "savings_chart",
    "totals",
    "user_columns",
    "verdict_chart",
    "verdict_counts",
    "warm_up",
    "workload_table",
]

EXAMPLE_INVENTORY = "fleet-inventory.csv"
#: The column ``archlib fleet`` adds: each row's report, relative to the summary (or empty).
REPORT_COLUMN = "report"
_VERDICTS = ("clear", "leaning", "too-close-to-call", "none", "error")


def load_results(results_path: str = "") -> pd.DataFrame:
    """``results_path`` (a ``results.parquet``), or with none the bundled example inventory
    evaluated here."""
    if results_path:
        return pd.read_parquet(results_path)
    return evaluate_frame(read_inventory(example_path()), where=EXAMPLE_INVENTORY)


def user_columns(results: pd.DataFrame) -> list[str]:
    """The inventory's own columns (account, owner, ...), passed through."""
    return [c for c in results.columns if c not in RESULT_COLUMNS and c != REPORT_COLUMN]


def _usd(value: float) -> str:
    return f"${value:,.2f}"


def totals(results: pd.DataFrame) -> pd.DataFrame:
    """Rows, rows that evaluated, flagged and failed rows; and over the rows that name
    their current option and evaluated: current and recommended monthly cost, the saving
    (current minus recommended), and the savings and extra costs apart."""
    ok = results[results["error"].isna()]
    known = ok[ok["monthly_saving_usd"].notna()]
    saving = known["monthly_saving_usd"]
    rows = [
        ("workloads", f"{len(results):,}"),
        ("evaluated", f"{len(ok):,}"),
        ("invalid input (see the error column)", f"{len(results) - len(ok):,}"),
        ("flagged for a reviewer", f"{int(results['flagged'].sum()):,}"),
        ("with a known current option and both costs", f"{len(known):,}"),
        ("current monthly cost", _usd(known["current_monthly_usd"].sum())),
        ("recommended monthly cost", _usd(known["recommended_monthly_usd"].sum())),
        ("monthly saving (current minus recommended)", _usd(saving.sum())),
        ("of which savings (rows where the recommendation is cheaper)",
         _usd(saving[saving > 0].sum())),
        ("of which extra cost (rows where the recommendation costs more)",
         _usd(-saving[saving < 0].sum())),
    ]
    return pd.DataFrame(rows, columns=["", "value"]).set_index("")


def by_group(results: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per value of ``column`` (e.g. ``decision``, ``owner``): workloads, flagged ones,
    current and recommended monthly cost and the saving, largest saving first."""
    ok = results[results["error"].isna()].copy()
    ok["_group"] = ok[column].fillna("(empty)").astype(str)
    grouped = ok.groupby("_group", sort=True)
    frame = pd.DataFrame({
        "workloads": grouped.size(),
        "flagged": grouped["flagged"].sum().astype(int),
        "current_monthly_usd": grouped["current_monthly_usd"].sum().round(2),
        "recommended_monthly_usd": grouped["recommended_monthly_usd"].sum().round(2),
        "monthly_saving_usd": grouped["monthly_saving_usd"].sum().round(2),
    })
    frame.index.name = column
    return frame.sort_values(["monthly_saving_usd", "workloads"], ascending=[False, False],
                             kind="stable")


def verdict_counts(results: pd.DataFrame) -> pd.DataFrame:
    """Rows per verdict and decision (``none``: nothing feasible; ``error``: invalid)."""
    verdict = results["verdict"].fillna("none").astype(str)
    verdict = verdict.where(results["error"].isna(), "error")
    table = pd.crosstab(results["decision"].fillna("(none)").astype(str), verdict)
    columns = [v for v in _VERDICTS if v in table.columns]
    return table[columns]


def savings_chart(grouped: pd.DataFrame, title: str) -> go.Figure:
    """Monthly saving per group (a :func:`by_group` table), as horizontal bars."""
    labels = [str(v) for v in grouped.index]
    values = [float(v) for v in grouped["monthly_saving_usd"]]
    colours = ["#2e7d32" if v >= 0 else "#c62828" for v in values]
    return go.Figure(
        data=[{"type": "bar", "orientation": "h", "x": values, "y": labels,
               "marker": {"color": colours},
               "hovertemplate": "%{y}: %{x:$,.2f}/month<extra></extra>"}],
        layout={"title": {"text": title}, "height": 120 + 28 * len(labels),
                "margin": {"l": 180, "r": 20, "t": 50, "b": 40},
                "xaxis": {"title": {"text": "USD/month (current minus recommended)"}},
                "yaxis": {"autorange": "reversed"}})


def verdict_chart(counts: pd.DataFrame) -> go.Figure:
    """Stacked bars: rows per decision by verdict (a :func:`verdict_counts` table)."""
    colours = {"clear": "#2e7d32", "leaning": "#f9a825", "too-close-to-call": "#c62828",
               "none": "#757575", "error": "#424242"}
    data = [{"type": "bar", "name": v, "x": [str(d) for d in counts.index],
             "y": [int(n) for n in counts[v]], "marker": {"color": colours[v]}}
            for v in counts.columns]
    return go.Figure(data=data, layout={
        "title": {"text": "How firm the recommendations are"}, "barmode": "stack",
        "height": 380, "legend": {"orientation": "h"},
        "yaxis": {"title": {"text": "workloads"}}})


#: The table's columns, after the user's own.
_TABLE = ("decision", "current_option", "recommended", "verdict", "monthly_saving_usd",
          "why_not_current", "error")
_SORTER = """<script>/* sort the workload table by a header click (no library) */
(function(){var t=document.currentScript.previousElementSibling;
t.querySelectorAll("th").forEach(function(th,i){th.style.cursor="pointer";
th.addEventListener("click",function(){var b=t.tBodies[0],r=Array.from(b.rows),
d=th.dataset.dir==="asc"?-1:1;th.dataset.dir=d===1?"asc":"desc";
r.sort(function(x,y){var a=x.cells[i].dataset.v,c=y.cells[i].dataset.v;
var p=parseFloat(a),q=parseFloat(c);
if(!isNaN(p)&&!isNaN(q)){return d*(p-q);}return d*a.localeCompare(c);});
r.forEach(function(row){b.appendChild(row);});});});})();</script>"""


def _cell(value: Any, numeric: bool = False) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return '<td data-v=""></td>'
    if numeric:
        return f'<td class="num" data-v="{float(value):.2f}">{_usd(float(value))}</td>'
    text = html.escape(str(value))
    return f'<td data-v="{text}">{text}</td>'


def workload_table(results: pd.DataFrame, user_columns: list[str] | None = None,
                   limit: int = 5_000) -> str:
    """An HTML table of the workloads, flagged ones first, then by saving (largest first);
    headers sort it on click; a row with a report links to it. At most ``limit`` rows
    (the rest are in results.csv)."""
    results = results.assign(_flag=~results["flagged"].astype(bool),
                             _saving=-results["monthly_saving_usd"].fillna(0.0))
    ordered = results.sort_values(["_flag", "_saving"], kind="stable").head(limit)
    own = [c for c in (user_columns or []) if c in results.columns]
    headers = [*own, *_TABLE, "report"]
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = []
    # Records, not iterrows: a row Series each is most of the time for thousands of rows.
    for row in ordered.to_dict("records"):
        cells = [_cell(row[c]) for c in own]
        cells += [_cell(row[c], numeric=c == "monthly_saving_usd") for c in _TABLE]
        link = row.get(REPORT_COLUMN)
        cells.append(f'<td data-v="{html.escape(str(link))}"><a href="'
                     f'{html.escape(str(link))}">report</a></td>'
                     if isinstance(link, str) and link else '<td data-v=""></td>')
        flagged = ' class="flagged"' if row["flagged"] else ""
        body.append(f"<tr{flagged}>{''.join(cells)}</tr>")
    shown = (f"<p>The first {limit:,} of {len(results):,} workloads; every row is in "
             "results.csv.</p>" if len(results) > limit else "")
    return (f'{shown}<table class="archlib-fleet-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>{_SORTER}")


def warm_up() -> None:
    """What the notebook's first cell would load, loaded ahead (``archlib fleet`` runs this
    in the summary's kernel while the rows are evaluated): the charts module, the Parquet
    reader and plotly's figure machinery. Displays nothing, binds no name."""
    import pyarrow.parquet  # noqa: F401  (pd.read_parquet's engine, imported on first use)

    from . import charts  # noqa: F401

    savings_chart(pd.DataFrame({"monthly_saving_usd": [1.0, -1.0]}, index=["a", "b"]),
                  "warm-up").to_json()


def example_path() -> Path:
    """The bundled example inventory."""
    return resource_dir("scenarios") / EXAMPLE_INVENTORY
