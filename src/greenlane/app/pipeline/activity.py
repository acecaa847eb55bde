"""The day's TCEs, calculated and stored in parts: memory one part's, the day still atomic.

A day of a million orders has about five million TCEs; built, calculated and stored at once
they took gigabytes (400 MiB for 20,000 orders). They are made in parts of ``PART_TCES``
instead, spilled to Parquet, and calculated and stored part by part into the day's one
batch, in the day's transaction: the parcels' chains while the zones are routed, then the
routes'. Energy-based TOCs and HOCs (the pickup fleet's fuel receipts, the routes' vehicles)
share their energy over all of their TCEs, which may fall in several parts: spilling sums
each one's activity exactly, and every part is priced with those totals, as the whole day
would be. The day's figures are exact sums, the same whatever the part size.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any

import polars as pl
import sqlalchemy as sa

from greenlane.app.energy import ParkPlan
from greenlane.app.pipeline.exact import ExactSum
from greenlane.app.pipeline.world import RECEIPT_COLUMNS, World
from greenlane.emissions import allocated_activity
from greenlane.emissions import run as calculate_tces
from greenlane.energy.document import ParkDoc
from greenlane.energy.kpis import hoc_rows, refrigerant_rows
from greenlane.io import read_rows
from greenlane.parcels.chains import Route, chain_frame
from greenlane.parcels.plan import ParcelPlan
from greenlane.store.access import Caller
from greenlane.store.ingest import Batch

PART_TCES = 100_000  # TCEs calculated and stored at once


@dataclass(frozen=True, slots=True)
class OwnData:
    """The network's own energy figures of a day, which replace default factors where they go.

    The first-mile vans' fuel receipts by origin hub and the line-haul carriers' reported fuel
    by lane (TOCs, primary data); the park's planned electricity as the HOC of the hub it
    serves (modelled data: a plan, not a meter).
    """

    first_mile: dict[str, str]  # origin hub -> its pickup fleet's TOC of the day
    line_haul: dict[tuple[str, str], str]  # (origin hub, gateway) -> the carrier's TOC
    tocs: list[dict[str, Any]]
    park_hub: str | None
    park_hoc: str
    hocs: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class DayActivity:
    """What the day's stored TCEs add up to."""

    tces: int
    co2e_wtw_kg: float
    tkm: float
    categories: dict[str, float]  # WTW by ISO 14083 data category


def own_data(world: World, files: dict[str, str], park_day: ParkPlan) -> OwnData:
    """The day's fuel receipts, the carriers' reports and the park's HOC, read or made."""
    receipts = read_rows(world.path("fuel_receipts", files), RECEIPT_COLUMNS) if (
        "fuel_receipts" in files) else []  # fmt: skip
    lanes = world.carrier_tocs
    park = world.park
    hoc = f"park.{park.park_id}"
    return OwnData(
        first_mile={r["origin_hub"]: r["toc_id"] for r in receipts},
        line_haul={(r["origin"], r["destination"]): r["toc_id"] for r in lanes},
        tocs=[_without(r, "origin_hub") for r in receipts]
        + [_without(r, "origin", "destination") for r in lanes],
        park_hub=park.hub,
        park_hoc=hoc,
        hocs=_park_hocs(park, park_day, hoc) if park.hub else [],
    )


class DayTces:
    """The day's TCEs, calculated and stored part by part as one batch, in the day's transaction.

    They come in passes: the parcels' chains while the zones are still being routed, then
    the routes'. Each pass is priced with its own TOCs and HOCs, whose energy it shares out
    over that pass's TCEs (a chain never uses a route's TOC, nor a route a chain's).
    """

    def __init__(self, conn: sa.Connection, caller: Caller, key: str, digest: str) -> None:
        """A batch under the idempotency ``key``, ``digest`` the SHA-256 of the day's inputs."""
        self.batch = Batch(conn, caller, key, digest)
        self.count, self.co2e, self.tkm = 0, ExactSum(), ExactSum()
        self.categories: dict[str, ExactSum] = {}

    def add(
        self,
        frames: Iterator[pl.DataFrame],
        tocs: list[dict[str, Any]],
        hocs: list[dict[str, Any]],
    ) -> None:
        """Calculate and store one pass of TCEs, in ``frames``, priced by its TOCs and HOCs."""
        with tempfile.TemporaryDirectory(prefix="greenlane-tces-") as folder:
            parts, totals = _spill(frames, Path(folder), tocs or None, hocs or None)
            for path in parts:
                part = pl.read_parquet(path)
                # totals given even when empty: a part is priced as part of the pass, never
                # by the row-by-row path for small inputs (its last digit may differ)
                priced = calculate_tces(part, tocs or None, hocs or None, allocation_totals=totals)
                done = priced.results
                self.batch.add(done)
                self.count += done.height
                self.co2e.add(done["co2e_wtw_kg"])
                self.tkm.add(done["transport_activity_tkm"])
                for (category,), group in done.group_by("data_type"):
                    self.categories.setdefault(str(category), ExactSum()).add(group["co2e_wtw_kg"])
                del part, priced, done

    def close(self) -> DayActivity:
        """The batch's counts recorded; the count and exact sums of what was stored."""
        self.batch.close()
        by_category = {name: total.value for name, total in sorted(self.categories.items())}
        return DayActivity(self.count, self.co2e.value, self.tkm.value, by_category)


