"""Request and response bodies of the REST API (they make the OpenAPI document)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from greenlane.parcels.tracking import STATUSES
from greenlane.relief.documents import EventDoc, NetworkDoc
from greenlane.store.tables import Role


class Body(BaseModel):
    """Every body: finite numbers only, no NUL in text, no string longer than 10,000.

    Error answers (``Answer``) are not held to this: they quote what was sent.
    """

    model_config = ConfigDict(allow_inf_nan=False, str_max_length=10_000)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain a NUL character")
        return value


class Answer(BaseModel):
    """An error the service sends: it may quote input as it came (any length, NUL and all)."""


class ProblemBody(Answer):
    """One input problem, as the CLI reports it."""

    file: str = Field(examples=["upload"])
    row: int | None = Field(
        description="1-based data row; null for a whole-file problem", examples=[2]
    )
    column: str = Field(examples=["mass_kg"])
    reason: str = Field(examples=["required, a number >= 0 (got -5.0)"])


class ErrorBody(Answer):
    """Every error response."""

    code: str = Field(examples=["invalid_input"])
    message: str = Field(examples=["1 input problem(s)"])
    problems: list[ProblemBody] = []


class BatchBody(Body):
    """What a batch upload did."""

    batch_id: str = Field(examples=["4fed368b-7d66-4afc-8150-72b5ce272b44"])
    tces: int = Field(examples=[2])
    stored: int = Field(description="TCEs stored by this batch", examples=[2])
    already_stored: int = Field(description="TCEs stored before with the same content, unchanged")
    replayed: bool = Field(description="true when this answers a repeated Idempotency-Key")


class Totals(Body):
    """kg CO2e totals; WTT/TTW cover the elements whose factor publishes the split."""

    co2e_wtt_kg: float = Field(examples=[92.4])
    co2e_ttw_kg: float = Field(examples=[306.6])
    co2e_wtw_kg: float = Field(examples=[399.0])


class QuoteBody(Body):
    """Results of TCEs calculated without storing them."""

    tces: list[dict[str, object]]
    totals: Totals


class ShipmentRow(Body):
    """A shipment in a list."""

    shipper_id: str
    shipment_id: str
    tces: int
    month: str
    co2e_wtw_kg: float | None


class ShipmentBody(Body):
    """A shipment with its transport chain, element by element."""

    shipper_id: str
    shipment_id: str
    totals: Totals
    tces: list[dict[str, object]]


class SummaryRow(Body):
    """Totals of one group over the period."""

    key: str = Field(
        description="the group: a month, mode, lane, hub or shipper", examples=["2026-03"]
    )
    tce_count: int
    mass_t: float
    transport_activity_tkm: float
    co2e_wtt_kg: float
    co2e_ttw_kg: float
    co2e_wtw_kg: float
    unsplit_wtw_kg: float = Field(description="WTW of elements whose factor has no WTT/TTW split")
    primary_wtw_kg: float = Field(description="WTW from primary data (the organization's own)")
    modelled_wtw_kg: float = Field(description="WTW from modelled data")
    default_wtw_kg: float = Field(description="WTW from default factors (the GLEC pack)")
    intensity_wtw_g_per_tkm: float | None


OrgId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$", examples=["acme"])]
STRICT = ConfigDict(extra="forbid")  # a misspelt field is refused, not silently ignored


class NewOrganization(Body):
    """An organization to register."""

    model_config = STRICT
    id: OrgId
    name: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")
    role: Role


class NewKey(Body):
    """An API key to issue."""

    model_config = STRICT
    organization_id: OrgId
    label: str = Field(default="", max_length=200)
    valid_days: int | None = Field(default=365, ge=1, le=3650, description="null: no expiry")


class IssuedKey(Body):
    """A key, shown this once."""

    id: str
    organization_id: str
    key: str
    expires_at: datetime | None


class NewGrant(Body):
    """A shipper lets a carrier report for it, or an auditor read its books."""

    model_config = STRICT
    grantee_id: OrgId = Field(description="the carrier or auditor")
    shipper_id: OrgId | None = Field(
        default=None, description="the operator names the shipper; a shipper grants its own"
    )


class Grant(Body):
    """A standing grant."""

    shipper_id: str
    grantee_id: str
    grantee_role: Role
    created_at: datetime


class Prefix(Body):
    """A GS1 company prefix and the organization it is licensed to."""

    model_config = STRICT
    prefix: str = Field(pattern=r"^[0-9]{6,12}$", examples=["0614141"])
    organization_id: OrgId


class KeyRow(Body):
    """A key as listed: never its secret."""

    id: str
    organization_id: str
    label: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class Stored(Body):
    """How many rows of primary data were stored."""

    rows: int


class Health(Body):
    """Liveness or readiness."""

    status: str
    detail: str = ""


class NewTarget(Body):
    """A reduction target; without ``base_value`` the base year's stored emissions set it."""

    model_config = ConfigDict(strict=True)  # true/false are not numbers here

    metric: Literal["co2e_wtw_t", "intensity_wtw_g_per_tkm"] = Field(
        description="absolute t CO2e WTW, or WTW intensity in g CO2e per tonne-km"
    )
    base_year: int = Field(ge=1990, le=2100, examples=[2025])
    base_value: float | None = Field(default=None, gt=0, examples=[120.0])
    target_year: int = Field(ge=1990, le=2100, examples=[2030])
    target_value: float = Field(ge=0, examples=[60.0])


