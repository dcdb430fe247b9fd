"""A minimal valid decision built only from archlib.authoring, for the authoring tests: each
test breaks one thing of it (``dataclasses.replace``) and asserts the message."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import Field

from archlib.authoring import (
    JUDGEMENT_REASON,
    Action,
    Assumption,
    CostScale,
    Criterion,
    Decision,
    DecisionParams,
    DiagramSpec,
    Judgement,
    JudgementScale,
    Node,
    Option,
    PriceTable,
    Rule,
)

__all__ = ["DECISION", "Params", "cost_reading", "criteria_missing", "diagram_of_kind"]


class Params(DecisionParams):
    monthly_gb: float = Field(100.0, ge=0, le=1e6, description="GB/month to S3.")
    needs_on_prem: bool = Field(False, description="On-premises callers need S3.")


OPTIONS = (Option("gateway", "Gateway endpoint", "Free; in-VPC callers only."),
           Option("interface", "Interface endpoint", "Hourly and per GB; reachable from "
                  "on-premises."))
CRITERIA = (
    Criterion("monthly_cost", "Monthly cost", "USD/month", "minimise", 0.6, "Itemised cost.",
              "pricing-privatelink", scale=CostScale(100.0), scale_reason="cheap things"),
    Criterion("reach", "Reach", "1-5", "maximise", 0.4, "Who can use it.",
              "seed-s3-access-pattern", scale=JudgementScale(), scale_reason=JUDGEMENT_REASON),
)


def on_prem_needs_interface(p: Params) -> str | None:
    return "on-premises callers cannot use a gateway endpoint" if p.needs_on_prem else None


def cost(p: Params, prices: PriceTable) -> dict[str, dict[str, float | None]]:
    return {"gateway": {"gateway endpoint": 0.0},
            "interface": {"endpoint hours": prices.hourly("interface_endpoint_az_hour", 2),
                          "data": prices.per_gb("interface_endpoint_gb", p.monthly_gb)}}


def criteria_values(p: Params, monthly: Mapping[str, float | None],
                    ) -> dict[str, dict[str, float | Judgement | None]]:
    return {o: {"monthly_cost": monthly[o],
                "reach": Judgement(2.0 if o == "gateway" else 5.0, "who reaches it",
                                   "seed-s3-access-pattern")} for o in monthly}


def actions(p: Params, option_id: str) -> tuple[Action, ...]:
    return (Action(f"Create the {option_id} endpoint.", "seed-s3-endpoint-cost"),)


def assumptions(p: Params, prices: PriceTable) -> tuple[Assumption, ...]:
    return (Assumption("two-azs", "Two AZs.", "pricing-privatelink"),)


def diagram(p: Params, option_id: str) -> DiagramSpec:
    return DiagramSpec(option_id, (Node("s3", "Amazon S3", "aws.storage.S3"),
                                   Node("ep", "endpoint", "aws.network.Endpoint")))


DECISION: Decision[Params] = Decision(
    id="kit-example",
    title="Gateway or interface endpoint",
    question="Which S3 endpoint?",
    params_model=Params,
    options=OPTIONS,
    rules=(Rule("on-prem", "seed-s3-access-pattern", ("gateway",), on_prem_needs_interface),),
    warnings=(),
    criteria=CRITERIA,
    cost=cost,
    criteria_values=criteria_values,
    actions=actions,
    assumptions=assumptions,
    diagram=diagram,
    volume_fields=("monthly_gb",),
    sources=("seed-s3-endpoint-cost",),
)


# --- broken pieces the tests swap in -------------------------------------------------------


def cost_reading(p: Params, prices: PriceTable) -> dict[str, dict[str, float | None]]:
    """A cost model that reads a price item no price file has."""
    return {"gateway": {"x": prices.hourly("no_such_price_hour")}, "interface": {"y": 0.0}}


def criteria_missing(p: Params, monthly: Mapping[str, float | None],
                     ) -> dict[str, dict[str, float | Judgement | None]]:
    return {o: {"monthly_cost": monthly[o]} for o in monthly}


def diagram_of_kind(p: Params, option_id: str) -> DiagramSpec:
    return DiagramSpec(option_id, (Node("s3", "Amazon S3", "aws.storage.NoSuchBucket"),))