def _spill(
    frames: Iterator[pl.DataFrame],
    folder: Path,
    tocs: list[dict[str, Any]] | None,
    hocs: list[dict[str, Any]] | None,
) -> tuple[list[Path], dict[str, float]]:
    """The frames written as Parquet parts; each energy-based category's activity over them all."""
    paths: list[Path] = []
    shared: dict[str, ExactSum] = {}
    for frame in frames:
        if not frame.height:
            continue
        for factor_id, values in allocated_activity(frame, tocs, hocs).items():
            shared.setdefault(factor_id, ExactSum()).add(values)
        paths.append(folder / f"part-{len(paths):05d}.parquet")
        frame.write_parquet(paths[-1])
    return paths, {factor_id: total.value for factor_id, total in shared.items()}


def chain_tces(world: World, plan: ParcelPlan, own: OwnData) -> Iterator[pl.DataFrame]:
    """The TCEs of every parcel's chain, origin to the buyer (the routed last mile apart).

    In frames of ``PART_TCES`` rows or so. A chain is reported under the merchant of the
    parcel's first order. The routed country's route has a 0 km last mile (its vehicles'
    TCEs replace it), left out here. Legs and hubs with the network's own figures (``own``)
    are priced by them.
    """
    routes = {country: _own(route, own) for country, route in world.network.planned.items()}
    shipped = ((sscc, s) for sscc, s in plan.parcels if sscc in plan.co2e_by_parcel)
    per_part = PART_TCES // 5  # a parcel's chain: a first mile an order, then four elements
    packaging = plan.packaging_by_parcel
    while part := list(islice(shipped, per_part)):
        chains = [(sscc, s, routes[s.orders[0].country], packaging[sscc]) for sscc, s in part]
        sent = pl.DataFrame(
            {
                "shipment_id": [sscc for sscc, _ in part],
                "shipper_id": [s.orders[0].merchant_id for _, s in part],
                "departure_at": [s.leaves_at.isoformat() for _, s in part],
            },
            schema=dict.fromkeys(["shipment_id", "shipper_id", "departure_at"], pl.String),
        )
        frame = chain_frame(chains).filter(pl.col("distance_km").ne_missing(0.0))
        yield frame.join(sent, on="shipment_id", how="left", maintain_order="left")


def _own(route: Route, own: OwnData) -> Route:
    """A route priced by the network's own figures where it has them."""
    hub, gateway = route.origin_hub, route.gateway
    return replace(
        route,
        first_mile_toc=own.first_mile.get(hub, route.first_mile_toc),
        line_haul_toc=own.line_haul.get((hub, gateway), route.line_haul_toc),
        origin_hoc=own.park_hoc if hub == own.park_hub else route.origin_hoc,
    )


def _park_hocs(park: ParkDoc, park_day: ParkPlan, hoc: str) -> list[dict[str, Any]]:
    """The park's day as its hub's HOC: planned electricity and a day of refrigerant leaks.

    Shared by every tonne the hub handles, every customer's, not greenlane's orders only.
    """
    leaks = [(r.gas, r.kg_per_year) for r in park.refrigerants]
    rows = hoc_rows(park_day.park, park_day.planned, hoc, data_type="modelled")
    rows += refrigerant_rows(leaks, 1.0, hoc, data_type="modelled")
    return [row | {"hub_activity_t": park.handled_t_per_day} for row in rows]


def _without(row: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in names}
