"""The ISO 14083 kernel, written once as Narwhals expressions (no per-row Python).

It runs unchanged on every lazy backend Narwhals supports (Polars, DuckDB, PySpark): a join
with the category table, column arithmetic, and one group-by for categories whose energy is
allocated over their TCEs.
"""

from __future__ import annotations

import weakref
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import narwhals as nw
import pyarrow as pa

from greenlane.emissions.backend import left_join, small_frame
from greenlane.emissions.categories import Categories
from greenlane.emissions.locations import lane_table, needed_lanes
from greenlane.emissions.schema import (
    DISTANCE_TYPES,
    KINDS,
    MODES,
    TCE_COLUMNS,
    TEMPERATURES,
    UPLIFT_REGIONS,
)
from greenlane.factors import FactorPack

ROW = "__row"
TRANSPORT = "__transport"  # kind == "transport", computed once (null where kind is null)
INVALID = "__invalid"  # set by the caller before allocation, which skips such rows
LABEL = pa.dictionary(pa.int32(), pa.string())  # few distinct values: cheap to gather
SHARED = {  # the same for every variant of a category
    "factor_id": pa.string(),
    "cat_kind": LABEL,
    "cat_mode": LABEL,
    "basis": LABEL,
    "per_mass": pa.bool_(),  # activity unit tkm or t (else TEU or containers)
    "per_km": pa.bool_(),  # activity unit tkm or teu_km (else per t or per container)
    "intensity_unit": LABEL,
    "cat_data_type": LABEL,
    "alloc": pa.bool_(),
    "energy_wtt_kg": pa.float64(),
    "energy_ttw_kg": pa.float64(),
    "energy_wtw_kg": pa.float64(),
}
VARIANT = {"wtt": pa.float64(), "ttw": pa.float64(), "wtw": pa.float64(), "factor_ref": LABEL}
VARIANTS = {(False, False): "00", (True, False): "10", (False, True): "01", (True, True): "11"}
CAT_SCHEMA = SHARED | {f"{k}_{v}": t for k, t in VARIANT.items() for v in VARIANTS.values()}
LANE_SCHEMA = {
    "origin": pa.string(),
    "destination": pa.string(),
    "__gcd_km": pa.float64(),
    "__origin_ok": pa.bool_(),
    "__destination_ok": pa.bool_(),
}


@dataclass(frozen=True, slots=True)
class Rule:
    """A validation rule: the column it names, a flag expression, and the reason."""

    column: str
    flag: nw.Expr
    reason: str
    needs: str | None = None  # an input column without which the rule can never fire
    screen: nw.Expr | None = None  # what invalid() tests instead of flag (a cheaper superset)
    covered: bool = False  # fires only where another rule's screen does: invalid() skips it


def prepare(frame: nw.LazyFrame, categories: Categories) -> nw.LazyFrame:
    """Typed TCE columns (missing optional ones as nulls), GCDs, and the category join.

    Parameters
    ----------
    frame
        The TCE frame with its row index.
    categories
        The categories the TCEs refer to.

    Returns
    -------
    nw.LazyFrame
        The frame ready for the rules and the activity.

    """
    present = set(frame.collect_schema().names())
    frame = frame.with_columns(
        *(
            nw.col(c.name).cast(c.dtype)
            if c.name in present
            else nw.lit(None, dtype=c.dtype).alias(c.name)
            for c in TCE_COLUMNS
        )
    )
    lanes = needed_lanes(frame) if {"origin", "destination"} & present else []
    if lanes:
        table = small_frame(lane_table(lanes), LANE_SCHEMA, frame)
        frame = left_join(frame, table, ["origin", "destination"])
    else:
        frame = frame.with_columns(
            nw.lit(None, dtype=nw.Float64).alias("__gcd_km"),
            nw.lit(None, dtype=nw.Boolean).alias("__origin_ok"),
            nw.lit(None, dtype=nw.Boolean).alias("__destination_ok"),
        )
    stated = (
        nw.col("distance_type").fill_null("sfd") if "distance_type" in present else nw.lit("sfd")
    )
    transport = nw.col("kind") == "transport"
    frame = frame.with_columns(
        transport.alias(TRANSPORT),
        (
            nw.when(transport).then(nw.col("toc_id")).otherwise(nw.col("hoc_id"))
            if "hoc_id" in present
            else nw.col("toc_id")  # hub rows without a hoc_id are invalid, whatever they join
        ).alias("factor_id"),
        (nw.col("temperature_control") == "refrigerated").fill_null(False).alias("reefer"),
        nw.col("operating_region")
        .str.to_lowercase()
        .is_in(UPLIFT_REGIONS)
        .fill_null(False)
        .alias("asia_africa"),
        (
            nw.when(nw.col("distance_km").is_null() & ~nw.col("__gcd_km").is_null())
            .then(nw.lit("gcd"))
            .otherwise(stated)
            if lanes
            else stated
        ).alias("__distance_type"),
        (
            nw.col("distance_km").fill_null(nw.col("__gcd_km")) if lanes else nw.col("distance_km")
        ).alias("__distance_km"),
    )
    reefer, asia_africa = "temperature_control" in present, "operating_region" in present
    schema = _variant_schema(reefer, asia_africa, _unused(categories, present))
    wide = _wide(categories)
    table = small_frame({k: wide[k] for k in schema}, schema, frame)
    frame = left_join(frame, table, "factor_id")
    frame = frame.with_columns(*(_pick(name, reefer, asia_africa) for name in VARIANT))
    mode = nw.col("mode").fill_null(nw.col("cat_mode")) if "mode" in present else nw.col("cat_mode")
    return frame.with_columns(nw.when(nw.col(TRANSPORT)).then(mode).alias("__mode"))