class YearProgressBody(Body):
    """One year measured against the target's straight path."""

    year: int
    actual: float
    allowed: float
    gap: float = Field(description="actual - allowed: positive means above the path")
    on_track: bool


class TargetBody(NewTarget):
    """A stored target with its progress in each year that has data."""

    target_id: str
    base_value: float
    reduction_pct: float
    progress: list[YearProgressBody]


MAX_UNITS = 100  # units in one order: bounds the time of one packing request


class PackItem(Body):
    """An item of an order to pack (centimetres, kilograms)."""

    model_config = ConfigDict(strict=True)

    item_id: str = Field(min_length=1, max_length=200)
    length_cm: float = Field(ge=0.01, le=10_000)
    width_cm: float = Field(ge=0.01, le=10_000)
    height_cm: float = Field(ge=0.01, le=10_000)
    weight_kg: float = Field(ge=0, le=100_000)
    quantity: int = Field(default=1, ge=1, le=MAX_UNITS)
    upright: bool = False
    fragile: bool = False
    own_box: bool = False
    item_class: str = Field(default="", max_length=64)
    excludes: list[str] = Field(default=[], max_length=32)


class PackCarton(Body):
    """A carton type of the catalogue (inner centimetres)."""

    model_config = ConfigDict(strict=True)

    carton_id: str = Field(min_length=1, max_length=200)
    length_cm: float = Field(ge=0.01, le=10_000)
    width_cm: float = Field(ge=0.01, le=10_000)
    height_cm: float = Field(ge=0.01, le=10_000)
    max_weight_kg: float = Field(gt=0, le=100_000)
    board_kg: float = Field(ge=0, le=1000)
    cost: float = Field(default=0.0, ge=0)
    reusable: bool = False


class PackOrder(Body):
    """One order: its id and items (at most 100 units in all)."""

    model_config = ConfigDict(strict=True)

    order_id: str = Field(min_length=1, max_length=200)
    items: list[PackItem] = Field(min_length=1, max_length=MAX_UNITS)

    @model_validator(mode="after")
    def _few_units(self) -> PackOrder:
        units = sum(i.quantity for i in self.items)
        if units > MAX_UNITS:
            raise ValueError(f"at most {MAX_UNITS} units an order, got {units}")
        return self


class PackChoice(Body):
    """The catalogue and what to minimise: board kg, cost or dimensional weight."""

    model_config = ConfigDict(strict=True)

    cartons: list[PackCarton] = Field(min_length=1, max_length=50)
    objective: Literal["board", "cost", "dim_weight"] = "board"
    divisor_cm3_per_kg: float = Field(default=5000.0, ge=100, le=100_000)


