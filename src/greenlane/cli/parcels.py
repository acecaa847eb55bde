"""`greenlane parcels plan`: merge a day's orders, consolidate them, price against each alone."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from greenlane.cli.errors import errors, fail
from greenlane.cli.lazy import group
from greenlane.cli.output import Format, FormatOption, LazyConsole, progress, show_summary
from greenlane.errors import InputError, Problem

if TYPE_CHECKING:
    from greenlane.parcels.merge import Order
    from greenlane.parcels.plan import ParcelPlan
    from greenlane.parcels.waybill import Waybill


parcels_app = group(help="Order merging and cross-border consolidation.")
waybill_app = group(help="Electronic waybills.")
console = LazyConsole()


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
    fmt: FormatOption = Format.table,
) -> None:
    """Merge orders, pack and bag them per departure, give each parcel an SSCC, price both sides."""
    from rich.progress import Progress

    from greenlane.app.parcels import (
        Terms,
        hold_of,
        network_of,
        orders_of,
        packer_for,
        plan_parcels,
    )
    from greenlane.io import read_tces, write_text
    from greenlane.packing.tables import read_catalogue
    from greenlane.parcels.consolidate import Container
    from greenlane.parcels.plan import STAGES
    from greenlane.parcels.schema import ORDER_COLUMNS, ROUTE_COLUMNS

    try:
        window = hold_of(hold, "--hold")
        network = network_of(*read_tces(routes, ROUTE_COLUMNS), routes.name)
        catalogue = read_catalogue(cartons) if cartons else []
        terms = Terms(
            window,
            Container("bag", bag_kg, bag_cm3),
            company_prefix,
            first_serial,
            packer_for(catalogue, packaging_kg),
        )
        accepted, problems = orders_of(*read_tces(orders, ORDER_COLUMNS), orders.name, network)
        with Progress(console=progress.real, transient=True) as bar:
            task = bar.add_task(f"planning {len(accepted):,} orders", total=len(STAGES))

            def step(stage: str) -> None:
                bar.update(task, completed=STAGES.index(stage), description=stage)

            result = plan_parcels(accepted, network, terms, step)
    except InputError as error:
        raise fail(error) from None
    write_text(out, json.dumps(_document(result, problems), indent=1, default=str))
    _show(result, fmt, f"{len(problems)} row(s) left out; plan -> {out}")
    for problem in problems[:20]:
        errors.print(f"[yellow]left out[/]: {problem}")


def _document(result: ParcelPlan, problems: list[Problem]) -> dict[str, Any]:
    from greenlane.parcels.record import plan_record

    problems_rows = [{"row": p.row, "column": p.column, "reason": p.reason} for p in problems]
    return plan_record(result) | {"problems": problems_rows}


def _show(result: ParcelPlan, fmt: Format, note: str) -> None:
    rows = [
        {"": "plan", "orders": result.orders, "outbound parcels": result.shipped,
         "orders/parcel": result.consolidation_ratio, "packaging kg": result.packaging_kg,
         "kg CO2e/order": result.co2e_per_order_kg},
        {"": "baseline", "orders": result.orders, "outbound parcels": result.orders,
         "orders/parcel": 1.0, "packaging kg": result.baseline_packaging_kg,
         "kg CO2e/order": result.baseline_co2e_per_order_kg},
    ]  # fmt: skip
    last = result.last_mile
    notes = [note] + (
        [f"last mile of {last.parcels:,} parcels: door {last.door_co2e_wtw_kg:,.2f} kg CO2e, "
         f"post station {last.station_co2e_wtw_kg:,.2f} kg CO2e (WTW)"] if last.parcels else []
    )  # fmt: skip
    show_summary(rows, fmt, "parcel plan against every order shipped alone", console, notes)


@waybill_app.command("print")
def print_waybills(
    plan_file: Annotated[Path, typer.Argument(help="A plan written by `greenlane parcels plan`.")],
    orders: Annotated[Path, typer.Option(help="The orders file the plan was made from.")],
    out: Annotated[Path, typer.Option(help="labels.pdf (100 x 150 mm pages) or labels.zpl.")],
    tracking_base: Annotated[
        str, typer.Option(help="Public tracking address; the SSCC is appended.")
    ] = "https://track.example/",
    origin_hub: Annotated[str, typer.Option(help="Printed as the sender hub.")] = "origin hub",
    sheets: Annotated[int, typer.Option(min=0, help="Sheets of the paper waybill replaced.")] = 5,
) -> None:
    """E-waybill labels for every parcel of a plan, and the paper sheets they avoid."""
    from greenlane.app.parcels import orders_of
    from greenlane.io import check_output, read_tces, write_bytes, write_text
    from greenlane.parcels.schema import ORDER_COLUMNS
    from greenlane.parcels.waybill import paper_avoided, zpl
    from greenlane.reports.waybill import labels_pdf

    try:
        check_output(out, (".pdf", ".zpl"))
        accepted, _ = orders_of(*read_tces(orders, ORDER_COLUMNS), orders.name, None)
        document = _plan_document(plan_file)
    except InputError as error:
        raise fail(error) from None
    by_id = {o.order_id: o for o in accepted}
    bills = [_waybill(p, by_id, origin_hub) for p in document["parcels"]]
    url = tracking_base.rstrip("/")
    if out.suffix.lower() == ".zpl":
        write_text(out, "".join(zpl(b, f"{url}/{b.sscc}") for b in bills))
    else:
        from rich.progress import Progress

        with Progress(console=progress.real, transient=True) as bar:
            task = bar.add_task("drawing labels", total=len(bills))
            pdf = labels_pdf(bills, url, lambda n: bar.update(task, completed=n))
        write_bytes(out, pdf)
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
    from greenlane.parcels.waybill import Waybill

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