Wide = dict[str, list[object]]
_WIDE: dict[int, tuple[weakref.ref[Categories], Wide]] = {}


def _wide(categories: Categories) -> Wide:
    """One row per category; the four (reefer, Asia/Africa) variants side by side.

    A single-key join on ``factor_id`` is several times faster than joining on three keys.
    Built once per categories object (the pack's are built once per pack): building it took
    almost half of a 2,000-TCE calculation.
    """
    key = id(categories)
    cached = _WIDE.get(key)
    if cached is not None and cached[0]() is categories:
        return cached[1]
    wide = _widen(categories)
    _WIDE[key] = (weakref.ref(categories, lambda _: _WIDE.pop(key, None)), wide)
    return wide


def _widen(categories: Categories) -> Wide:
    """The wide table of :func:`_wide`, built."""
    wide: dict[str, dict[str, object]] = {}
    for row in categories.rows:
        unit = row["unit"]
        shared = row | {"per_mass": unit in ("tkm", "t"), "per_km": unit in ("tkm", "teu_km")}
        entry = wide.setdefault(row["factor_id"], {k: shared[k] for k in SHARED})
        suffix = VARIANTS[(row["reefer"], row["asia_africa"])]
        entry.update({f"{k}_{suffix}": row[k] for k in VARIANT})
    return {k: [e.get(k) for e in wide.values()] for k in CAT_SCHEMA}


def _variant_schema(reefer: bool, asia_africa: bool, unused: set[str]) -> dict[str, pa.DataType]:
    """The category columns that a join needs: the variants an input may choose.

    Without a temperature or region column an input can only take the plain variant; the
    others are left out of the join (joining them cost as much as everything else), as are
    the ``unused`` shared columns.
    """
    suffixes = [v for (r, a), v in VARIANTS.items() if (reefer or not r) and (asia_africa or not a)]
    shared = {k: t for k, t in SHARED.items() if k not in unused}
    return shared | {f"{k}_{v}": t for k, t in VARIANT.items() for v in suffixes}


def _unused(categories: Categories, input_columns: Collection[str]) -> set[str]:
    """Shared category columns no row can need: each joined column costs a gather per TCE.

    The energy columns serve only categories that allocate a TOC's energy; the basis only a
    distance adjustment, which needs a category on an actual basis or a distance type given.
    """
    unused = set()
    if not allocates(categories):
        unused |= {"alloc", "energy_wtt_kg", "energy_ttw_kg", "energy_wtw_kg"}
    if not _adjusts(categories, input_columns):
        unused.add("basis")
    return unused


def allocates(categories: Categories) -> bool:
    """Whether any category allocates its energy over its TCEs (sums over all of them).

    Parameters
    ----------
    categories
        The categories.

    Returns
    -------
    bool
        True if some category shares out a total energy.

    """
    return any(r["alloc"] for r in categories.rows)


def _on_actual_basis(categories: Categories) -> bool:
    """Whether any category's intensity is per actual distance."""
    return any(r["basis"] == "actual" for r in categories.rows)


def _adjusts(categories: Categories, input_columns: Collection[str]) -> bool:
    """Whether a distance adjustment factor other than 1 can occur at all."""
    return _on_actual_basis(categories) or "distance_type" in input_columns


