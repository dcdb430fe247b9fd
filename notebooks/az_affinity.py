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
# # Availability Zone affinity: cross-zone load balancing or pinned clients
#
# Should clients be pinned to their Availability Zone (an NLB record per AZ ID, or Cloud Map
# discovery by AZ) to cut cross-AZ transfer and latency, or stay behind a cross-zone
# Application Load Balancer? The options are checked against sourced rules, costed at the
# stated prices, scored on weighted criteria and drawn below; every rule, price and judgement
# names its source.

# %% tags=["parameters"]
scenario_name = "interactive"
scenario_description = ""
prices = {}  # price overrides: {item id: USD}
interactive = True  # False in batch reports: no live widgets in static HTML
region = "us-east-1"  # AWS Region of the service (the price file).
cross_az_gb_baseline = 10000.0  # GB/month crossing AZs in the cross-zone design.
transfer_reduction = 0.4  # Share of that transfer affinity removes (seed: about 40%).
lb_processed_gb = 2000.0  # GB/month through the load balancer.
new_connections_per_second = 50.0  # New connections per second to the load balancer.
processing_ms_p50 = 8.0  # Non-network processing at p50 (ms).
cross_az_ms_p50 = 1.5  # p50 of one cross-AZ traversal (ms).
intra_az_ms_p50 = 0.3  # p50 of one intra-AZ traversal (ms).
crossings_cross_zone = 8  # Traversals per request, all crossing AZs in the worst case.
crossings_affinity = 4  # Traversals still crossing AZs with affinity.
p50_target_ms = None  # The p50 must be under this (ms); None: no target.
clients_in_aws = True  # Clients are AWS workloads in this Region.
client_failover = False  # Clients retry in other AZs or break the circuit.
discovery_calls_per_second = 2.0  # DiscoverInstances calls per second, all clients.
service_instances = 6  # Instances registered in Cloud Map.
weights = {}  # criterion id -> weight; unset criteria keep their defaults
exclude = []  # option ids you exclude by policy: not scored or ranked
cost_materiality_usd = None  # USD/month at which the cost value halves (None: the default)

# %%
# Every cell is one call into archlib; change the parameters above or use the explorer below.
from archlib import notebook as nb

ev = nb.evaluate_from(globals(), "az-affinity")
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
# ## Monthly cost against data volume

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
