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
# # SQL Server on EC2: high availability and disaster recovery
#
# Failover cluster instance on FSx for Windows, SANless FCI with SIOS DataKeeper, or Always On
# availability groups (a distributed group, or one cluster across both Regions, for DR)? Each
# option gets an estimated RPO and RTO shown against the targets (pass or fail),
# is checked against sourced rules (editions, Regions, storage), costed at the stated prices,
# scored on weighted criteria and drawn below; every rule, price and judgement names its
# source.

# %% tags=["parameters"]
scenario_name = "interactive"
scenario_description = ""
prices = {}  # price overrides: {item id: USD}
interactive = True  # False in batch reports: no live widgets in static HTML
database_count = 20  # User databases on the instance.
sql_edition = "standard"  # "standard" or "enterprise".
enterprise_licenses_owned = False  # Enterprise licences are already owned.
protect_system_databases = False  # Agent jobs, logins etc. must fail over too.
cross_region_dr = False  # A DR copy in a second Region is required.
dr_region = "us-west-2"  # The DR Region, when cross_region_dr (inter-Region pair).
rpo_seconds = 0  # RPO within the Region (seconds).
dr_rpo_seconds = 900  # RPO to the DR Region (seconds), when cross_region_dr.
rto_seconds = 300  # RTO for a node or AZ failure inside the Region (seconds).
client_driver = "net461-plus"  # "net461-plus", "net45-to-46" or "legacy".
dns_ttl_seconds = 1200  # The cluster name's current HostRecordTTL (seconds).
vcpus_per_node = 8  # vCPUs per SQL Server node.
data_gb = 500.0  # Data and log size in GiB (one copy).
licensing = "license-included"  # "license-included" or "byol".
sios_monthly_usd_per_node = None  # SIOS DataKeeper USD per node-month; None: unknown.
fsx_throughput_mbps = 128  # FSx throughput capacity: 32, 64, ... 2048, 4608 ... 12288 MBps.
active_node_in_fsx_preferred_az = True  # Active FCI node in the FSx preferred subnet's AZ.
weights = {}  # criterion id -> weight; unset criteria keep their defaults
exclude = []  # option ids you exclude by policy: not scored or ranked
cost_materiality_usd = None  # USD/month at which the cost value halves (None: the default)

# %%
# Every cell is one call into archlib; change the parameters above or use the explorer below.
from archlib import notebook as nb

ev = nb.evaluate_from(globals(), "sqlserver-ha-dr")
nb.header(ev, scenario_name, scenario_description)

# %% [markdown]
# ## Recommendation

# %%
nb.recommendation(ev)

# %% [markdown]
# ## Options
# Every option, feasible or not; a rule that fired names its source.

# %%
nb.option_table(ev)

# %% [markdown]
# ## Monthly cost per option

# %%
nb.cost_chart(ev)

# %% [markdown]
# ## Scores by weighted criterion

# %%
nb.score_chart(ev)

# %%
nb.criteria_table(ev)

# %% [markdown]
# ## Robustness
# Would the answer change under other weights or volumes? The share of 10,000 sampled
# weightings each option wins (Dirichlet around the chosen weights), the smallest change of
# one weight that changes the winner, the volumes where the cheapest option changes, and the
# unverified or overridden prices at which the recommendation changes. The verdict on top
# (clear, leaning or too-close-to-call) follows from them (README, "How firm").

# %%
nb.robustness(ev)

# %%
nb.robustness_chart(ev)

# %% [markdown]
# ## Diagram of the recommended option

# %%
nb.diagram(ev)

# %% [markdown]
# ### The other options

# %%
nb.other_diagrams(ev)

# %% [markdown]
# ## Cost items

# %%
nb.cost_table(ev)

# %% [markdown]
# ## Assumptions and sources

# %%
nb.assumptions(ev)

# %%
nb.sources(ev)

# %% [markdown]
# ## Explore
# Change parameters and weights; everything above is redrawn for the new values. The
# parameters cell is never changed by the explorer.

# %%
nb.explorer(ev, interactive)
