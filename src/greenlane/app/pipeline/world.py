"""The scenario the main job runs: its fixed inputs read and checked once, and its levers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import polars as pl

from greenlane.app.parcels import network_of
from greenlane.app.pipeline.stages import quiet, stage
from greenlane.emissions.schema import STR, TOC_COLUMNS
from greenlane.energy.document import ParkDoc
from greenlane.errors import InputError
from greenlane.io import read_columns, read_rows, read_tces
from greenlane.io.columns import Column
from greenlane.io.documents import check
from greenlane.packing.model import Carton
from greenlane.packing.tables import read_catalogue
from greenlane.parcels.consolidate import Container
from greenlane.parcels.network import Network
from greenlane.parcels.schema import ROUTE_COLUMNS
from greenlane.routing.schema import FLEET_COLUMNS, PLACE_COLUMNS
from greenlane.settings import ZONE_STOPS, Settings

HOLD = timedelta(minutes=30)  # how long an order may wait for its buyer's next one
BAG = Container("sack", 30.0, 300_000.0)  # a 300 L postal sack of up to 30 kg
COMPANY_PREFIX = "0614141"  # GS1 company prefix of the demo's SSCCs
SHEETS_PER_WAYBILL = 5  # the multi-part paper waybill an e-waybill replaces


@dataclass(frozen=True, slots=True)
class Levers:
    """The main job's levers, from the settings.

    The carbon price in the routing and relief objectives (the baseline routes on cost alone),
    the solver iterations per last-mile zone (iterations, not seconds, so that a seed gives
    the same plans and figures on any machine), the solver seed, and the most stops a zone
    holds (the cut depends on the stops alone, never on the workers).
    """

    carbon_price: float
    routing_iterations: int
    seed: int
    zone_stops: int = ZONE_STOPS

    @classmethod
    def of(cls, current: Settings) -> Levers:
        """The levers the settings state."""
        return cls(current.carbon_price, current.routing_iterations, current.seed,
                   current.routing_zone_stops)  # fmt: skip


@dataclass(frozen=True, slots=True)
class World:
    """The scenario's fixed inputs, read and checked once."""

    folder: Path
    manifest: dict[str, Any]
    network: Network
    cartons: list[Carton]
    places: pl.DataFrame
    fleet: pl.DataFrame
    park: ParkDoc
    carrier_tocs: list[dict[str, Any]]  # line-haul carriers' reported fuel, by lane (primary)

    @property
    def name(self) -> str:
        """The scenario's name in the store: its seed and first day."""
        return f"seed{self.manifest['seed']}-{self.manifest['first_day']}"

    @property
    def routed_country(self) -> str:
        """The country whose last mile the routing module plans."""
        return str(self.manifest["routed_country"])

    def path(self, key: str, day: dict[str, str] | None = None) -> Path:
        """A file of the scenario by its manifest key (a day's, with ``day``)."""
        return self.folder / (day or self.manifest)[key]

    def merchants(self) -> list[str]:
        """Every merchant of the scenario's orders (they are its shippers)."""
        found: set[str] = set()
        for day in self.manifest["days"]:
            orders = read_columns(self.path("orders", day), ["merchant_id"])
            found |= set(orders["merchant_id"])
        return sorted(found)


LANE_TOC_COLUMNS = (  # a carrier's TOC and the lane it reports for
    *TOC_COLUMNS,
    Column("origin", STR, "", True, "The lane's origin hub."),
    Column("destination", STR, "", True, "The lane's gateway."),
)
RECEIPT_COLUMNS = (  # a pickup fleet's fuel receipts of a day, as a TOC, and its origin hub
    *TOC_COLUMNS,
    Column("origin_hub", STR, "", True, "The hub whose first mile the fleet drives."),
)


def read_world(folder: Path) -> World:
    """The scenario under ``folder`` (its scenario.json and fixed files), checked."""
    with stage("reading the scenario", folder / "scenario.json", quiet):
        manifest = json.loads((folder / "scenario.json").read_text())
        routes = network_of(*read_tces(folder / manifest["routes"], ROUTE_COLUMNS),
                            manifest["routes"])  # fmt: skip
        places, unparsed = read_tces(folder / manifest["places"], PLACE_COLUMNS)
        fleet, bad_fleet = read_tces(folder / manifest["fleet"], FLEET_COLUMNS)
        if unparsed or bad_fleet:
            raise InputError(unparsed + bad_fleet)
        park = check(json.loads((folder / manifest["park"]).read_text()), ParkDoc, "park.json")
        carriers = manifest.get("carrier_fuel")  # scenarios made before it have none
        carrier_tocs = read_rows(folder / carriers, LANE_TOC_COLUMNS) if carriers else []
        return World(folder, manifest, routes, read_catalogue(folder / manifest["cartons"]),
                     places, fleet, park, carrier_tocs)  # fmt: skip
