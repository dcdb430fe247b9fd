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
# # Internet egress and inspection: per VPC or centralised, NAT or firewall
#
# Where should internet egress and packet inspection live across the VPCs: NAT gateways in
# every VPC, a central egress VPC, a central firewall (GWLB appliances or AWS Network
# Firewall), or Network Firewall in every VPC? The options are checked against sourced rules,
# costed at the stated prices, scored on weighted criteria and drawn below; every rule, price
# and judgement names its source.

# %% tags=["parameters"]
scenario_name = "interactive"
scenario_description = ""
prices = {}  # price overrides: {item id: USD}
interactive = True  # False in batch reports: no live widgets in static HTML
region = "us-east-1"  # AWS Region of the VPCs (the price file).
vpc_count = 10  # VPCs that need internet egress.
az_count = 2  # AZs used in each VPC (and in the egress VPC).
monthly_egress_gb = 5000.0  # GB/month through the egress path, both directions.
peak_gbps = 5.0  # Peak internet traffic of all VPCs together (Gbps).
inspection_required = False  # North-south traffic must be inspected.
east_west_inspection = False  # Traffic between VPCs must pass the firewall.
monthly_east_west_gb = 0.0  # GB/month of inspected traffic between VPCs.
intra_vpc_inspection = False  # Traffic between subnets of one VPC must be inspected.
monthly_intra_vpc_gb = 0.0  # GB/month of inspected subnet-to-subnet traffic.
third_party_firewall = False  # Policy requires a vendor firewall.
transit_gateway_exists = False  # The VPCs are already attached to a Transit Gateway.
appliance_gbps = 0.75  # Gbps of one firewall appliance (unverified default).
appliance_licence_hourly_usd = None  # Vendor licence per appliance-hour (None: not priced).
weights = {}  # criterion id -> weight; unset criteria keep their defaults
exclude = []  # option ids you exclude by policy: not scored or ranked
cost_materiality_usd = None  # USD/month at which the cost value halves (None: the default)

# %%
# Every cell is one call into archlib; change the parameters above or use the explorer below.
from archlib import notebook as nb

ev = nb.evaluate_from(globals(), "egress-inspection")
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
