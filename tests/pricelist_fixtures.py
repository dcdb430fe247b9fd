"""Small AWS Price List bulk files in the real schema, and a local HTTP server for them.

The schema follows the research's excerpts (shared/reviews/price-list.md section 1: the offer
index, Region indexes, ``products[sku] = {sku, productFamily, attributes}``,
``terms.OnDemand[sku]["<sku>.JRTCKXETXF"].priceDimensions[...]`` with ``beginRange``/
``endRange``, ``unit`` and ``pricePerUnit.USD`` as a 10-decimal string). Products are written
out by hand below, one row per product, NOT derived from archlib's catalogue: each Region file
holds the product of every catalogue item plus look-alikes (P3), products of another Region,
and a product with a guessed usage-type prefix (P1).

us-east-1 prices are the shipped us-east-1 values (DOMAIN.md's price table); the eu-west-1 and
ap-south-1 prices are made-up fixture numbers (distinct from us-east-1's so a Region mix-up
shows), not AWS prices.
"""

from __future__ import annotations

import gzip
import http.server
import json
import socket
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PUBLICATION = {"us-east-1": "2026-11-15T00:00:00Z", "eu-west-1": "2026-11-20T00:00:00Z",
               "ap-south-1": "2026-11-18T00:00:00Z"}
#: The usage-type prefix of each fixture Region (AWS's billing codes, P1).
PREFIX = {"us-east-1": "", "eu-west-1": "EU-", "ap-south-1": "APS3-"}
#: For inter-Region usagetypes, where us-east-1 is written USE1.
CODE = {"us-east-1": "USE1", "us-east-2": "USE2", "us-west-1": "USW1", "us-west-2": "USW2",
        "eu-west-1": "EU", "ap-south-1": "APS3", "eu-central-1": "EUC1",
        "ap-southeast-1": "APS1"}
RANGE_WORDS = {"us-east-1": ("beginRange", "endRange"),
               "eu-west-1": ("startingRange", "endingRange"),  # the docs' spelling (P6)
               "ap-south-1": ("beginRange", "endRange")}
OFFERS = ("AmazonVPC", "AWSDataTransfer", "AmazonEC2", "AmazonRoute53", "AWSELB", "AmazonFSx")


@dataclass(frozen=True)
class Row:
    """One product: offer, family, usagetype (without prefix), operation, attributes, unit,
    then its price tiers as (begin, end or None, USD)."""

    offer: str
    family: str
    usagetype: str | None
    operation: str
    attributes: dict[str, str]
    unit: str
    tiers: tuple[tuple[float, float | None, str], ...]
    region_attribute: str = "regionCode"
    extra: dict[str, str] = field(default_factory=dict)


def _flat(usd: str) -> tuple[tuple[float, float | None, str], ...]:
    return ((0, None, usd),)


PB = 1_048_576


