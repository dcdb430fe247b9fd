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
# # Hybrid connectivity: Site-to-Site VPN or Direct Connect
#
# How to carry the required bandwidth between on-premises and the VPCs: VPN on virtual
# private gateways, VPN on a Transit Gateway with ECMP (standard or Large Bandwidth Tunnels),
# or dedicated or hosted Direct Connect per a resiliency model. Connections and ports are
# sized from the requirement; each option is checked against sourced rules (ECMP, BGP,
# tunnel and port sizes), costed at the stated prices, scored on weighted criteria and drawn
# below; every rule, price and judgement names its source.

# %% tags=["parameters"]
scenario_name = "interactive"
scenario_description = ""
prices = {}  # price overrides: {item id: USD}
interactive = True  # False in batch reports: no live widgets in static HTML
region = "us-east-1"  # AWS Region of the VPCs.
required_gbps = 2.0  # Aggregate bandwidth needed (all VPCs), Gbps.
largest_flow_gbps = 1.0  # The largest single flow, Gbps (at most required_gbps).
monthly_gb_to_aws = 1000.0  # GB/month from on-premises to AWS.
monthly_gb_from_aws = 2000.0  # GB/month from AWS to on-premises.
vpc_count = 1  # VPCs that must reach on-premises.
transit_gateway_exists = False  # The VPCs are already attached to a Transit Gateway.
bgp_capable = True  # The customer gateways run BGP.
dx_resiliency = "high"  # "vpn-backup", "high" or "maximum".
redundant_customer_gateways = True  # A VPN connection on each of two on-premises devices.
weights = {}  # criterion id -> weight; unset criteria keep their defaults
exclude = []  # option ids you exclude by policy: not scored or ranked
cost_materiality_usd = None  # USD/month at which the cost value halves (None: the default)

# %%
# Every cell is one call into archlib; change the parameters above or use the explorer below.
from archlib import notebook as nb

ev = nb.evaluate_from(globals(), "hybrid-connectivity")
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
