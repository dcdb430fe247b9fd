"""``archlib prices``: refresh, list and show the price files (issue 19).

``update`` fetches the AWS Price List (or a mirror, or a local copy) into the price cache;
``list`` shows the Regions that have prices; ``show`` prints one Region's items. Bad input is
one line and exit 2; a failed download or parse is one line per Region and exit 1, after the
other Regions were written.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from ._errors import InputError, one_line

__all__ = ["prices_app", "update_regions"]

prices_app = typer.Typer(help="Price files: refresh from the AWS Price List, list, show.",
                         no_args_is_help=True, add_completion=False)


def _fail(error: InputError) -> None:
    typer.echo(f"archlib: {error.line()}", err=True)
    raise typer.Exit(2)


class _Downloads:
    """A rich progress bar on stderr for the file being downloaded."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TransferSpeedColumn,
        )

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                 DownloadColumn(), TransferSpeedColumn(),
                                 console=Console(stderr=True), transient=True)
        self.tasks: dict[str, Any] = {}

    def __call__(self, label: str, done: int, total: int | None) -> None:
        if label not in self.tasks:
            # e.g. AmazonEC2/current/eu-west-1/index.json: the offer and the Region
            shown = one_line("/".join(label.replace("\\", "/").split("/")[-4:]), 60)
            self.tasks[label] = self.progress.add_task(shown, total=total)
        self.progress.update(self.tasks[label], completed=done, total=total)


def update_regions(regions: list[str], base: str, *, every: bool = False,
                   timeout: float = 30.0, progress: Any = None,
                   report: Any = None) -> list[str]:
    """Fetch and cache each Region's prices; returns the failure lines (empty: all written).
    ``report(line)`` is told of each Region written or failed."""
    from . import _pricecache
    from ._catalogue import catalogue
    from ._pricelist import PriceListError, fetch_region, make_indexes, open_source
    from ._prices import REGION_NAME, read_shipped

    units = {k: p.unit for k, p in read_shipped("us-east-1").items.items()}
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="archlib-prices-") as scratch, \
            open_source(base, timeout=timeout, progress=progress) as source:
        indexes = make_indexes(source, Path(scratch))
        if every:
            try:
                regions = sorted(r for r in indexes.regions(catalogue().offers[0])
                                 if REGION_NAME.fullmatch(r) and "-gov-" not in r
                                 and "-iso" not in r)
            except PriceListError as error:
                return [str(error)]
        for region in regions:
            try:
                prices = fetch_region(indexes, region)
                path = _pricecache.write_region(prices, units, base=base,
                                                fetched=dt.datetime.now(dt.UTC))
            except PriceListError as error:
                failures.append(f"{region}: {error}")
                continue
            except OSError as error:
                failures.append(one_line(f"{region}: cannot write the cache: {error}"))
                continue
            if report is not None:
                gaps = f", not offered: {', '.join(prices.not_offered)}" \
                    if prices.not_offered else ""
                report(f"wrote {path} ({len(prices.items)} items, as of {prices.as_of}{gaps})")
    return failures


@prices_app.command("update")
def update_command(
    region: Annotated[list[str] | None, typer.Option(
        "--region", help="A Region to refresh (repeatable), e.g. eu-west-1.")] = None,
    every: Annotated[bool, typer.Option(
        "--all", help="Every commercial Region the Price List lists.")] = False,
    source: Annotated[str | None, typer.Option(
        "--from", metavar="DIR_OR_URL", help="Another base URL, or a local folder laid out "
        "like the endpoint (offers/v1.0/aws/index.json and the paths it names).")] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", help="Seconds to wait for the network at each step.")] = 30.0,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Fetch Region prices from the AWS Price List into the price cache (no credentials)."""
    from ._pricelist import DEFAULT_BASE
    from ._prices import REGION_NAME

    regions = list(dict.fromkeys(region or []))
    try:
        if every == bool(regions):
            raise InputError("give --region R (repeatable) or --all", where="prices update")
        for name in regions:
            if not REGION_NAME.fullmatch(name):
                raise InputError("is not an AWS Region name (like eu-west-1)",
                                 where="--region", field=name)
        if not 0 < timeout <= 3600:
            raise InputError(f"must be from 0 to 3600 seconds (got {timeout:g})",
                             where="--timeout")
        base = source or DEFAULT_BASE
        if source and "://" not in source and not Path(source).is_dir():
            raise InputError("is neither a URL nor a folder", where="--from", field=source)
    except InputError as error:
        _fail(error)
        return

    def say(line: str) -> None:
        typer.echo(one_line(line))

    if quiet:
        failures = update_regions(regions, base, every=every, timeout=timeout, report=say)
    else:
        bar = _Downloads()
        with bar.progress:
            failures = update_regions(regions, base, every=every, timeout=timeout,
                                      progress=bar, report=say)
    for line in failures:
        typer.echo(f"archlib: prices update: {line}", err=True)
    if failures:
        raise typer.Exit(1)


@prices_app.command("list")
def list_command() -> None:
    """The Regions with prices: as of, where they came from, age in days."""
    from ._pricecache import cache_dir, cached_regions
    from ._prices import available_regions, load_prices

    cached = set(cached_regions())
    today = dt.date.today()
    typer.echo("region\tas_of\tage_days\tfrom")
    for region in available_regions():
        try:
            table = load_prices(region)
        except InputError as error:
            typer.echo(f"{region}\t-\t-\tunreadable: {error.line()}")
            continue
        try:
            age = str((today - dt.date.fromisoformat(table.as_of)).days)
        except ValueError:
            age = "-"
        origin = (f"AWS Price List cache ({cache_dir() / (region + '.yaml')})"
                  if region in cached else "shipped with archlib")
        typer.echo(f"{region}\t{table.as_of}\t{age}\t{one_line(origin)}")


@prices_app.command("show")
def show_command(
    region: Annotated[str, typer.Argument(help="A Region (see `archlib prices list`).")],
) -> None:
    """Print a Region's price items: value, unit, origin and source (SKU for the cache)."""
    from ._prices import load_prices

    try:
        table = load_prices(region)
    except InputError as error:
        _fail(error)
        return
    typer.echo(f"# {table.region}, as of {table.as_of}: {table.provenance}")
    if table.age_warning:
        typer.echo(f"# warning: {table.age_warning}")
    typer.echo("item\tvalue\tunit\torigin\tsource")
    for item_id, price in sorted(table.items.items()):
        where = f"SKU {price.sku} {price.url}" if price.sku else f"{price.source} {price.url}"
        flag = " (unverified)" if price.unverified else ""
        typer.echo(f"{item_id}\t{price.value:g}\t{price.unit}{flag}\t{price.origin}\t{where}")
        for tier in price.tiers:
            upper = "above" if tier.up_to_gb is None else f"up to {tier.up_to_gb:g} GB"
            typer.echo(f"  tier\t{tier.usd_per_gb:g}\t{upper}")
