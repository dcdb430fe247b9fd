"""archlib prices update: the catalogue, the Price List parser, the cache and precedence.

All offline: a mirror folder, or a real HTTP server on 127.0.0.1 started by the test
(tests/pricelist_fixtures.py), serving small offer files in the real schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pricelist_fixtures as fx
import pytest
import yaml
from typer.testing import CliRunner

from archlib import InputError
from archlib._catalogue import catalogue, match
from archlib._engine import evaluate
from archlib._pricecache import cache_dir
from archlib._prices import load_prices
from archlib.cli import app
from archlib.decisions import get

SHIPPED = yaml.safe_load(resources.files("archlib").joinpath(
    "data", "prices", "us-east-1.yaml").read_text(encoding="utf-8"))["items"]
CAT = catalogue()


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ARCHLIB_PRICE_CACHE", str(folder))
    return folder


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    return fx.write_mirror(tmp_path / "mirror")


@pytest.fixture
def server(mirror: Path) -> Iterator[fx.MirrorServer]:
    yield from fx.serve(mirror)


def _update(*args: str) -> Any:
    return CliRunner().invoke(app, ["prices", "update", "--quiet", *args])


def _cached(region: str) -> dict[str, Any]:
    data = yaml.safe_load((cache_dir() / f"{region}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


# --- the catalogue ------------------------------------------------------------------------


def test_catalogue_covers_every_shipped_item() -> None:
    assert set(CAT.items) == set(SHIPPED)


@pytest.mark.parametrize("item_id", ["vmware_transit_connect_attachment_hour",
                                     "vmware_transit_connect_gb", "ec2_windows_vcpu_hour",
                                     "sql_standard_vcpu_hour", "sql_enterprise_vcpu_hour",
                                     "vpn_large_connection_hour", "vmc_sddc_vpn_egress_gb"])
def test_items_without_a_product_stay_assumptions(item_id: str) -> None:
    spec = CAT.items[item_id]
    assert spec.no_sku is not None and spec.no_sku.scope == "assumed"
    assert spec.no_sku.reason


def test_region_prefixes_from_the_billing_codes() -> None:
    # AWS's table (P1): none or USE1, EU (not EUW1), APS3 (not APS1)
    assert set(CAT.region_prefixes["us-east-1"]) == {"", "USE1"}
    assert CAT.region_prefixes["eu-west-1"] == ("EU",)
    assert CAT.region_prefixes["ap-south-1"] == ("APS3",)


def _product(usagetype: str, region: str = "us-east-1", operation: str = "NatGateway",
             **attrs: str) -> dict[str, Any]:
    return {"sku": "X", "productFamily": "NAT Gateway",
            "attributes": {"usagetype": usagetype, "operation": operation,
                           "regionCode": region, **attrs}}


LOOKALIKES = [
    ("nat_gateway_hour", "RegionalNatGateway-Hours", "NatGateway", "us-east-1"),
    ("nat_gateway_hour", "EU-RegionalNatGateway-Hours", "NatGateway", "eu-west-1"),
    ("nat_gateway_gb", "RegionalNatGateway-Bytes", "NatGateway", "us-east-1"),
    ("interface_endpoint_az_hour", "VpcEndpoint-GWLBE-Hours", "VpcEndpoint", "us-east-1"),
    ("interface_endpoint_az_hour", "EU-VpcEndpoint-Resource-Hours", "VpcEndpoint",
     "eu-west-1"),
    ("interface_endpoint_gb", "APS3-VpcEndpoint-GWLBE-Bytes", "VpcEndpoint", "ap-south-1"),
    # a guessed prefix (public snippets map ap-south-1 to APS1, eu-west-1 to EUW1: P1)
    ("nat_gateway_hour", "APS1-NatGateway-Hours", "NatGateway", "ap-south-1"),
    ("nat_gateway_hour", "EUW1-NatGateway-Hours", "NatGateway", "eu-west-1"),
    # another Region's product
    ("nat_gateway_hour", "NatGateway-Hours", "NatGateway", "eu-west-1"),
]


@pytest.mark.parametrize(("item", "usagetype", "operation", "region"), LOOKALIKES)
def test_lookalikes_are_rejected(item: str, usagetype: str, operation: str,
                                 region: str) -> None:
    assert not match(CAT.items[item], _product(usagetype, region, operation), region,
                     CAT.region_prefixes)


@pytest.mark.parametrize(("usagetype", "region"), [
    ("NatGateway-Hours", "us-east-1"), ("USE1-NatGateway-Hours", "us-east-1"),
    ("EU-NatGateway-Hours", "eu-west-1"), ("APS3-NatGateway-Hours", "ap-south-1")])
def test_the_real_product_matches_with_its_regions_prefix(usagetype: str, region: str) -> None:
    assert match(CAT.items["nat_gateway_hour"], _product(usagetype, region), region,
                 CAT.region_prefixes)


# --- parsing the us-east-1 fixture reproduces the shipped values --------------------------


def test_us_east_1_fixture_equals_the_shipped_values(mirror: Path) -> None:
    result = _update("--region", "us-east-1", "--from", str(mirror))
    assert result.exit_code == 0, result.output
    items = _cached("us-east-1")["items"]
    priced = {s.id for s in CAT.priced()} | {s.id for s in CAT.copies()}
    assert set(items) == priced
    for item_id in sorted(priced - {"inter_region_gb"}):
        assert items[item_id]["value"] == pytest.approx(SHIPPED[item_id]["value"]), item_id
        shipped_tiers = SHIPPED[item_id].get("tiers", [])
        assert items[item_id].get("tiers", []) == shipped_tiers, item_id
    # P4: out of us-east-1, $0.01/GB to us-east-2 and $0.02 to every other Region
    assert items["inter_region_gb"]["value"] == 0.02
    assert items["inter_region_gb"]["by_destination"] == {"us-east-2": 0.01}
    assert items["nat_gateway_hour"]["usagetype"] == "NatGateway-Hours"
    assert items["nat_gateway_hour"]["source"] == "aws-price-list"
    assert items["nat_gateway_hour"]["as_of"] == "2026-11-15"
    assert items["nat_gateway_hour"]["url"].endswith(
        "AmazonEC2/20261115000000/us-east-1/index.json")


# --- over HTTP: several Regions, both tier spellings, gzip -------------------------------


def test_two_regions_over_http(server: fx.MirrorServer) -> None:
    result = _update("--region", "eu-west-1", "--region", "ap-south-1", "--from", server.url)
    assert result.exit_code == 0, result.output
    eu, aps = _cached("eu-west-1")["items"], _cached("ap-south-1")["items"]
    assert eu["nat_gateway_hour"]["usagetype"] == "EU-NatGateway-Hours"
    assert aps["nat_gateway_hour"]["usagetype"] == "APS3-NatGateway-Hours"
    assert eu["nat_gateway_hour"]["value"] == 0.048
    assert aps["nat_gateway_hour"]["value"] == 0.056
    # eu-west-1's file uses startingRange/endingRange (P6): the same tiers come out
    assert eu["interface_endpoint_gb"]["tiers"] == [
        {"up_to_gb": 1048576.0, "usd_per_gb": 0.011}, {"up_to_gb": 5242880.0, "usd_per_gb": 0.007},
        {"up_to_gb": None, "usd_per_gb": 0.005}]
    # billed at the interface endpoint rates (same_as): eu-west-1's fixture 0.011
    assert eu["redshift_managed_endpoint_az_hour"]["value"] == 0.011
    assert eu["redshift_managed_endpoint_gb"]["tiers"] == eu["interface_endpoint_gb"]["tiers"]
    # USD 0.00000041 per query = USD 0.41 per million queries (the first tier)
    assert eu["resolver_million_queries"]["value"] == pytest.approx(0.41)
    # ap-south-1 fixture: 0.086 to three destinations, 0.11 to eu-central-1
    assert aps["inter_region_gb"]["value"] == 0.086
    assert aps["inter_region_gb"]["by_destination"] == {"eu-central-1": 0.11}
    assert any(p.endswith("/offers/v1.0/aws/index.json") for p in server.requests)


def test_gzip_on_the_wire_and_on_disk(server: fx.MirrorServer, tmp_path: Path) -> None:
    server.behaviours[fx.offer_path("AmazonEC2", "eu-west-1")] = "gzip"
    assert _update("--region", "eu-west-1", "--from", server.url).exit_code == 0
    assert _cached("eu-west-1")["items"]["proxy_instance_hour"]["value"] == 0.107
    gz = fx.write_mirror(tmp_path / "gz", ("ap-south-1",), gzip_files=True)
    assert (gz / fx.offer_path("AmazonEC2", "ap-south-1").lstrip("/")).read_bytes()[:2] \
        == b"\x1f\x8b"
    assert _update("--region", "ap-south-1", "--from", str(gz)).exit_code == 0
    assert _cached("ap-south-1")["items"]["ebs_gp3_gb_month"]["value"] == 0.0912


def test_terms_before_products(mirror: Path) -> None:
    fx.write_offer(mirror, "AmazonEC2", "us-east-1",
                   fx.offer_document("AmazonEC2", "us-east-1", terms_first=True))
    assert _update("--region", "us-east-1", "--from", str(mirror)).exit_code == 0
    assert _cached("us-east-1")["items"]["nat_gateway_gb"]["value"] == 0.045


# --- failures: one line, exit 1, nothing half-written ------------------------------------


FAILURES = [
    ("404", "HTTP 404"),
    ("500", "HTTP 500"),
    ("reset", "network error"),
    ("truncate", "truncated or malformed JSON"),
]


@pytest.mark.parametrize(("behaviour", "expected"), FAILURES)
def test_a_failed_file_is_one_line_and_writes_nothing(server: fx.MirrorServer, behaviour: str,
                                                      expected: str) -> None:
    assert _update("--region", "eu-west-1", "--from", server.url).exit_code == 0
    before = (cache_dir() / "eu-west-1.yaml").read_bytes()
    server.behaviours[fx.offer_path("AmazonEC2", "eu-west-1")] = behaviour
    result = _update("--region", "eu-west-1", "--from", server.url)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("archlib:")]
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert (cache_dir() / "eu-west-1.yaml").read_bytes() == before
    assert [p.name for p in cache_dir().iterdir()] == ["eu-west-1.yaml"]  # no temporary file


def test_a_stalled_server_times_out(server: fx.MirrorServer) -> None:
    server.behaviours[fx.offer_path("AmazonVPC", "eu-west-1")] = "stall"
    result = _update("--region", "eu-west-1", "--from", server.url, "--timeout", "0.3")
    assert result.exit_code == 1
    assert "timed out" in result.stderr
    assert not (cache_dir() / "eu-west-1.yaml").exists()


def test_no_server_is_a_network_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = _update("--region", "eu-west-1", "--from", f"http://127.0.0.1:{port}")
    assert result.exit_code == 1
    assert "network error" in result.stderr and "ConnectError" in result.stderr


def test_several_matches_name_the_item_and_candidates(mirror: Path) -> None:
    row = dict(fx.rows("eu-west-1", fx.RATES["eu-west-1"]))["nat_gateway_hour"]
    twin = fx.product_and_terms("eu-west-1", "twin-nat", row)
    fx.write_offer(mirror, "AmazonEC2", "eu-west-1",
                   fx.offer_document("AmazonEC2", "eu-west-1", extra=[twin]))
    result = _update("--region", "eu-west-1", "--from", str(mirror))
    assert result.exit_code == 1
    assert "nat_gateway_hour: 2 products match in eu-west-1, expected exactly one" \
        in result.stderr
    assert result.stderr.count("EU-NatGateway-Hours") == 2
    assert not (cache_dir() / "eu-west-1.yaml").exists()


def test_zero_matches_name_the_item(mirror: Path) -> None:
    fx.write_offer(mirror, "AWSELB", "ap-south-1",
                   fx.offer_document("AWSELB", "ap-south-1", drop={"nlb_lcu_hour"}))
    result = _update("--region", "ap-south-1", "--from", str(mirror))
    assert result.exit_code == 1
    assert "nlb_lcu_hour: no product matches in ap-south-1" in result.stderr


def test_a_unit_change_is_refused(mirror: Path) -> None:
    doc = fx.offer_document("AmazonFSx", "us-east-1")
    for terms in doc["terms"]["OnDemand"].values():
        for term in terms.values():
            for dim in term["priceDimensions"].values():
                if dim["unit"] == "MBps-Mo":
                    dim["unit"] = "MiBps-Mo"
    fx.write_offer(mirror, "AmazonFSx", "us-east-1", doc)
    result = _update("--region", "us-east-1", "--from", str(mirror))
    assert result.exit_code == 1
    assert "priced per 'MiBps-Mo', the catalogue expects 'MBps-Mo'" in result.stderr


def test_a_service_not_offered_in_a_region(mirror: Path) -> None:
    index = mirror / "offers/v1.0/aws/AmazonFSx/current/region_index.json"
    data = json.loads(index.read_text())
    del data["regions"]["ap-south-1"]
    index.write_text(json.dumps(data))
    result = _update("--region", "ap-south-1", "--from", str(mirror))
    assert result.exit_code == 0, result.output
    cached = _cached("ap-south-1")
    assert cached["not_offered"] == ["fsx_windows_multi_az_mbps_month",
                                     "fsx_windows_multi_az_ssd_gb_month"]
    assert "fsx_windows_multi_az_ssd_gb_month" not in cached["items"]


@pytest.mark.parametrize(("args", "expected"), [
    ([], "give --region R (repeatable) or --all"),
    (["--region", "eu-west-1", "--all"], "give --region R (repeatable) or --all"),
    (["--region", "Paris"], "--region: Paris: is not an AWS Region name"),
    (["--region", "eu-west-1", "--from", "/no/such/folder"], "is neither a URL nor a folder"),
])
def test_bad_options_exit_2(args: list[str], expected: str) -> None:
    result = _update(*args)
    assert result.exit_code == 2
    assert expected in result.stderr


def test_all_regions(mirror: Path) -> None:
    result = _update("--all", "--from", str(mirror))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in cache_dir().iterdir()) == [
        "ap-south-1.yaml", "eu-west-1.yaml", "us-east-1.yaml"]


# --- precedence: overrides > cache > shipped -----------------------------------------------


def test_cache_before_shipped_and_overrides_before_cache(mirror: Path) -> None:
    doc = fx.offer_document("AmazonEC2", "us-east-1")
    for terms in doc["terms"]["OnDemand"].values():
        for term in terms.values():
            for dim in term["priceDimensions"].values():
                if dim["pricePerUnit"]["USD"] == "0.0450000000":
                    dim["pricePerUnit"]["USD"] = "0.0500000000"
    fx.write_offer(mirror, "AmazonEC2", "us-east-1", doc)
    assert _update("--region", "us-east-1", "--from", str(mirror)).exit_code == 0
    table = load_prices("us-east-1")
    assert table["nat_gateway_hour"].value == 0.05 and table["nat_gateway_hour"].origin == "cache"
    assert table["nat_gateway_hour"].sku
    # not in the Price List: the shipped value
    assert table["ec2_windows_vcpu_hour"].value == 0.046
    assert table["ec2_windows_vcpu_hour"].origin == "package"
    assert "AWS Price List cache for us-east-1" in table.provenance
    overridden = load_prices("us-east-1", {"nat_gateway_hour": 0.06})
    assert overridden["nat_gateway_hour"].value == 0.06
    assert overridden["nat_gateway_hour"].origin == "override"


def test_a_region_from_the_cache_evaluates(server: fx.MirrorServer) -> None:
    with pytest.raises(InputError, match="archlib prices update --region eu-west-1"):
        load_prices("eu-west-1")
    assert _update("--region", "eu-west-1", "--from", server.url).exit_code == 0
    table = load_prices("eu-west-1")
    # assumed from us-east-1 (no product): labelled unverified, the unit says so
    assert table["ec2_windows_vcpu_hour"].unverified
    assert "assumed for eu-west-1" in table["ec2_windows_vcpu_hour"].unit
    # free everywhere (documented): copied as is
    assert table["gateway_endpoint_hour"].value == 0.0
    assert not table["gateway_endpoint_hour"].unverified
    ev = evaluate(get("s3-endpoints"), {"region": "eu-west-1"})
    texts = {a.id: a.text for a in ev.assumptions}
    assert "by precedence: scenario overrides (below), then the AWS Price List cache for " \
        "eu-west-1" in texts["prices"]
    assert "prices-price-list" in texts


def test_an_old_price_file_gets_a_warning(server: fx.MirrorServer,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert _update("--region", "eu-west-1", "--from", server.url).exit_code == 0
    monkeypatch.setenv("ARCHLIB_PRICE_MAX_AGE_DAYS", "1")
    ev = evaluate(get("s3-endpoints"), {"region": "eu-west-1"})
    warning = next(a for a in ev.assumptions if a.id == "prices-age")
    assert warning.unverified and "archlib prices update --region eu-west-1" in warning.text
    monkeypatch.setenv("ARCHLIB_PRICE_MAX_AGE_DAYS", "0")  # off
    ev = evaluate(get("s3-endpoints"), {"region": "eu-west-1"})
    assert "prices-age" not in {a.id for a in ev.assumptions}


def test_a_damaged_cache_file_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir().mkdir(parents=True)
    (cache_dir() / "eu-west-1.yaml").write_text("region: eu-west-1\nitems: [1, 2\n")
    with pytest.raises(InputError, match=r"eu-west-1\.yaml"):
        load_prices("eu-west-1")


# --- list and show ---------------------------------------------------------------------


def test_list_and_show(server: fx.MirrorServer) -> None:
    runner = CliRunner()
    before = runner.invoke(app, ["prices", "list"])
    assert before.exit_code == 0
    assert [line.split("\t")[0] for line in before.stdout.splitlines()[1:]] == ["us-east-1"]
    assert _update("--region", "ap-south-1", "--from", server.url).exit_code == 0
    after = runner.invoke(app, ["prices", "list"]).stdout.splitlines()
    rows = {line.split("\t")[0]: line.split("\t") for line in after[1:]}
    assert set(rows) == {"ap-south-1", "us-east-1"}
    assert rows["ap-south-1"][1] == "2026-11-18"
    assert "AWS Price List cache" in rows["ap-south-1"][3]
    assert "shipped with archlib" in rows["us-east-1"][3]
    shown = runner.invoke(app, ["prices", "show", "ap-south-1"])
    assert shown.exit_code == 0
    nat = next(line for line in shown.stdout.splitlines() if line.startswith("nat_gateway_hour"))
    assert "\t0.056\t" in nat and "\tcache\t" in nat and "SKU " in nat
    unknown = runner.invoke(app, ["prices", "show", "eu-central-1"])
    assert unknown.exit_code == 2
    assert "archlib prices update --region eu-central-1" in unknown.stderr
