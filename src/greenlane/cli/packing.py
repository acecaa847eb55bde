"""`greenlane pack`: cartons for every order of a file, and what they save against a baseline."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from greenlane.cli.errors import errors, fail
from greenlane.cli.output import Format, FormatOption, LazyConsole, progress, show_summary
from greenlane.errors import InputError, Problem

if TYPE_CHECKING:
    from greenlane.packing.model import Carton, Item
    from greenlane.packing.savings import Footprint
    from greenlane.packing.select import Plan


console = LazyConsole()


class Objective(StrEnum):
    """What carton selection minimises."""

    board = "board"
    cost = "cost"
    dim_weight = "dim_weight"


def pack(
    orders: Annotated[Path, typer.Argument(help="Order items (CSV, Parquet or JSON).")],
    cartons: Annotated[Path, typer.Option(help="The carton catalogue (CSV, Parquet or JSON).")],
    out: Annotated[Path, typer.Option(help="Where to write the plan (JSON).")] = Path("plan.json"),
    objective: Annotated[Objective, typer.Option(help="What to minimise.")] = Objective.board,
    divisor: Annotated[
        float, typer.Option(min=100, max=100_000, help="Dimensional-weight divisor, cm3/kg.")
    ] = 5000.0,
    html: Annotated[
        Path | None, typer.Option(help="Also write the plan as a page with 3D cartons.")
    ] = None,
    view: Annotated[
        list[str] | None,
        typer.Option(help="Order whose cartons the page draws (repeat; default: the first 12)."),
    ] = None,
    baseline: Annotated[
        str,
        typer.Option(
            help="smallest_that_fits (each order in the smallest carton it packs into); "
            "default:CARTON_ID (one carton type for all); current:FILE (order_id,carton_id "
            "per carton used today); or smallest_by_volume (a volume rule: a bound)."
        ),
    ] = "smallest_that_fits",
    fmt: FormatOption = Format.table,
) -> None:
    """Choose the cartons for every order and place every item; report the saving.

    Bad rows are reported with file, row, column and reason; their orders are left out and
    every other order is packed. A bad carton catalogue, or a file of which no row is valid,
    stops the command (exit code 2) with nothing written.
    """
    from rich.progress import track

    from greenlane.factors.materials import BOARD_FACTOR_SOURCE
    from greenlane.io import write_text
    from greenlane.packing.savings import footprint, plan_boxes
    from greenlane.packing.select import plan_order, plan_record
    from greenlane.packing.tables import read_catalogue
    from greenlane.reports.packing import write_plan_html

    try:
        catalogue = read_catalogue(cartons)
        by_order, problems = _orders(orders)
        if problems and not by_order:  # nothing valid: a failure, not an empty plan
            raise InputError(problems)
        compare = _baseline(baseline, catalogue)  # a bad baseline stops before any packing
    except InputError as error:
        raise fail(error) from None
    plans = [
        plan_order(order_id, items, catalogue, objective.value, divisor)
        for order_id, items in track(
            list(by_order.items()), description="packing orders", console=progress.real
        )
    ]
    packable = [  # neither side counts the items no carton can hold
        (plan.order_id, [i for i in by_order[plan.order_id] if i.item_id not in _refused(plan)])
        for plan in plans
    ]
    try:
        base_boxes, compared = compare(packable)
    except InputError as error:
        raise fail(error) from None
    planned = footprint(plan_boxes(p for p in plans if p.order_id in compared), divisor)
    base = footprint(base_boxes, divisor)
    document = {
        "objective": objective.value,
        "divisor_cm3_per_kg": divisor,
        "baseline": baseline,
        "board_factor": BOARD_FACTOR_SOURCE,
        "totals": {"plan": asdict(planned), "baseline": asdict(base)},
        "compared_orders": len(compared),
        "orders": [plan_record(p) for p in plans],
        "problems": [asdict(p) for p in problems],
    }
    write_text(out, json.dumps(document, indent=1))
    if html is not None:
        write_plan_html(html, plans, planned, base, view or ())
    refused = sum(len(p.refused) for p in plans)
    _show(planned, base, baseline, fmt,
          f"{len(plans):,} orders packed, {refused} items refused -> {out}")  # fmt: skip
    for problem in problems[:20]:
        errors.print(f"[yellow]left out[/]: {problem}")
    if len(problems) > 20:
        errors.print(f"... and {len(problems) - 20} more problems (all in {out})")


def _refused(plan: Plan) -> set[str]:
    return {r.item_id for r in plan.refused}


def _orders(path: Path) -> tuple[dict[str, list[Item]], list[Problem]]:
    from greenlane.io import read_tces
    from greenlane.packing.schema import ITEM_COLUMNS
    from greenlane.packing.tables import orders_from_rows

    frame, problems = read_tces(path, ITEM_COLUMNS)
    unparsed = {p.row for p in problems if p.row is not None}
    orders, more = orders_from_rows(frame.to_dicts(), path.name, unparsed)
    return orders, problems + more


Orders = list[tuple[str, list["Item"]]]
Baseline = Callable[[Orders], tuple[list[tuple["Carton", float]], set[str]]]


def _baseline(name: str, catalogue: list[Carton]) -> Baseline:
    """The baseline policy named, checked now: it gives the cartons and the orders compared.

    With ``current:FILE`` (read here, once) only the orders the file assigns are compared.
    """
    from greenlane.io import read_rows
    from greenlane.packing.savings import (
        assigned_boxes,
        default_carton_boxes,
        smallest_by_volume_boxes,
        smallest_that_fits_boxes,
    )
    from greenlane.packing.schema import ASSIGNMENT_COLUMNS

    if name == "smallest_that_fits":
        return lambda orders: (smallest_that_fits_boxes(orders, catalogue), _ids(orders))
    if name == "smallest_by_volume":
        return lambda orders: (smallest_by_volume_boxes(orders, catalogue), _ids(orders))
    kind, _, value = name.partition(":")
    if kind == "current":
        rows = read_rows(value, ASSIGNMENT_COLUMNS)
        pairs = [(str(r["order_id"]), str(r["carton_id"])) for r in rows]
        try:
            assigned_boxes([], pairs, catalogue)  # every carton named is in the catalogue
        except ValueError as e:
            raise InputError([Problem(value, None, "carton_id", str(e))]) from e
        named = {o for o, _ in pairs}
        return lambda orders: (assigned_boxes(orders, pairs, catalogue), _ids(orders) & named)
    chosen = [c for c in catalogue if c.carton_id == value]
    if kind != "default" or not chosen:
        unknown = f" (no carton {value!r} in the catalogue)" if kind == "default" else ""
        raise typer.BadParameter(
            "use smallest_that_fits, default:CARTON_ID, current:FILE or smallest_by_volume; "
            f"got {name!r}{unknown}"
        )
    return lambda orders: (default_carton_boxes(orders, chosen[0]), _ids(orders))


def _ids(orders: Orders) -> set[str]:
    return {order_id for order_id, _ in orders}


def _show(planned: Footprint, base: Footprint, baseline: str, fmt: Format, note: str) -> None:
    rows = [
        {"": name, "cartons": f.cartons, "board kg": f.board_kg, "void m3": f.void_cm3 / 1e6,
         "dim. weight kg": f.dim_weight_kg, "kg CO2e (board)": f.co2e_board_kg}
        for name, f in (("plan", planned), ("baseline", base), ("saved", base - planned))
    ]  # fmt: skip
    show_summary(rows, fmt, f"packing plan against the baseline ({baseline})", console, [note])