def _pick(name: str, reefer: bool, asia_africa: bool) -> nw.Expr:
    """The variant of a category column that fits the TCE's temperature and region.

    ``reefer``/``asia_africa`` say whether the input has the column at all; without it every
    row takes the plain variant, and no per-row choice is made.
    """
    c = nw.col
    chosen = [
        (flag, v)
        for flag, v in (
            (c("reefer") & c("asia_africa"), "11"),
            (c("reefer"), "10"),
            (c("asia_africa"), "01"),
        )
        if (reefer or v[0] == "0") and (asia_africa or v[1] == "0")
    ]
    if not chosen:
        return c(f"{name}_00").alias(name)
    expr = nw.when(chosen[0][0]).then(c(f"{name}_{chosen[0][1]}"))
    for flag, v in chosen[1:]:
        expr = expr.when(flag).then(c(f"{name}_{v}"))
    return expr.otherwise(c(f"{name}_00")).alias(name)


def rules() -> list[Rule]:
    """Every row-level check, as vectorised flags (True = the row has this problem).

    Returns
    -------
    list of Rule
        Each rule's column, flag expression and reason.

    """
    c = nw.col
    transport, hub = c(TRANSPORT), c("kind") == "hub"
    blank = {
        name: c(name).is_null() | (c(name) == "")
        for name in ("shipment_id", "tce_id", "toc_id", "hoc_id")
    }
    return [
        Rule("shipment_id", blank["shipment_id"], "required"),
        Rule("tce_id", blank["tce_id"], "required"),
        Rule("kind", ~(transport | hub).fill_null(False), f"must be one of {list(KINDS)}"),
        Rule(
            "mass_kg",
            c("mass_kg").is_null() | c("mass_kg").is_nan().fill_null(True) | (c("mass_kg") < 0),
            "required, a number >= 0",
        ),
        Rule(
            "mode",
            transport & c("mode").is_null().__invert__() & ~c("mode").is_in(MODES),
            f"must be one of {list(MODES)}",
            needs="mode",
        ),
        Rule("toc_id", transport & blank["toc_id"], "transport rows need a toc_id", covered=True),
        Rule(  # a blank toc_id joins no category: the screen covers the rule above too
            "toc_id",
            transport & ~blank["toc_id"] & (c("cat_kind") != "transport").fill_null(True),
            "unknown toc_id: not in the factor pack nor in the TOC file",
            screen=transport & (c("cat_kind") != "transport").fill_null(True),
        ),
        Rule(
            "mode",
            transport & (c("cat_kind") == "transport") & (c("__mode") != c("cat_mode")),
            "does not match the mode of the toc_id",
            needs="mode",
        ),
        Rule("hoc_id", hub & blank["hoc_id"], "hub rows need a hoc_id"),
        Rule(
            "hoc_id",
            hub & ~blank["hoc_id"] & (c("cat_kind") != "hub").fill_null(True),
            "unknown hoc_id: not in the factor pack nor in the HOC file",
        ),
        Rule(
            "distance_km",
            transport
            & c("distance_km").is_null()
            & c("__gcd_km").is_null()
            & (c("origin").is_null() | c("destination").is_null()),
            "transport rows need distance_km, or origin and destination",
        ),
        Rule(
            "distance_km",
            transport & ((c("distance_km") < 0) | c("distance_km").is_nan()),
            "must be >= 0",
        ),
        Rule(
            "origin",
            transport
            & c("distance_km").is_null()
            & c("origin").is_null().__invert__()
            & ~c("__origin_ok").fill_null(False),
            "unknown location: not an IATA airport code, a UN/LOCODE or 'lat,lon'",
            needs="origin",
        ),
        Rule(
            "destination",
            transport
            & c("distance_km").is_null()
            & c("destination").is_null().__invert__()
            & ~c("__destination_ok").fill_null(False),
            "unknown location: not an IATA airport code, a UN/LOCODE or 'lat,lon'",
            needs="destination",
        ),
        Rule(
            "distance_type",
            ~c("__distance_type").is_in(DISTANCE_TYPES),
            f"must be one of {list(DISTANCE_TYPES)}",
            needs="distance_type",
        ),
        Rule("teu", c("teu") < 0, "must be >= 0", needs="teu"),
        Rule(
            "temperature_control",
            c("temperature_control").is_null().__invert__()
            & ~c("temperature_control").is_in(TEMPERATURES),
            f"must be one of {list(TEMPERATURES)}",
            needs="temperature_control",
        ),
    ]


