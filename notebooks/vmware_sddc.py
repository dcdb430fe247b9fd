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
# # VMware Cloud on AWS: connecting the SDDC and placing native AWS services
#
# How should a VMware Cloud on AWS SDDC reach the VPCs its VMs need, and where should each
# native AWS service they use be placed? The connectivity options are checked against sourced
# rules, costed at the stated prices, scored on weighted criteria and drawn below with the
# services where they are placed; every rule, price and judgement names its source.

# %% tags=["parameters"]
scenario_name = "interactive"
scenario_description = ""
prices = {}  # price overrides: {item id: USD}
interactive = True  # False in batch reports: no live widgets in static HTML
other_vpc_count = 0  # VPCs besides the connected VPC (same Region) the SDDC VMs must reach.
reach_via_existing_tgw = False  # Reach them through the existing Transit Gateway.
existing_transit_gateway = False  # Your account already has a Transit Gateway.
needs_central_egress = False  # Internet ingress/egress through a dedicated networking VPC.
required_gbps = 1.0  # Throughput needed between the SDDC and the other VPCs (Gbps).
expects_throughput_growth = False  # Growth beyond the VPN: the transit VPC (seed 719).
vpn_tunnel_size = "standard"  # standard (1.25 Gbps) or large (5 Gbps, SDDC support unverified)
vpn_tunnels = None  # None: sized by required_gbps; or an override, 1-4 tunnels.
monthly_gb_cross_vpc = 500.0  # GB/month the connection carries (S3 not included).
services = ["s3"]  # any of s3, efs, fsx, rds, redshift, analytics, elb
s3_monthly_gb = 1000.0  # GB/month between SDDC VMs and Amazon S3.
services_in_sddc_az = True  # Connected-VPC services sit in the SDDC's AZ.
sddc_egress_share = 0.5  # Share of monthly_gb_cross_vpc leaving the SDDC (VMware-billed egress).
weights = {}  # criterion id -> weight; unset criteria keep their defaults
exclude = []  # option ids you exclude by policy: not scored or ranked
cost_materiality_usd = None  # USD/month at which the cost value halves (None: the default)

# %%
# Every cell is one call into archlib; change the parameters above or use the explorer below.
from archlib import notebook as nb

ev = nb.evaluate_from(globals(), "vmware-sddc")
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
# ## Service placements
# Where each service the SDDC VMs use should live, why, and what it saves against the
# next-best placement where the sources give one.

# %%
nb.placements(ev)

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