class PackOrderRequest(PackOrder, PackChoice):
    """One order to pack at pack time."""


class PackRequest(PackChoice):
    """A batch of orders to pack (at most 2,000 units in all; larger jobs: greenlane pack)."""

    orders: list[PackOrder] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _few_units(self) -> PackRequest:
        ids = [o.order_id for o in self.orders]
        if len(set(ids)) < len(ids):
            raise ValueError("order_id must be unique in a batch")
        units = sum(i.quantity for o in self.orders for i in o.items)
        if units > 20 * MAX_UNITS:
            raise ValueError(f"at most {20 * MAX_UNITS} units a batch, got {units}")
        return self


class PackedPlacement(Body):
    """Where one unit goes: its corner and extent in the carton (cm)."""

    item_id: str
    unit: int
    x: float
    y: float
    z: float
    dx: float
    dy: float
    dz: float


class PackedCartonBody(Body):
    """One carton of a plan (inner centimetres)."""

    carton_id: str
    length_cm: float
    width_cm: float
    height_cm: float
    fill_rate: float
    contents_kg: float
    placements: list[PackedPlacement]


class RefusedItem(Body):
    """An item no carton can hold, and why."""

    item_id: str
    reason: str


class PlanBody(Body):
    """The cartons of one order."""

    order_id: str
    cartons: list[PackedCartonBody]
    refused: list[RefusedItem]


MAX_PLAN_ORDERS = 10_000  # orders in one planning request; larger days: greenlane parcels plan


class BagBody(Body):
    """What parcels are consolidated into: a bag, master carton or ULD, and its limits."""

    model_config = ConfigDict(strict=True)

    kind: str = Field(default="bag", min_length=1, max_length=32)
    max_weight_kg: float = Field(default=30.0, gt=0, le=10_000)
    max_volume_cm3: float = Field(default=200_000.0, gt=0, le=1e9)


class ParcelPlanRequest(Body):
    """A day's orders and routes (rows as in docs/data-formats.md); bad order rows are named."""

    model_config = ConfigDict(extra="forbid")

    plan_id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:-]+$")
    orders: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_PLAN_ORDERS)
    routes: list[dict[str, Any]] = Field(min_length=1, max_length=300)
    hold: str = Field(default="30m", max_length=16)
    bag: BagBody = BagBody()
    company_prefix: str = Field(default="0614141", pattern=r"^[0-9]{6,12}$")
    first_serial: int = Field(default=1, ge=1, le=10**9)
    packaging_kg: float = Field(default=0.1, ge=0, le=100)
    cartons: list[PackCarton] | None = Field(default=None, min_length=1, max_length=50)
    paper_sheets: int = Field(default=5, ge=0, le=20)


class ParcelPlanBody(Body):
    """The plan: totals against each order alone, parcels with SSCCs, bags, left-out rows."""

    plan_id: str
    totals: dict[str, float]
    last_mile: dict[str, float]
    paper_sheets_avoided: int
    parcels: list[dict[str, Any]]
    departures: list[dict[str, Any]]
    unplaced: list[dict[str, Any]]
    problems: list[ProblemBody]


class TrackingEventBody(Body):
    """One scan: the waybill's SSCC, what happened, when (UTC) and where (hub or city)."""

    model_config = ConfigDict(extra="forbid")

    waybill: str = Field(pattern=r"^[0-9]{18}$")
    status: str = Field(json_schema_extra={"enum": list(STATUSES)})
    at: datetime
    place: str = Field(min_length=1, max_length=200)

    @field_validator("status")
    @classmethod
    def _known(cls, status: str) -> str:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {list(STATUSES)}")
        return status


class TrackingEvents(Body):
    """Scans to record (a scan sent twice is kept once)."""

    events: list[TrackingEventBody] = Field(min_length=1, max_length=1000)


class PublicEvent(Body):
    """A step of the journey."""

    status: str
    at: str
    place: str


