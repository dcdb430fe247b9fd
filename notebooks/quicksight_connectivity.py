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
# # QuickSight to RDS or Redshift in another account or Region
#
# Which private network path should connect Amazon QuickSight to its data source (Amazon RDS,
# Amazon Redshift or a database on EC2) in another account, another Region, or both? The
# options are checked against sourced rules, costed at the stated prices, scored on weighted
# criteria and drawn below; every rule, price and judgement names its source.

# %% tags=["parameters"]
scenario_name = "interactive"
scenario_description = ""
prices = {}  # price overrides: {item id: USD}
interactive = True  # False in batch reports: no live widgets in static HTML
quicksight_edition = "enterprise"  # "enterprise" or "standard": VPC connections need Enterprise.
same_organization = True  # Both accounts are in the same AWS Organizations organization.
same_region = True  # The data source is in the QuickSight Region.
quicksight_region = "us-west-2"  # QuickSight's Region if not same_region (priced by the pair).
data_source = "rds"  # "redshift-ra3", "redshift-dc2", "rds" or "ec2-database".
transit_gateway_available = False  # A Transit Gateway (or peered ones) reaches the data source.
peering_restricted = False  # Network policy limits new VPC peering connections.
cidr_overlap = False  # The QuickSight VPC CIDR overlaps the data source VPC CIDR.
monthly_gb = 50.0  # GB per month QuickSight reads from the data source.
az_count = 2  # AZs with an endpoint ENI (QuickSight VPC connection subnets).
vpc_sharing_in_use = True  # The organization shares VPC subnets across accounts (seed 372).
same_az_id = False  # QuickSight's ENI, endpoint ENIs and the database share one AZ ID.
redshift_port = 5439  # The Redshift cluster's port (the endpoint needs 5431-5455 or 8191-8215).
weights = {}  # criterion id -> weight; unset criteria keep their defaults
exclude = []  # option ids you exclude by policy: not scored or ranked
cost_materiality_usd = None  # USD/month at which the cost value halves (None: the default)

# %%
# Every cell is one call into archlib; change the parameters above or use the explorer below.
from archlib import notebook as nb
from archlib.decisions import quicksight as qs

ev = nb.evaluate_from(globals(), "quicksight-connectivity")
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
# ## Reconstructed summary table
# The seed's table "organization x Region x data source -> preferred model" lost its cells in
# extraction (seed lines 504-514). Each cell below is this decision run for that combination,
# with the account facts the seed's advice turns on as rows (VPC sharing in use, a Transit
# Gateway path, CIDR overlap); the one surviving cell of the original is marked for comparison.

# %%
nb.Html(qs.summary_table_html(ev.params, ev.prices), "reconstructed summary table")

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