def rows(region: str, rates: dict[str, str]) -> list[tuple[str, Row]]:
    """(label, product row) for one Region; ``rates`` gives the price per label."""
    r = rates
    instance = {"instanceType": "m5.large", "operatingSystem": "Linux", "preInstalledSw": "NA",
                "tenancy": "Shared", "capacitystatus": "Used"}
    out: list[tuple[str, Row]] = [
        ("interface_endpoint_az_hour", Row("AmazonVPC", "VpcEndpoint", "VpcEndpoint-Hours",
                                           "VpcEndpoint", {}, "Hrs", _flat(r["ie_hour"]))),
        ("interface_endpoint_gb", Row("AmazonVPC", "VpcEndpoint", "VpcEndpoint-Bytes",
                                      "VpcEndpoint", {}, "GB",
                                      ((0, PB, r["ie_gb1"]), (PB, 5 * PB, r["ie_gb2"]),
                                       (5 * PB, None, r["ie_gb3"])))),
        ("decoy-gwlbe-hours", Row("AmazonVPC", "VpcEndpoint", "VpcEndpoint-GWLBE-Hours",
                                  "VpcEndpoint", {}, "Hrs", _flat("0.0140000000"))),
        ("decoy-gwlbe-bytes", Row("AmazonVPC", "VpcEndpoint", "VpcEndpoint-GWLBE-Bytes",
                                  "VpcEndpoint", {}, "GB", _flat("0.0035000000"))),
        ("decoy-resource-hours", Row("AmazonVPC", "VpcEndpoint", "VpcEndpoint-Resource-Hours",
                                     "VpcEndpoint", {}, "Hrs", _flat("0.0150000000"))),
        ("tgw_attachment_hour", Row("AmazonVPC", "", "TransitGateway-Hours",
                                    "TransitGatewayVPC", {"group": "AWSTransitGateway"}, "Hrs",
                                    _flat(r["tgw_hour"]))),
        ("decoy-tgw-vpn-hours", Row("AmazonVPC", "", "TransitGateway-Hours",
                                    "TransitGatewayVPN", {"group": "AWSTransitGateway"}, "Hrs",
                                    _flat("0.0600000000"))),
        ("tgw_gb", Row("AmazonVPC", "", "TransitGateway-Bytes", "TransitGatewayVPC",
                       {"group": "AWSTransitGateway"}, "GB", _flat(r["tgw_gb"]))),
        ("vpn_connection_hour", Row("AmazonVPC", "Cloud Connectivity",
                                    "VPN-Usage-Hours:ipsec.1", "CreateVpnConnection",
                                    {"vpnType": "VPN Standard"}, "Hrs", _flat(r["vpn"]))),
        ("cross_az_gb", Row("AWSDataTransfer", "Data Transfer", "DataTransfer-Regional-Bytes",
                            "", {"transferType": "IntraRegion", "toRegionCode": region}, "GB",
                            _flat(r["cross_az"]), region_attribute="fromRegionCode")),
        ("nat_gateway_hour", Row("AmazonEC2", "NAT Gateway", "NatGateway-Hours", "NatGateway",
                                 {}, "Hrs", _flat(r["nat_hour"]))),
        ("nat_gateway_gb", Row("AmazonEC2", "NAT Gateway", "NatGateway-Bytes", "NatGateway",
                               {}, "GB", _flat(r["nat_gb"]))),
        ("decoy-regional-nat-hours", Row("AmazonEC2", "NAT Gateway",
                                         "RegionalNatGateway-Hours", "NatGateway", {}, "Hrs",
                                         _flat("0.0900000000"))),
        ("decoy-regional-nat-bytes", Row("AmazonEC2", "NAT Gateway",
                                         "RegionalNatGateway-Bytes", "NatGateway", {}, "GB",
                                         _flat("0.0900000000"))),
        ("proxy_instance_hour", Row("AmazonEC2", "Compute Instance", "BoxUsage:m5.large",
                                    "RunInstances", instance, "Hrs", _flat(r["m5"]))),
        ("decoy-m5-windows", Row("AmazonEC2", "Compute Instance", "BoxUsage:m5.large",
                                 "RunInstances:0002", {**instance, "operatingSystem": "Windows"},
                                 "Hrs", _flat("0.1880000000"))),
        ("decoy-m5-unused-reservation", Row("AmazonEC2", "Compute Instance",
                                            "Reservation:m5.large", "RunInstances",
                                            {**instance,
                                             "capacitystatus": "UnusedCapacityReservation"},
                                            "Hrs", _flat("0.0960000000"))),
        ("decoy-m5-dedicated", Row("AmazonEC2", "Compute Instance", "DedicatedUsage:m5.large",
                                   "RunInstances", {**instance, "tenancy": "Dedicated"}, "Hrs",
                                   _flat("0.1060000000"))),
        ("ebs_gp3_gb_month", Row("AmazonEC2", "Storage", "EBS:VolumeUsage.gp3", "",
                                 {"volumeApiName": "gp3"}, "GB-Mo", _flat(r["gp3"]))),
        ("decoy-gp2", Row("AmazonEC2", "Storage", "EBS:VolumeUsage.gp2", "",
                          {"volumeApiName": "gp2"}, "GB-Mo", _flat("0.1000000000"))),
        ("resolver_endpoint_eni_hour", Row("AmazonRoute53", "DNS Query",
                                           "ResolverNetworkInterface", "", {}, "Hrs",
                                           _flat(r["resolver_eni"]))),
        ("resolver_million_queries", Row("AmazonRoute53", "DNS Query",
                                         "ResolverEndpoint-DNS-Queries", "", {}, "Queries",
                                         ((0, 1_000_000_000, r["resolver_q1"]),
                                          (1_000_000_000, None, r["resolver_q2"])))),
        ("nlb_hour", Row("AWSELB", "Load Balancer-Network", "LoadBalancerUsage",
                         "LoadBalancing:Network", {"locationType": "AWS Region"}, "Hrs",
                         _flat(r["nlb"]))),
        ("decoy-alb-hour", Row("AWSELB", "Load Balancer-Application", "LoadBalancerUsage",
                               "LoadBalancing:Application", {"locationType": "AWS Region"},
                               "Hrs", _flat("0.0225000000"))),
        ("nlb_lcu_hour", Row("AWSELB", "Load Balancer-Network", "LCUUsage",
                             "LoadBalancing:Network", {"locationType": "AWS Region"}, "LCU-Hrs",
                             _flat(r["nlcu"]))),
        ("decoy-alb-lcu", Row("AWSELB", "Load Balancer-Application", "LCUUsage",
                              "LoadBalancing:Application", {"locationType": "AWS Region"},
                              "LCU-Hrs", _flat("0.0080000000"))),
        ("fsx_windows_multi_az_ssd_gb_month", Row(
            "AmazonFSx", "Storage", None, "",
            {"deploymentOption": "Multi-AZ", "fileSystemType": "Windows", "storageType": "SSD"},
            "GB-Mo", _flat(r["fsx_ssd"]))),
        ("decoy-fsx-single-az-ssd", Row(
            "AmazonFSx", "Storage", None, "",
            {"deploymentOption": "Single-AZ", "fileSystemType": "Windows", "storageType": "SSD"},
            "GB-Mo", _flat("0.1300000000"))),
        ("decoy-fsx-multi-az-hdd", Row(
            "AmazonFSx", "Storage", None, "",
            {"deploymentOption": "Multi-AZ", "fileSystemType": "Windows", "storageType": "HDD"},
            "GB-Mo", _flat("0.0250000000"))),
        ("fsx_windows_multi_az_mbps_month", Row(
            "AmazonFSx", "Provisioned Throughput", None, "",
            {"deploymentOption": "Multi-AZ", "fileSystemType": "Windows"}, "MBps-Mo",
            _flat(r["fsx_mbps"]))),
        ("decoy-fsx-single-az-mbps", Row(
            "AmazonFSx", "Provisioned Throughput", None, "",
            {"deploymentOption": "Single-AZ", "fileSystemType": "Windows"}, "MBps-Mo",
            _flat("2.2000000000"))),
    ]
    for destination, usd in sorted(INTER_REGION[region].items()):
        out.append((f"inter-region-to-{destination}", Row(
            "AWSDataTransfer", "Data Transfer",
            f"{CODE[region]}-{CODE[destination]}-AWS-Out-Bytes", "",
            {"transferType": "InterRegion Outbound", "toRegionCode": destination}, "GB",
            _flat(usd), region_attribute="fromRegionCode")))
        out.append((f"decoy-inbound-from-{destination}", Row(
            "AWSDataTransfer", "Data Transfer",
            f"{CODE[destination]}-{CODE[region]}-AWS-In-Bytes", "",
            {"transferType": "InterRegion Inbound", "toRegionCode": destination}, "GB",
            _flat("0.0000000000"), region_attribute="fromRegionCode")))
    return out


