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
# # Disaster recovery strategy
#
# Backup and restore, pilot light, warm standby or multi-site active/active? Each strategy is
# checked against what it can achieve for the RTO and RPO targets (AWS Well-Architected
# REL13-BP02), costed as the standby it keeps running, scored on weighted criteria and drawn
# below: the cheapest strategy that meets both targets wins, not the most stringent one.
# Every rule, price and judgement names its source.

# %% tags=["parameters"]
scenario_name = "interactive"
scenario_description = ""
prices = {}  # price overrides: {item id: USD}
interactive = True  # False in batch reports: no live widgets in static HTML
region = "us-east-1"  # AWS Region of the primary (or of the prices, on-premises primary).
recovery_region = "us-west-2"  # The recovery Region (transfer priced by the pair).
rto_seconds = 14400  # RTO target (seconds).
rpo_seconds = 3600  # RPO target (seconds).
production_monthly_usd = 10000.0  # Compute and database instances of production, USD/month.
data_tier_share = 0.30  # Share of production in data stores (unverified default).
standby_scale = 0.25  # Share of the application fleet a warm standby runs (unverified).
data_gb = 1000.0  # GB of data to protect.
monthly_change_gb = 200.0  # GB/month of changed data sent to the recovery site.
primary_on_premises = False  # The primary runs in a data centre, DR on AWS.
reduced_capacity_ok = False  # Reduced capacity right after failover is acceptable.
weights = {}  # criterion id -> weight; unset criteria keep their defaults
exclude = []  # option ids you exclude by policy: not scored or ranked
cost_materiality_usd = None  # USD/month at which the cost value halves (None: the default)

# %%
# Every cell is one call into archlib; change the parameters above or use the explorer below.
from archlib import notebook as nb

ev = nb.evaluate_from(globals(), "dr-strategy")
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
