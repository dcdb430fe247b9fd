"""archlib._prices and archlib/data/prices/us-east-1.yaml.

Expected prices are the project's price table (shared/DOMAIN.md, "Prices (us-east-1)").
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import yaml

from archlib import InputError, _sources
from archlib._prices import HOURS_PER_MONTH, available_regions, load_prices

PB = 1_048_576  # GB in one PB, as the price file states AWS bills tiers


def _raw_us_east_1() -> dict[str, Any]:
    text = resources.files("archlib").joinpath("data", "prices", "us-east-1.yaml").read_text(
        encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


RAW = _raw_us_east_1()
ITEMS: dict[str, dict[str, Any]] = RAW["items"]


# --- the price file --------------------------------------------------------------------------


def test_file_header() -> None:
    assert RAW["region"] == "us-east-1"
    assert RAW["currency"] == "USD"
    assert RAW["hours_per_month"] == 730  # AWS Pricing Calculator convention (DOMAIN.md)
    assert HOURS_PER_MONTH == 730.0
    assert isinstance(RAW["as_of"], str) and RAW["as_of"]


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_every_item_is_documented(item_id: str) -> None:
    spec = ITEMS[item_id]
    for key in ("value", "unit", "source", "url", "as_of"):
        assert key in spec, f"{item_id} lacks {key}"
    assert isinstance(spec["value"], int | float) and not isinstance(spec["value"], bool)
    assert spec["value"] >= 0
    assert isinstance(spec["unit"], str) and spec["unit"].startswith("USD")
    assert isinstance(spec["as_of"], str) and spec["as_of"]  # a string, not a YAML date
    assert spec["url"].startswith("https://")
    source = _sources.get(spec["source"])  # raises KeyError for an unknown source id
    assert source.id == spec["source"]


# (item, value) from DOMAIN.md's price table, us-east-1
DOMAIN_PRICES = [
    ("interface_endpoint_az_hour", 0.01),
    ("interface_endpoint_gb", 0.01),
    ("gateway_endpoint_hour", 0.0),
    ("gateway_endpoint_gb", 0.0),
    ("tgw_attachment_hour", 0.05),
    ("tgw_gb", 0.02),
    ("peering_cross_az_gb", 0.01),
    ("inter_region_gb", 0.02),
    ("nat_gateway_hour", 0.045),
    ("nat_gateway_gb", 0.045),
    ("resolver_endpoint_eni_hour", 0.125),
    ("resolver_million_queries", 0.40),
    ("vpn_connection_hour", 0.05),
    ("nlb_hour", 0.0225),
    ("nlb_lcu_hour", 0.006),
    ("fsx_windows_multi_az_ssd_gb_month", 0.23),
    ("fsx_windows_multi_az_mbps_month", 4.50),
    ("ec2_windows_vcpu_hour", 0.046),
    ("sql_standard_vcpu_hour", 0.166),
    ("sql_enterprise_vcpu_hour", 0.421),
    # "VMware Transit Connect: unverified: assume Transit Gateway rates"
    ("vmware_transit_connect_attachment_hour", 0.05),
    ("vmware_transit_connect_gb", 0.02),
    # --- vmware-sddc (issue 15): not in DOMAIN.md's table ---
    # AWS SAP guide, "Connecting to RISE using AWS VPN": "$0.60 per hour ... per VPN connection"
    # with Large Bandwidth Tunnels (US East (Ohio); the us-east-1 rate is assumed equal)
    ("vpn_large_connection_hour", 0.60),
    # VMware's SDDC egress rate over the VPN was not found: $0/GB until a scenario sets it
    ("vmc_sddc_vpn_egress_gb", 0.0),
]


@pytest.mark.parametrize(("item_id", "value"), DOMAIN_PRICES)
def test_prices_match_domain_table(item_id: str, value: float) -> None:
    table = load_prices("us-east-1")
    assert table[item_id].value == pytest.approx(value)
    assert not table[item_id].overridden


@pytest.mark.parametrize(
    ("item_id", "unverified"),
    [
        ("vmware_transit_connect_attachment_hour", True),  # *unverified* in DOMAIN.md
        ("vmware_transit_connect_gb", True),
        ("interface_endpoint_az_hour", False),
        ("tgw_gb", False),
        ("nat_gateway_hour", False),
        # --- vmware-sddc (issue 15) ---
        ("vpn_large_connection_hour", True),  # Ohio example rate, us-east-1 to confirm
        ("vmc_sddc_vpn_egress_gb", True),  # VMware's rate not found
        ("vpn_connection_hour", False),
    ],
)
def test_unverified_flags(item_id: str, unverified: bool) -> None:
    assert load_prices("us-east-1")[item_id].unverified is unverified


def test_unverified_items_are_listed() -> None:
    ids = {p.id for p in load_prices("us-east-1").unverified()}
    assert {"vmware_transit_connect_attachment_hour", "vmware_transit_connect_gb"} <= ids
    assert "interface_endpoint_az_hour" not in ids


# --- tiered interface endpoint processing ----------------------------------------------------


@pytest.mark.parametrize(
    ("gb", "expected_usd"),
    [
        (0, 0.0),
        (1000, 1000 * 0.01),  # = 10.00, the worked example
        (PB, PB * 0.01),  # exactly the first PB
        (2_000_000, PB * 0.01 + (2_000_000 - PB) * 0.006),  # = 16,194.304
        (5 * PB, PB * 0.01 + 4 * PB * 0.006),  # first PB + next 4 PB
        (6_000_000, PB * 0.01 + 4 * PB * 0.006 + (6_000_000 - 5 * PB) * 0.004),
    ],
)
def test_interface_processing_tiers(gb: float, expected_usd: float) -> None:
    assert load_prices("us-east-1").per_gb("interface_endpoint_gb", gb) == pytest.approx(
        expected_usd)


def test_hourly_uses_730_hours() -> None:
    table = load_prices("us-east-1")
    assert table.hourly("interface_endpoint_az_hour", 2) == pytest.approx(2 * 0.01 * 730)
    assert table.hourly("nat_gateway_hour") == pytest.approx(0.045 * 730)


# --- overrides -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item_id", "value"),
    [("nat_gateway_hour", 0.05), ("proxy_instance_hour", 0.2), ("tgw_gb", 0),
     ("interface_endpoint_gb", 0.02)],
)
def test_override_is_flat_and_marked(item_id: str, value: float) -> None:
    table = load_prices("us-east-1", {item_id: value})
    price = table[item_id]
    assert price.value == value
    assert price.overridden
    assert not price.unverified
    assert price.source == "archlib-override"
    assert price.tiers == ()
    assert price in table.overridden()
    # the file's other items are untouched
    assert table["vpn_connection_hour"].value == 0.05
    assert not table["vpn_connection_hour"].overridden


def test_override_replaces_tiers_with_one_flat_rate() -> None:
    table = load_prices("us-east-1", {"interface_endpoint_gb": 0.02})
    assert table.per_gb("interface_endpoint_gb", 2_000_000) == pytest.approx(2_000_000 * 0.02)


def test_override_of_unverified_item_clears_the_flag() -> None:
    table = load_prices("us-east-1", {"vmware_transit_connect_gb": 0.03})
    assert "vmware_transit_connect_gb" not in {p.id for p in table.unverified()}


def test_overrides_do_not_leak_into_the_next_table() -> None:
    load_prices("us-east-1", {"nat_gateway_hour": 9.0})
    assert load_prices("us-east-1")["nat_gateway_hour"].value == 0.045


@pytest.mark.parametrize(
    ("item_id", "value"),
    [
        ("nat_gateway_hour", -0.01),
        ("nat_gateway_hour", "0.05"),
        ("nat_gateway_hour", True),
        ("nat_gateway_hour", None),
        ("nat_gateway_hour", [0.05]),
        ("nat_gateway_hour", float("nan")),
        ("nat_gateway_hour", float("inf")),
        ("no_such_item", 0.05),
    ],
)
def test_bad_override_names_the_item(item_id: str, value: Any) -> None:
    with pytest.raises(InputError) as info:
        load_prices("us-east-1", {item_id: value})
    assert info.value.field == f"prices.{item_id}"
    assert f"prices.{item_id}" in str(info.value)
    assert "\n" not in str(info.value)


# --- Regions ---------------------------------------------------------------------------------


def test_available_regions() -> None:
    assert "us-east-1" in available_regions()


def test_unknown_region_without_overrides() -> None:
    with pytest.raises(InputError) as info:
        load_prices("eu-west-1")
    message = str(info.value)
    assert info.value.field == "region"
    assert "eu-west-1" in message
    for region in available_regions():  # lists the Regions that have price files
        assert region in message
    assert "prices:" in message  # says how to supply prices
    assert "\n" not in message


@pytest.mark.parametrize("region", ["mars", "US-EAST-1", "us-east", "", "us east 1",
                                    "../us-east-1", "us-east-1.yaml"])
def test_non_region_string(region: str) -> None:
    with pytest.raises(InputError) as info:
        load_prices(region, {"nat_gateway_hour": 0.05})
    assert info.value.field == "region"


def test_region_without_file_uses_overrides() -> None:
    table = load_prices("eu-west-1", {"nat_gateway_hour": 0.048, "tgw_gb": 0.02})
    assert table.region == "eu-west-1"
    assert table.as_of == "scenario"
    assert table["nat_gateway_hour"].value == 0.048
    assert table["nat_gateway_hour"].overridden
    assert table.hourly("nat_gateway_hour", 2) == pytest.approx(2 * 0.048 * 730)
    # no us-east-1 price leaks in for an item the scenario did not give
    with pytest.raises(InputError) as info:
        table["interface_endpoint_az_hour"]
    assert info.value.field == "prices.interface_endpoint_az_hour"
    assert "eu-west-1" in str(info.value)


def test_region_without_file_rejects_unknown_item() -> None:
    with pytest.raises(InputError) as info:
        load_prices("eu-west-1", {"bogus": 1.0})
    assert info.value.field == "prices.bogus"


# --- inter-Region transfer by destination (s3-endpoints, issue 14) ---------------------------
# EC2 on-demand pricing, data transfer out of US East (N. Virginia): $0.01/GB to US East (Ohio),
# $0.02/GB to the other Regions (shared/DOMAIN.md price table; issue 14).


@pytest.mark.parametrize(
    ("destination", "usd_per_gb", "listed"),
    [
        ("us-east-2", 0.01, True),
        ("us-west-2", 0.02, True),
        ("us-west-1", 0.02, True),
        ("eu-west-1", 0.02, False),  # not in the table: the item's labelled default
    ],
)
def test_inter_region_rate_depends_on_the_destination(destination: str, usd_per_gb: float,
                                                      listed: bool) -> None:
    price = load_prices("us-east-1")["inter_region_gb"]
    assert price.to_region(destination) == pytest.approx(usd_per_gb)
    assert price.lists(destination) is listed
    assert price.value == pytest.approx(0.02)  # the default, as quicksight reads it


def test_per_gb_to_multiplies_by_the_pair_rate() -> None:
    table = load_prices("us-east-1")
    assert table.per_gb_to("inter_region_gb", "us-east-2", 1000) == pytest.approx(1000 * 0.01)
    # re:Post "Cost effective methods for accessing S3 buckets cross-region" (Option 1):
    # 1,000 GB us-east-1 -> us-west-2 = $20.00
    assert table.per_gb_to("inter_region_gb", "us-west-2", 1000) == pytest.approx(20.00)


def test_destination_table_in_the_file_is_well_formed() -> None:
    for item_id, spec in ITEMS.items():
        for destination, rate in spec.get("by_destination", {}).items():
            assert destination != RAW["region"], item_id
            assert isinstance(rate, int | float) and rate >= 0, item_id


def test_override_of_a_pair_priced_item_is_one_flat_rate() -> None:
    table = load_prices("us-east-1", {"inter_region_gb": 0.03})
    price = table["inter_region_gb"]
    assert price.by_destination == ()
    assert price.to_region("us-east-2") == 0.03
    assert table.per_gb_to("inter_region_gb", "us-east-2", 100) == pytest.approx(100 * 0.03)