#: us-east-1: the shipped values (DOMAIN.md); others: fixture numbers.
RATES = {
    "us-east-1": {"ie_hour": "0.0100000000", "ie_gb1": "0.0100000000", "ie_gb2": "0.0060000000",
                  "ie_gb3": "0.0040000000", "tgw_hour": "0.0500000000", "tgw_gb": "0.0200000000",
                  "vpn": "0.0500000000", "cross_az": "0.0100000000", "nat_hour": "0.0450000000",
                  "nat_gb": "0.0450000000", "m5": "0.0960000000", "gp3": "0.0800000000",
                  "resolver_eni": "0.1250000000", "resolver_q1": "0.0000004000",
                  "resolver_q2": "0.0000002000", "nlb": "0.0225000000", "nlcu": "0.0060000000",
                  "fsx_ssd": "0.2300000000", "fsx_mbps": "4.5000000000"},
    "eu-west-1": {"ie_hour": "0.0110000000", "ie_gb1": "0.0110000000", "ie_gb2": "0.0070000000",
                  "ie_gb3": "0.0050000000", "tgw_hour": "0.0510000000", "tgw_gb": "0.0210000000",
                  "vpn": "0.0520000000", "cross_az": "0.0100000000", "nat_hour": "0.0480000000",
                  "nat_gb": "0.0480000000", "m5": "0.1070000000", "gp3": "0.0880000000",
                  "resolver_eni": "0.1260000000", "resolver_q1": "0.0000004100",
                  "resolver_q2": "0.0000002100", "nlb": "0.0252000000", "nlcu": "0.0070000000",
                  "fsx_ssd": "0.2400000000", "fsx_mbps": "4.7000000000"},
    "ap-south-1": {"ie_hour": "0.0120000000", "ie_gb1": "0.0120000000",
                   "ie_gb2": "0.0080000000", "ie_gb3": "0.0060000000",
                   "tgw_hour": "0.0530000000", "tgw_gb": "0.0230000000", "vpn": "0.0540000000",
                   "cross_az": "0.0100000000", "nat_hour": "0.0560000000",
                   "nat_gb": "0.0560000000", "m5": "0.1010000000", "gp3": "0.0912000000",
                   "resolver_eni": "0.1270000000", "resolver_q1": "0.0000004200",
                   "resolver_q2": "0.0000002200", "nlb": "0.0239000000", "nlcu": "0.0064000000",
                   "fsx_ssd": "0.2500000000", "fsx_mbps": "4.8000000000"},
}
#: Inter-Region out, per destination. us-east-1: $0.01 to us-east-2, $0.02 to the others (P4).
INTER_REGION = {
    "us-east-1": {"us-east-2": "0.0100000000", "us-west-1": "0.0200000000",
                  "us-west-2": "0.0200000000", "eu-west-1": "0.0200000000"},
    "eu-west-1": {"us-east-1": "0.0200000000", "eu-central-1": "0.0200000000",
                  "ap-south-1": "0.0200000000"},
    "ap-south-1": {"us-east-1": "0.0860000000", "eu-west-1": "0.0860000000",
                   "ap-southeast-1": "0.0860000000", "eu-central-1": "0.1100000000"},
}