def rule_flags(frame: nw.LazyFrame, all_rules: list[Rule]) -> nw.LazyFrame:
    """The frame with one boolean column per rule (``__rule_i``), to explain invalid rows.

    Parameters
    ----------
    frame
        The prepared frame.
    all_rules
        The rules, as :func:`rules` gives them.

    Returns
    -------
    nw.LazyFrame
        The frame with a flag column per rule.

    """
    return frame.with_columns(
        *(r.flag.fill_null(False).alias(f"__rule_{i}") for i, r in enumerate(all_rules))
    )


def invalid(all_rules: list[Rule], input_columns: list[str]) -> nw.Expr:
    """True where any rule flags the row: one expression, so no flag column is materialised.

    Rules that need an input column the frame does not have are left out; a rule with a
    screen is tested by it, and a covered rule not at all (fewer string comparisons per row:
    the result is the same, as tests/emissions/test_rules.py checks on hostile rows).

    Parameters
    ----------
    all_rules
        The rules.
    input_columns
        The columns the input frame has.

    Returns
    -------
    nw.Expr
        The row's "has a problem" flag.

    """
    flags = [
        (r.flag if r.screen is None else r.screen).fill_null(False)
        for r in all_rules
        if not r.covered and (r.needs is None or r.needs in input_columns)
    ]
    return nw.any_horizontal(*flags, ignore_nulls=True)


def _daf(pack: FactorPack, to_actual_possible: bool, from_actual_possible: bool) -> nw.Expr | None:
    """Distance adjustment factor from the TCE's distance type to the intensity's basis.

    None when no direction can occur: the factor is then 1 on every row.

    Notes
    -----
    Applied only where the two differ (ISO 14083 3.3.4): air (GCD + 95 km)/GCD (GLEC pp.38,
    115), sea 1.15 (Clean Cargo, p.51), road 1.05 (Module 5, p.147); the inverse when an
    actual distance meets an SFD/GCD-based intensity; 1 for rail and inland waterways and for
    GCD vs SFD, for which GLEC gives no factor. Defaults whose basis already includes the
    uplift carry basis ``sfd``, so none is added on top. Directions that cannot occur (no
    category on an actual basis; no ``distance_type`` column in the input) are left out of
    the expression.

    """
    c, d = nw.col, nw.col("__distance_km")
    offset = pack.rule("air.daf_offset_km")
    step = {"sea": pack.rule("sea.container.daf"), "road": pack.rule("road.mod5_daf")}
    air = c("__mode") == "air"
    branches: list[tuple[nw.Expr, nw.Expr]] = []
    if to_actual_possible:
        to_actual = (c("basis") == "actual") & (c("__distance_type") != "actual")
        branches.append((to_actual & air & (d > 0), (d + offset) / d))
        branches += [(to_actual & (c("__mode") == m), nw.lit(f)) for m, f in step.items()]
    if from_actual_possible:
        from_actual = (c("__distance_type") == "actual") & (c("basis") != "actual")
        branches.append((from_actual & air & (d > offset), (d - offset) / d))
        branches += [(from_actual & (c("__mode") == m), nw.lit(1.0 / f)) for m, f in step.items()]
    if not branches:
        return None
    expr = nw.when(c("basis").is_null() | (c("basis") == c("__distance_type"))).then(nw.lit(1.0))
    for condition, value in branches:
        expr = expr.when(condition).then(value)
    return expr.otherwise(nw.lit(1.0))


def activity(
    frame: nw.LazyFrame, pack: FactorPack, categories: Categories, input_columns: list[str]
) -> nw.LazyFrame:
    """Distance used, tkm and the activity in the category's unit, per TCE.

    Parameters
    ----------
    frame
        The prepared, valid rows.
    pack
        The factor pack (its distance adjustment factors).
    categories
        The categories (their activity units).
    input_columns
        The columns the input frame has.

    Returns
    -------
    nw.LazyFrame
        The frame with ``distance_used_km``, ``transport_activity_tkm`` and the activity.

    References
    ----------
    ISO 14083:2023, 5.4.2 (transport activity, tonne-km) and 3.3.4 (distance adjustment
    factor); GLEC Framework v3.0, p.22 (distances).

    """
    c = nw.col
    daf = _daf(
        pack,
        to_actual_possible=_on_actual_basis(categories),
        from_actual_possible="distance_type" in input_columns,
    )
    transport = c(TRANSPORT)
    mass_t, teu_mass = c("mass_kg") / 1000, pack.rule("teu.mass_t.average")
    distance = nw.when(transport).then(c("__distance_km")).otherwise(nw.lit(0.0))
    frame = frame.with_columns(
        (
            c("teu").fill_null(mass_t / teu_mass) if "teu" in input_columns else mass_t / teu_mass
        ).alias("__teu"),
        *(
            (nw.lit(1.0).alias("daf"), distance.alias("distance_km_used"))
            if daf is None  # x * 1.0 is x to the bit: the product is left out
            else (nw.when(transport).then(daf).otherwise(nw.lit(1.0)).alias("daf"),)
        ),
    )
    if daf is not None:
        frame = frame.with_columns((distance * c("daf")).alias("distance_km_used"))
    used = c("distance_km_used")
    quantity = nw.when(c("per_mass")).then(mass_t).otherwise(c("__teu"))
    span = nw.when(c("per_km")).then(used).otherwise(nw.lit(1.0))  # x * 1.0 is x to the bit
    return frame.with_columns(
        (mass_t * used).alias("transport_activity_tkm"), (quantity * span).alias("__activity")
    )


