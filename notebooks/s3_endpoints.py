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
# # Private access to Amazon S3: gateway or interface endpoints
#
# Which VPC endpoint strategy should workloads, and callers on-premises or in other Regions,
# use to reach Amazon S3? The options are checked against sourced rules, costed at the stated
# prices, scored on weighted criteria and drawn below; every rule, price and judgement names
# its source.

# %% tags=["parameters"]
scenario_name = "interactive"
scenario_description = ""
prices = {}  # price overrides: {item id: USD}
interactive = True  # False in batch reports: no live widgets in static HTML
region = "us-east-1"  # AWS Region of the VPCs and buckets.
vpc_count = 1  # VPCs whose workloads use S3.
az_count = 2  # AZs with an interface endpoint ENI.
monthly_gb_in_vpc = 1000.0  # GB/month between workloads in the VPCs and S3 (all VPCs).
monthly_gb_on_prem = 0.0  # GB/month from on-premises over Direct Connect or VPN.
on_prem_access = False  # On-premises callers must reach S3 privately.
cross_region_access = False  # Workloads must reach buckets in other Regions privately.
transit_gateway = False  # VPCs are already attached to a Transit Gateway hub.
on_prem_via_transit_gateway = False  # Direct Connect/VPN ends on the Transit Gateway.
on_prem_dns = "endpoint-names"  # or "private-dns" (an inbound Resolver endpoint, costed).
monthly_gb_cross_region = 0.0  # GB/month to and from buckets in other_region.
other_region = "us-west-2"  # Region of those buckets (transfer priced by the pair).
peering_same_az = False  # Hub over peering: spokes use the ENI in their own AZ.
peak_gbps = 1.0  # Peak throughput to S3 per VPC (Gbps).
east_west_firewall = False  # Spoke-hub traffic is inspected by firewall appliances.
allow_internet_path = False  # Policy allows S3 traffic through NAT and the internet.
proxy_count = 2  # Proxy instances in the proxy fleet.
proxy_instance_gbps = 0.75  # Sustained Gbps of one proxy instance (unverified default).
weights = {}  # criterion id -> weight; unset criteria keep their defaults
exclude = []  # option ids you exclude by policy: not scored or ranked
cost_materiality_usd = None  # USD/month at which the cost value halves (None: the default)

# %%
# Every cell is one call into archlib; change the parameters above or use the explorer below.
from archlib import notebook as nb

ev = nb.evaluate_from(globals(), "s3-endpoints")
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
