# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Fleet review: where is the estate paying for the wrong design?
#
# One row per workload of an inventory, each evaluated by its decision: the recommended
# option, what the current option costs against it, and whether a reviewer should look
# (flagged: the current option differs or is ruled out, or the call is too close). `archlib
# fleet INVENTORY --out DIR` runs this notebook on its results; run alone, it evaluates the
# bundled example inventory.

# %% tags=["parameters"]
results_path = ""  # results.parquet of `archlib fleet` (empty: the bundled example inventory)
inventory_name = "fleet-inventory.csv"  # shown in the title
group_by = "owner"  # the inventory's own column to total savings by (empty: none)

# %%
from IPython.display import HTML, display

from archlib import fleet_summary as fs
from archlib.charts import display_chart

results = fs.load_results(results_path)
own = fs.user_columns(results)
print(f"{inventory_name}: {len(results):,} workloads, {int(results['flagged'].sum()):,} "
      "flagged for a reviewer")

# %% [markdown]
# ## Totals
#
# Over the workloads whose current option is given and whose costs are known: what they cost
# now, what the recommended designs would cost, and the difference (a negative saving is a
# recommendation that costs more, usually because the current option is ruled out).

# %%
fs.totals(results)

# %% [markdown]
# ## Savings by decision

# %%
decisions = fs.by_group(results, "decision")
display(display_chart(fs.savings_chart(decisions, "Monthly saving by decision"),
                      "savings-by-decision"))
decisions

# %% [markdown]
# ## Savings by group

# %%
if group_by and group_by in results.columns:
    groups = fs.by_group(results, group_by)
    display(display_chart(fs.savings_chart(groups, f"Monthly saving by {group_by}"),
                          "savings-by-group"))
    display(groups)
else:
    print(f"No grouping column {group_by!r} in the inventory (columns: {', '.join(own)}).")

# %% [markdown]
# ## Verdicts
#
# How firm each recommendation is: `clear`, `leaning` or `too-close-to-call` (README, "How
# firm"); `none` when no option is feasible, `error` for a row whose input is invalid.

# %%
counts = fs.verdict_counts(results)
display(display_chart(fs.verdict_chart(counts), "verdicts"))
counts

# %% [markdown]
# ## Workloads
#
# Flagged workloads first, then by saving. Click a header to sort; "report" opens the full
# decision report of a flagged workload.

# %%
HTML(fs.workload_table(results, own))
