"""`greenlane parcels plan`: merge a day's orders, consolidate them, price against each alone."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from greenlane.cli_errors import fail
from greenlane.errors import InputError, Problem
from greenlane.io import read_tces, write_text
from greenlane.packing.tables import read_catalogue
from greenlane.parcel_packing import carton_packer
from greenlane.parcels.chains import Route
from greenlane.parcels.consolidate import Container, Departure
from greenlane.parcels.merge import Order
from greenlane.parcels.packer import fixed_packaging
from greenlane.parcels.plan import ParcelPlan, plan_day
from greenlane.parcels.record import plan_record
from greenlane.parcels.schema import ORDER_COLUMNS, ROUTE_COLUMNS
from greenlane.parcels.sscc import make_sscc
from greenlane.parcels.tables import orders_from_rows, parse_hold
from greenlane.parcels.waybill import Waybill, paper_avoided, zpl
from greenlane.reports.waybill import labels_pdf

parcels_app = typer.Typer(
    help="Order merging and cross-border consolidation.", no_args_is_help=True
)
waybill_app = typer.Typer(help="Electronic waybills.", no_args_is_help=True)
console = Console()


@parcels_app.command("plan")
def plan(
    orders: Annotated[Path, typer.Argument(help="The day's orders (CSV, Parquet or JSON).")],
    routes: Annotated[Path, typer.Option(help="One route per destination country.")],
    out: Annotated[Path, typer.Option(help="Where to write the plan (JSON).")] = Path(
        "parcel-plan.json"
    ),
    hold: Annotated[str, typer.Option(help="Hold window for merging: 30m, 2h, 3d.")] = "30m",
    bag_kg: Annotated[float, typer.Option(min=0.1, help="Bag weight limit, kg.")] = 30.0,
    bag_cm3: Annotated[float, typer.Option(min=1.0, help="Bag volume limit, cm3.")] = 200_000.0,
    company_prefix: Annotated[str, typer.Option(help="GS1 company prefix for SSCCs.")] = "0614141",
    first_serial: Annotated[
        int, typer.Option(min=1, help="Serial of the first SSCC (continue from the last plan).")
    ] = 1,
    cartons: Annotated[
        Path | None, typer.Option(help="Carton catalogue: pack each parcel with the carton engine.")
    ] = None,
    packaging_kg: Annotated[
        float, typer.Option(min=0.0, help="Packaging per parcel, kg, when no --cartons.")
    ] = 0.1,
) -> None:
    """Merge orders, pack and bag them per departure, give each parcel an SSCC, price both sides."""
    try:
        window = _hold(hold)
        planned, baseline, transit_days, cutoffs = _routes(routes)
        packer = (
            carton_packer(read_catalogue(cartons)) if cartons else fixed_packaging(packaging_kg)
        )
        accepted, problems = _orders(orders, set(planned))
        with console.status(f"planning {len(accepted):,} orders ..."):
            result = plan_day(
                accepted,
                window,
                lambda country, _: timedelta(days=transit_days[country]),
                planned,
                baseline,
                _departures(accepted, cutoffs),
                Container("bag", bag_kg, bag_cm3),
                lambda n: make_sscc(company_prefix, first_serial + n),
                packer,
            )
    except InputError as error:
        raise fail(error) from None
    write_text(out, json.dumps(_document(result, problems), indent=1, default=str))
    _show(result)
    console.print(f"{len(problems)} row(s) left out; plan -> {out}")
    for problem in problems[:20]:
        console.print(f"[yellow]left out[/]: {problem}")


def _hold(text: str) -> timedelta:
    try:
        return parse_hold(text)
    except ValueError as e:
        raise InputError([Problem("--hold", None, "hold", str(e))]) from e


def _routes(
    path: Path,
) -> tuple[dict[str, Route], dict[str, Route], dict[str, float], dict[str, time]]:
    frame, problems = read_tces(path, ROUTE_COLUMNS)
    planned, baseline, days, cutoffs = {}, {}, {}, {}
    for n, row in enumerate(frame.to_dicts(), start=1):
        missing = [c.name for c in ROUTE_COLUMNS if c.required and row.get(c.name) is None]
        if missing:
            problems += [Problem(path.name, n, m, "required") for m in missing]
            continue
        country = str(row["country"]).upper()
        try:
            cutoffs[country] = time.fromisoformat(str(row["cutoff"]))
        except ValueError:
            problems.append(Problem(path.name, n, "cutoff", f"not a time HH:MM: {row['cutoff']!r}"))
            continue
        try:
            route = _route(row)
        except ValueError as e:
            column = "station_km" if "station" in str(e) else "first_mile_km"
            problems.append(Problem(path.name, n, column, str(e)))
            continue
        planned[country] = route
        baseline[country] = replace(route, line_haul_toc=str(row["baseline_line_haul_toc"]))
        days[country] = float(row["transit_days"])
    if problems or not planned:
        raise InputError(problems or [Problem(path.name, None, "file", "no routes")])
    return planned, baseline, days, cutoffs


def _route(row: dict[str, Any]) -> Route:
    return Route(
        origin_hub=str(row["origin_hub"]),
        gateway=str(row["gateway"]),
        first_mile_km=float(row["first_mile_km"]),
        last_mile_km=float(row["last_mile_km"]),
        first_mile_toc=str(row["first_mile_toc"]),
        line_haul_toc=str(row["line_haul_toc"]),
        last_mile_toc=str(row["last_mile_toc"]),
        hub_hoc=str(row["hub_hoc"]),
        station_km=None if row.get("station_km") is None else float(row["station_km"]),
        station_toc=None if row.get("station_toc") is None else str(row["station_toc"]),
    )


def _orders(path: Path, countries: set[str] | None) -> tuple[list[Order], list[Problem]]:
    frame, problems = read_tces(path, ORDER_COLUMNS)
    unparsed = {p.row for p in problems}
    rows = [r for n, r in enumerate(frame.to_dicts(), start=1) if n not in unparsed]
    numbers = [n for n in range(1, frame.height + 1) if n not in unparsed]
    accepted, more = orders_from_rows(rows, path.name, countries)
    more = [Problem(p.file, numbers[p.row - 1], p.column, p.reason) for p in more if p.row]
    return accepted, sorted(problems + more, key=lambda p: (p.row or 0, p.column))


def _departures(orders: list[Order], cutoffs: dict[str, time]) -> list[Departure]:
    """A line haul per country and service every day at its cut-off, from the first order on."""
    if not orders:
        return []
    first = min(o.placed_at for o in orders).date()
    last = max(o.placed_at for o in orders).date() + timedelta(days=1)
    lanes = sorted({(o.country, o.service) for o in orders})
    days = [first + timedelta(days=d) for d in range((last - first).days + 1)]
    return [
        Departure(f"{c}-{s}-{day}", c, s, datetime.combine(day, cutoffs[c]))
        for c, s in lanes
        for day in days
    ]


def _document(result: ParcelPlan, problems: list[Problem]) -> dict[str, Any]:
    problems_rows = [{"row": p.row, "column": p.column, "reason": p.reason} for p in problems]
    return plan_record(result) | {"problems": problems_rows}


def _show(result: ParcelPlan) -> None:
    table = Table(title="parcel plan against every order shipped alone")
    columns = ("", "orders", "outbound parcels", "orders/parcel", "packaging kg", "kg CO2e/order")
    for column in columns:
        table.add_column(column, justify="right")
    table.add_row(
        "plan",
        f"{result.orders:,}",
        f"{result.shipped:,}",
        f"{result.consolidation_ratio:.2f}",
        f"{result.packaging_kg:,.1f}",
        f"{result.co2e_per_order_kg:.3f}",
    )
    table.add_row(
        "baseline",
        f"{result.orders:,}",
        f"{result.orders:,}",
        "1.00",
        f"{result.baseline_packaging_kg:,.1f}",
        f"{result.baseline_co2e_per_order_kg:.3f}",
    )
    console.print(table)
    last = result.last_mile
    if last.parcels:
        console.print(
            f"last mile of {last.parcels:,} parcels: door {last.door_co2e_wtw_kg:,.2f} kg CO2e, "
            f"post station {last.station_co2e_wtw_kg:,.2f} kg CO2e (WTW)"
        )


@waybill_app.command("print")
def print_waybills(
    plan_file: Annotated[Path, typer.Argument(help="A plan written by `greenlane parcels plan`.")],
    orders: Annotated[Path, typer.Option(help="The orders file the plan was made from.")],
    out: Annotated[Path, typer.Option(help="labels.pdf (printed by Chromium) or labels.zpl.")],
    tracking_base: Annotated[
        str, typer.Option(help="Public tracking address; the SSCC is appended.")
    ] = "https://track.example/",
    origin_hub: Annotated[str, typer.Option(help="Printed as the sender hub.")] = "origin hub",
    sheets: Annotated[int, typer.Option(min=0, help="Sheets of the paper waybill replaced.")] = 5,
) -> None:
    """E-waybill labels for every parcel of a plan, and the paper sheets they avoid."""
    try:
        accepted, _ = _orders(orders, None)
        document = _plan_document(plan_file)
    except InputError as error:
        raise fail(error) from None
    by_id = {o.order_id: o for o in accepted}
    bills = [_waybill(p, by_id, origin_hub) for p in document["parcels"]]
    url = tracking_base.rstrip("/")
    if out.suffix.lower() == ".zpl":
        write_text(out, "".join(zpl(b, f"{url}/{b.sscc}") for b in bills))
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        temporary = out.with_name(f".{out.name}.part")
        temporary.write_bytes(labels_pdf(bills, url))
        temporary.replace(out)
    console.print(
        f"{len(bills):,} e-waybills -> {out}; {paper_avoided(bills, sheets):,} paper sheets avoided"
    )


def _plan_document(path: Path) -> dict[str, Any]:
    try:
        document: dict[str, Any] = json.loads(path.read_text())
        document["parcels"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise InputError([Problem(str(path), None, "file", f"not a parcel plan: {e}")]) from e
    return document


def _waybill(parcel: dict[str, Any], orders: dict[str, Order], origin_hub: str) -> Waybill:
    first = orders[parcel["orders"][0]]
    return Waybill(
        sscc=parcel["sscc"],
        order_ids=tuple(parcel["orders"]),
        consignee=first.consignee_id,
        address_lines=tuple(line.strip() for line in first.address.split(",")),
        country=first.country,
        service=first.service,
        weight_kg=sum(orders[o].weight_kg for o in parcel["orders"]),
        origin_hub=origin_hub,
        created_at=datetime.fromisoformat(str(parcel["leaves_at"])),
    )