def _sku(region: str, label: str) -> str:
    import hashlib

    return hashlib.sha1(f"{region}/{label}".encode()).hexdigest()[:16].upper()


def product_and_terms(region: str, label: str, row: Row, *, prefix: str | None = None,
                      range_words: tuple[str, str] | None = None,
                      region_code: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """One product and its OnDemand terms, in the offer file's shapes."""
    sku = _sku(region_code or region, label)
    pre = PREFIX[region] if prefix is None else prefix
    begin, end = range_words or RANGE_WORDS[region]
    attributes = {"servicecode": row.offer, "location": f"fixture {region}",
                  "locationType": "AWS Region", **row.attributes,
                  row.region_attribute: region_code or region}
    if row.usagetype is not None:
        usagetype = row.usagetype if "-AWS-" in row.usagetype else f"{pre}{row.usagetype}"
        attributes["usagetype"] = usagetype
    if row.operation:
        attributes["operation"] = row.operation
    product = {"sku": sku, "productFamily": row.family, "attributes": attributes}
    if not row.family:
        del product["productFamily"]  # TGW products may carry none (P5)
    dims = {}
    for i, (lo, hi, usd) in enumerate(row.tiers):
        rate = f"{sku}.JRTCKXETXF.{i:010d}"
        dims[rate] = {"rateCode": rate, "description": f"{label} tier {i}",
                      begin: str(lo), end: "Inf" if hi is None else str(hi),
                      "unit": row.unit, "pricePerUnit": {"USD": usd}, "appliesTo": []}
    term = {f"{sku}.JRTCKXETXF": {"offerTermCode": "JRTCKXETXF", "sku": sku,
                                  "effectiveDate": "2026-11-01T00:00:00Z",
                                  "priceDimensions": dims, "termAttributes": {}}}
    return product, {sku: term}


def offer_document(offer: str, region: str, *, terms_first: bool = False,
                   extra: list[tuple[dict[str, Any], dict[str, Any]]] | None = None,
                   drop: set[str] | None = None) -> dict[str, Any]:
    """The offer file of ``offer`` for ``region``: its products, one product of another
    Region (which must never match), and ``extra`` products."""
    products: dict[str, Any] = {}
    on_demand: dict[str, Any] = {}
    pairs = [product_and_terms(region, label, row) for label, row in rows(region, RATES[region])
             if row.offer == offer and label not in (drop or set())]
    other = "eu-west-1" if region != "eu-west-1" else "us-east-1"
    pairs += [product_and_terms(other, f"other-{label}", row, region_code=other)
              for label, row in rows(other, RATES[other])
              if row.offer == offer and not label.startswith(("decoy", "inter"))]
    pairs += extra or []
    for product, terms in pairs:
        products[product["sku"]] = product
        on_demand.update(terms)
    head = {"formatVersion": "v1.0", "disclaimer": "fixture", "offerCode": offer,
            "version": PUBLICATION[region][:10].replace("-", ""),
            "publicationDate": PUBLICATION[region]}
    body: dict[str, Any] = {"products": products, "terms": {"OnDemand": on_demand}}
    if terms_first:
        return {**head, "terms": body["terms"], "products": products}
    return {**head, **body}


def offer_path(offer: str, region: str) -> str:
    return f"/offers/v1.0/aws/{offer}/20261115000000/{region}/index.json"


def write_mirror(root: Path, regions: tuple[str, ...] = ("us-east-1", "eu-west-1",
                                                         "ap-south-1"),
                 *, gzip_files: bool = False) -> Path:
    """A folder laid out like the public endpoint; returns it."""
    base = root / "offers" / "v1.0" / "aws"
    base.mkdir(parents=True, exist_ok=True)
    index = {"formatVersion": "v1.0", "publicationDate": "2026-11-20T00:00:00Z", "offers": {
        o: {"offerCode": o, "versionIndexUrl": f"/offers/v1.0/aws/{o}/index.json",
            "currentVersionUrl": f"/offers/v1.0/aws/{o}/current/index.json",
            "currentRegionIndexUrl": f"/offers/v1.0/aws/{o}/current/region_index.json"}
        for o in OFFERS}}
    (base / "index.json").write_text(json.dumps(index), encoding="utf-8")
    for offer in OFFERS:
        region_index = {"formatVersion": "v1.0", "publicationDate": "2026-11-20T00:00:00Z",
                        "regions": {r: {"regionCode": r,
                                        "currentVersionUrl": offer_path(offer, r)}
                                    for r in regions}}
        folder = base / offer / "current"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "region_index.json").write_text(json.dumps(region_index), encoding="utf-8")
        for region in regions:
            write_offer(root, offer, region, offer_document(offer, region), gzip_file=gzip_files)
    return root


