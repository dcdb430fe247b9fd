"""Memory of parsing a large Price List offer file. Run:
.venv/bin/python -m benchmarks.pricelist_memory [--mb 200] [--out benchmarks/PRICELIST.md]

Generates an AmazonEC2-like offer file in the real schema (products with ``attributes``,
``terms.OnDemand`` with ``priceDimensions``) of about ``--mb`` megabytes, with the catalogue's
NAT gateway product among tens of thousands of instance products, then measures, each in a
fresh process, the peak resident memory (``ru_maxrss``) of:

- the baseline process: Python with archlib's parser imported, parsing nothing;
- archlib's streaming parse (``archlib._pricelist.parse_offer``, ijson);
- the naive parse, ``json.load`` of the whole file (what the research measured at ~2.5 GB for
  the real 450 MB EC2 file, P7).

The issue's bound is 200 MB for the streaming parse; it is reported against the baseline of
the same run, never asserted on time. Writes a Markdown table (``--out``) or prints it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["generate", "main", "measure"]

BOUND_MB = 200

_CHILD = """
import json, resource, sys, time
mode, path = sys.argv[1], sys.argv[2]
from archlib._catalogue import catalogue
from archlib._pricelist import parse_offer
start = time.perf_counter()
found = ""
if mode == "stream":
    cat = catalogue()
    specs = tuple(s for s in cat.priced() if s.offer == "AmazonEC2")
    offer = parse_offer(lambda: open(path, "rb"), "eu-west-1", specs, None, cat, url=path)
    found = ",".join(f"{k}={len(v)}" for k, v in sorted(offer.candidates.items()))
elif mode == "json":
    with open(path, "rb") as f:
        doc = json.load(f)
    found = str(len(doc["products"]))
print(json.dumps({"rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "seconds": time.perf_counter() - start, "found": found}))
"""


def _product(i: int) -> tuple[str, dict[str, object], dict[str, object]]:
    sku = f"SKU{i:012d}"
    family, usagetype, operation = "Compute Instance", f"EU-BoxUsage:t{i % 97}.x{i}", \
        "RunInstances"
    if i == 7:  # the one product the NAT gateway hour item must find
        family, usagetype, operation = "NAT Gateway", "EU-NatGateway-Hours", "NatGateway"
    attributes = {"servicecode": "AmazonEC2", "location": "EU (Ireland)",
                  "locationType": "AWS Region", "instanceType": f"t{i % 97}.x{i}",
                  "operatingSystem": "Linux", "preInstalledSw": "NA", "tenancy": "Shared",
                  "capacitystatus": "Used", "usagetype": usagetype, "operation": operation,
                  "regionCode": "eu-west-1", "vcpu": "2", "memory": "8 GiB",
                  "networkPerformance": "Up to 10 Gigabit", "storage": "EBS only"}
    product: dict[str, object] = {"sku": sku, "productFamily": family, "attributes": attributes}
    rate = f"{sku}.JRTCKXETXF.6YS6EN2CT7"
    terms: dict[str, object] = {f"{sku}.JRTCKXETXF": {
        "offerTermCode": "JRTCKXETXF", "sku": sku, "effectiveDate": "2026-11-01T00:00:00Z",
        "priceDimensions": {rate: {
            "rateCode": rate, "description": f"USD 0.048 per {usagetype}",
            "beginRange": "0", "endRange": "Inf", "unit": "Hrs",
            "pricePerUnit": {"USD": "0.0480000000"}, "appliesTo": []}},
        "termAttributes": {}}}
    return sku, product, terms


def generate(path: Path, megabytes: float) -> int:
    """Write the offer file (products first, then terms, as AWS does); its product count."""
    target = int(megabytes * 1_000_000)
    per = len(json.dumps(_product(10**6)[1])) + len(json.dumps(_product(10**6)[2])) + 40
    count = max(10, target // per)
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"formatVersion": "v1.0", "disclaimer": "generated", "offerCode": '
                  '"AmazonEC2", "version": "20261120", "publicationDate": '
                  '"2026-11-20T00:00:00Z", "products": {')
        for i in range(count):
            sku, product, _ = _product(i)
            out.write(("," if i else "") + json.dumps(sku) + ":" + json.dumps(product))
        out.write('}, "terms": {"OnDemand": {')
        for i in range(count):
            sku, _, terms = _product(i)
            out.write(("," if i else "") + json.dumps(sku) + ":" + json.dumps(terms))
        out.write("}}}")
    return count


def measure(mode: str, path: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path)],
                          capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200.0, help="size of the generated file")
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    parser.add_argument("--skip-json", action="store_true", help="skip the json.load baseline")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="archlib-bench-") as folder:
        path = Path(folder) / "AmazonEC2-eu-west-1.json"
        started = time.perf_counter()
        count = generate(path, args.mb)
        size_mb = path.stat().st_size / 1e6
        made = time.perf_counter() - started
        rows = [("baseline (imports only)", measure("none", path)),
                ("streaming parse (ijson)", measure("stream", path))]
        if not args.skip_json:
            rows.append(("json.load (naive)", measure("json", path)))
    base_mb = float(str(rows[0][1]["rss_kb"])) / 1024
    stream_mb = float(str(rows[1][1]["rss_kb"])) / 1024
    verdict = "met" if stream_mb <= BOUND_MB else "**not met**"
    lines = [
        "# Price List parse: memory",
        "",
        "Written by `python -m benchmarks.pricelist_memory`; peak resident memory "
        "(`ru_maxrss`) of a fresh process each, on a generated AmazonEC2-like offer file of "
        f"{size_mb:,.0f} MB ({count:,} products and their terms; generated in {made:.1f} s).",
        "",
        "| process | peak RSS (MB) | above baseline (MB) | seconds | found |",
        "|---|---|---|---|---|",
    ]
    for label, row in rows:
        rss = float(str(row["rss_kb"])) / 1024
        lines.append(f"| {label} | {rss:,.0f} | {rss - base_mb:,.0f} | "
                     f"{float(str(row['seconds'])):.1f} | {row['found'] or '-'} |")
    lines += ["", f"Issue 19's bound, streaming parse under {BOUND_MB} MB: {verdict} "
              f"({stream_mb:,.0f} MB).", ""]
    text = "\n".join(lines)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