def allocate(
    frame: nw.LazyFrame, categories: Categories, totals: Mapping[str, float] | None = None
) -> nw.LazyFrame:
    """Intensities of energy-based categories: their energy over the sum of their activity.

    Parameters
    ----------
    frame
        The rows with their activity.
    categories
        The categories; an energy-based one carries its WTT and TTW kg CO2e.
    totals
        Each energy-based category's activity over all of its TCEs, by ``factor_id``, when
        ``frame`` holds only some of them (the TCEs come in parts); a category not named, or
        None, is summed over ``frame``.

    Returns
    -------
    nw.LazyFrame
        The frame with each row's WTT and TTW intensity.

    Notes
    -----
    I = E_wtw / Σ activity over the category's TCEs, so Σ TCE emissions = E
    (allocation by tonne-km, ISO 14083; GLEC p.107).

    References
    ----------
    ISO 14083:2023, 8.5 (TOC intensity) and 9.5 (HOC intensity); GLEC Framework v3.0, p.107.

    """
    c = nw.col
    if not allocates(categories):
        return frame.with_columns(
            c("wtt").alias("__wtt"), c("ttw").alias("__ttw"), c("wtw").alias("__wtw")
        )
    sums = (
        frame.filter(c("alloc") & ~c(INVALID))
        .group_by("factor_id")
        .agg(c("__activity").sum().alias("__activity_sum"))
    )
    if totals:  # a category without a total given is whole in this frame
        given = small_frame(
            {"factor_id": list(totals), "__activity_total": list(totals.values())},
            {"factor_id": pa.string(), "__activity_total": pa.float64()},
            frame,
        )
        total = c("__activity_total").fill_null(c("__activity_sum")).alias("__activity_sum")
        sums = left_join(sums, given, "factor_id").select("factor_id", total)
    frame = left_join(frame, sums, "factor_id")
    share = nw.when(c("__activity_sum") > 0).then(1.0 / c("__activity_sum"))
    return frame.with_columns(
        nw.when(c("alloc")).then(c("energy_wtt_kg") * share).otherwise(c("wtt")).alias("__wtt"),
        nw.when(c("alloc")).then(c("energy_ttw_kg") * share).otherwise(c("ttw")).alias("__ttw"),
        nw.when(c("alloc")).then(c("energy_wtw_kg") * share).otherwise(c("wtw")).alias("__wtw"),
    )


def emissions(frame: nw.LazyFrame) -> nw.LazyFrame:
    """WTT, TTW and WTW kg CO2e per TCE; WTW = WTT + TTW wherever the factor is split.

    Parameters
    ----------
    frame
        The rows with their activity and intensities.

    Returns
    -------
    nw.LazyFrame
        The frame with ``co2e_wtt_kg``, ``co2e_ttw_kg`` and ``co2e_wtw_kg``.

    References
    ----------
    ISO 14083:2023, clauses 10-11 (TTW and WTT; WTW is their sum); GLEC Framework v3.0,
    pp.30-34.

    """
    c = nw.col
    frame = frame.with_columns(
        (c("__activity") * c("__wtt")).alias("co2e_wtt_kg"),
        (c("__activity") * c("__ttw")).alias("co2e_ttw_kg"),
    )
    return frame.with_columns(  # the sum is null where either part is: WTW alone then
        (c("co2e_wtt_kg") + c("co2e_ttw_kg"))
        .fill_null(c("__activity") * c("__wtw"))
        .alias("co2e_wtw_kg"),
        c("__wtw").alias("co2e_intensity_wtw"),
        c("cat_data_type").alias("data_type"),
    )