def write_offer(root: Path, offer: str, region: str, document: dict[str, Any], *,
                gzip_file: bool = False) -> None:
    path = root / offer_path(offer, region).lstrip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(document).encode()
    path.write_bytes(gzip.compress(data) if gzip_file else data)


# --- a real HTTP server on 127.0.0.1 ---------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    server: MirrorServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        behaviour = self.server.behaviours.get(self.path, "")
        if behaviour in ("404", "500"):
            self.send_error(int(behaviour))
            return
        path = self.server.root / self.path.lstrip("/").split("?")[0]
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        gzip_wanted = behaviour == "gzip" and "gzip" in self.headers.get("Accept-Encoding", "")
        if gzip_wanted:
            data = gzip.compress(data)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if gzip_wanted:
            self.send_header("Content-Encoding", "gzip")
        if behaviour == "truncate":  # a shorter file, served whole: malformed JSON
            data = data[: len(data) // 2]
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if behaviour == "reset":  # half the body, then a TCP reset
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            return
        if behaviour == "stall":  # a little, then nothing until the test ends
            self.wfile.write(data[:100])
            self.wfile.flush()
            self.server.release.wait(10)
            return
        self.wfile.write(data)


class MirrorServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.behaviours: dict[str, str] = {}
        self.requests: list[str] = []
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def serve(root: Path) -> Iterator[MirrorServer]:
    server = MirrorServer(root)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