class PublicTracking(Body):
    """What anyone with the waybill number sees: no names, addresses or phones."""

    waybill: str
    status: str | None
    estimated_arrival: str | None
    co2e_wtw_kg: float | None
    events: list[PublicEvent]


class WaybillBody(Body):
    """A waybill as its organization sees it, with its events."""

    sscc: str
    organization_id: str
    plan_id: str
    order_ids: list[str]
    consignee: str
    address: str
    country: str
    service: str
    weight_kg: float
    co2e_wtw_kg: float | None
    origin_hub: str
    transit_days: float
    created_at: datetime
    tracking_token: str | None = Field(
        description="printed on the label: public tracking needs it with the SSCC"
    )
    events: list[PublicEvent]


FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2199, 12, 31)  # days a plan may be for
MAX_ROUTE_STOPS = 500  # stops in one routing request; larger plans: greenlane route plan


class RoutePlanRequest(Body):
    """Places and fleet rows (as in docs/data-formats.md), the carbon price and the solver's."""

    model_config = ConfigDict(extra="forbid")

    plan_id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:-]+$")
    day: date | None = Field(
        default=None, ge=FIRST_DAY, le=LAST_DAY, description="the day the routes run; today"
    )
    places: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_ROUTE_STOPS + 100)
    fleet: list[dict[str, Any]] = Field(min_length=1, max_length=50)
    carbon_price: float = Field(default=0.0, ge=0, le=10_000)
    seed: int = Field(default=1, ge=0, le=2**31 - 1)
    time_limit_s: float = Field(default=5.0, ge=0.1, le=30)


class RoutePlanBody(Body):
    """Routes with their visits, energy, cost and CO2e; unserved stops; left-out rows."""

    plan_id: str
    totals: dict[str, float]
    routes: list[dict[str, Any]]
    unserved: list[dict[str, Any]]
    places: dict[str, list[float]]
    problems: list[ProblemBody]


class ReliefPlanRequest(Body):
    """A disaster event and the relief network (documents as in docs/relief.md)."""

    model_config = ConfigDict(extra="forbid")

    event: EventDoc
    network: NetworkDoc
    carbon_price: float = Field(default=0.1, ge=0, le=10_000, strict=True)
    time_limit_s: float = Field(default=30.0, ge=0.1, le=30, strict=True)


class TagRead(Body):
    """One tag read into a kit."""

    model_config = ConfigDict(extra="forbid")

    kit_id: str = Field(min_length=1, max_length=200)
    kit_type: str = Field(min_length=1, max_length=200)
    epc: str = Field(min_length=1, max_length=300)
    item: str = Field(min_length=1, max_length=200)


class KitCheckRequest(Body):
    """Tag reads and the bills of materials (kit type -> item -> quantity)."""

    model_config = ConfigDict(extra="forbid")

    reads: list[TagRead] = Field(min_length=1, max_length=200_000)
    boms: dict[str, dict[str, Annotated[int, Field(ge=1, le=10_000, strict=True)]]]
    target: float = Field(default=0.0003, ge=1e-9, le=0.5, strict=True)
    level: float = Field(default=0.95, ge=0.5, le=0.9999, strict=True)


class LedgerRows(Body):
    """Ledger rows (columns as in docs/data-formats.md), all kept or none."""

    model_config = ConfigDict(extra="forbid")

    rows: list[dict[str, Any]] = Field(min_length=1, max_length=100_000)


class EsgTargetBody(Body):
    """A target on a KPI: base and target fiscal years and values, kind, scope, trajectory."""

    model_config = ConfigDict(extra="forbid", strict=True)

    kpi_id: str = Field(min_length=1, max_length=64)
    kind: Literal["absolute", "intensity"]
    scope: str = Field(default="", max_length=200)
    base_year: str = Field(pattern=r"^FY\d{4}$")
    base_value: float = Field(gt=0, le=1e15)
    target_year: str = Field(pattern=r"^FY\d{4}$")
    target_value: float = Field(ge=0, le=1e15)
    trajectory: Literal["linear", "aca"] = "linear"
