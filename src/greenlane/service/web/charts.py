"""The dashboard's charts: each a Plotly figure with the numbers behind it as a table.

Every chart has a text alternative (its table, behind a toggle on the page). A builder returns
None when it has nothing to draw, so the page leaves the panel out instead of an empty frame.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from greenlane.app.figures import LEVERS, NO_SAVINGS, Savings
from greenlane.esg.ledger import Entry
from greenlane.esg.targets import METRICS, EsgTarget, Gap
from greenlane.geo import resolve_location
from greenlane.service.web.formats import amount
from greenlane.store.tables import KEY_JOIN

Row = dict[str, Any]
SUMMARY_HEADERS = ("group", "TCEs", "t CO2e WTT", "t CO2e TTW", "t CO2e WTW", "g CO2e/tkm")
CATEGORIES = (("primary", "primary data"), ("modelled", "modelled data"), ("default", "default"))


@dataclass(frozen=True, slots=True)
class Panel:
    """One chart and its table."""

    id: str
    title: str
    figure: dict[str, Any]
    headers: Sequence[str]
    cells: Sequence[tuple[str, ...]]


def summary_panel(panel_id: str, title: str, rows: list[Row]) -> Panel | None:
    """Grouped totals: stacked WTT/TTW by month, an intensity line, or WTW bars."""
    if not rows:
        return None
    keys = [r["key"] or "(none)" for r in rows]
    if panel_id == "by_month":
        split = (("co2e_wtt_kg", "WTT"), ("co2e_ttw_kg", "TTW"), ("unsplit_wtw_kg", "no split"))
        data = [_bar(keys, [r[c] / 1000 for r in rows], name) for c, name in split]
    elif panel_id == "intensity":
        values = [r["intensity_wtw_g_per_tkm"] for r in rows]
        data = [{"type": "scatter", "mode": "lines+markers", "x": keys, "y": values}]
    else:
        data = [_bar(keys, [r["co2e_wtw_kg"] / 1000 for r in rows], "WTW")]
        if panel_id == "by_mode":
            data[0]["marker"] = {"color": [MODE_COLOURS.get(k, "#777") for k in keys]}
    layout = _layout(title) | {"barmode": "stack", "xaxis": {"type": "category"}}
    cells = [
        (k, f"{r['tce_count']:,}", *_tonnes(r), _intensity(r))
        for k, r in zip(keys, rows, strict=True)
    ]
    return Panel(panel_id, title, {"data": data, "layout": layout}, SUMMARY_HEADERS, cells)


def levers_panel(days: Sequence[Row]) -> Panel | None:
    """What each lever of the main job saved over the days shown, largest saving first.

    ``days`` are the stored figures of the main job's days (``pipeline_days.summary``); the
    sums are the ones the run's summary prints.
    """
    if not days:
        return None
    totals = sum((Savings.of_record(d["levers"]) for d in days), NO_SAVINGS).savings()
    ranked = sorted(totals.items(), key=lambda item: -item[1].saving_kg)
    names = [wrapped(LEVERS[key][0], 22) for key, _ in ranked]
    data = [
        {"type": "bar", "orientation": "h", "y": names, "name": label,
         "x": [getattr(s, side) for _, s in ranked]}
        for side, label in (("baseline_kg", "baseline"), ("plan_kg", "plan"),
                            ("saving_kg", "saving"))
    ]  # fmt: skip
    saved = sum(s.saving_kg for s in totals.values())
    title = f"What each lever saved against its baseline: {saved:,.1f} kg CO2e WTW in all"
    layout = _layout(title) | {"barmode": "group", "height": 460,
                               "yaxis": {"type": "category", "autorange": "reversed",
                                         "automargin": True},
                               "xaxis": {"title": {"text": "kg CO2e WTW"}}}  # fmt: skip
    cells = [
        (LEVERS[key][0], LEVERS[key][1], f"{s.baseline_kg:,.1f}", f"{s.plan_kg:,.1f}",
         f"{_kg(s.saving_kg):,.1f}", f"{s.saving_kg / s.baseline_kg:.1%}" if s.baseline_kg else "-")
        for key, s in ranked
    ]  # fmt: skip
    headers = ("lever", "baseline: what it is", "baseline kg", "plan kg", "saving kg", "saving")
    return Panel("levers", title, {"data": data, "layout": layout}, headers, cells)


def _kg(value: float) -> float:
    """Without float noise around zero (the run's summary rounds the same way): no -0.0."""
    return round(value, 6) + 0.0


def quality_panel(total: Row | None) -> Panel | None:
    """The share of WTW from primary, modelled and default data (ISO 14083 data categories)."""
    if not total or not total["co2e_wtw_kg"]:
        return None
    values = [total[f"{c}_wtw_kg"] / 1000 for c, _ in CATEGORIES]
    labels = [label for _, label in CATEGORIES]
    colors = ["#2a7d3a", "#8fbf7f", "#b8b8b8"]  # primary green, default grey
    pie = {"type": "pie", "labels": labels, "values": values, "sort": False, "hole": 0.4}
    pie["marker"] = {"colors": colors}
    share = [100 * v * 1000 / total["co2e_wtw_kg"] for v in values]
    cells = [
        (label, f"{v:,.3f}", f"{s:.1f} %")
        for label, v, s in zip(labels, values, share, strict=True)
    ]
    title = "Share of t CO2e WTW by data category"
    figure = {"data": [pie], "layout": _layout(title)}
    return Panel("data_quality", title, figure, ("category", "t CO2e WTW", "share"), cells)


def target_panel(target: EsgTarget, years: list[Gap]) -> Panel | None:
    """Measured years against the target's straight path from base to target year."""
    if not years:
        return None
    unit = METRICS[str(target.metric)][2]
    path_years = sorted({target.base_year, target.target_year, *(y.year for y in years)})
    path = {
        "type": "scatter",
        "mode": "lines",
        "name": "path",
        "x": path_years,
        "y": [target.allowed(y) for y in path_years],
        "line": {"dash": "dash"},
    }
    actual = {
        "type": "scatter",
        "mode": "markers",
        "name": "measured",
        "x": [y.year for y in years],
        "y": [y.actual for y in years],
        "marker": {"size": 11, "color": ["#2a7d3a" if y.on_track else "#b3261e" for y in years]},
    }
    cut = f"{target.reduction_pct:.0f} % less {unit}"
    title = f"Target {target.target_id}: {cut} by {target.target_year}"
    figure = {"data": [path, actual], "layout": _layout(title) | {"xaxis": {"dtick": 1}}}
    cells = [
        (str(y.year), f"{y.actual:,.3f}", f"{y.allowed:,.3f}", f"{y.gap:+,.3f}", _track(y))
        for y in years
    ]
    headers = ("year", f"measured, {unit}", "path allows", "gap", "")
    panel_id = "target_" + re.sub(r"[^A-Za-z0-9_]", "_", target.target_id)  # a safe HTML id
    return Panel(panel_id, title, figure, headers, cells)


GEO = {  # the basemap both maps draw on (shipped topojson; fitted to what is drawn)
    "projection": {"type": "natural earth"},
    "showland": True,
    "landcolor": "#e6ede6",
    "showcountries": True,
    "countrycolor": "#b8c4b8",
    "fitbounds": "locations",
}
VEHICLE_COLOURS = (  # one per vehicle on the route map (Okabe-Ito, told apart by most eyes)
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
)  # fmt: skip
CARRIER_SYMBOLS = {  # the stops' marker tells the carrier
    "diesel": "square",
    "battery_electric": "circle",
    "hydrogen_fuel_cell": "diamond",
    "e_cargo_bike": "triangle-up",
    "campus_robot": "star",
}


MODE_COLOURS = {  # the lanes' colour by mode, on the map and the bars alike
    "road": "#D55E00", "rail": "#0072B2", "air": "#CC79A7", "sea": "#009E73",
    "inland_waterway": "#56B4E9",
}  # fmt: skip


def mode_and_lane(key: str) -> tuple[str, str]:
    """A ``mode_lane`` summary key (``road|CNSHA-CNNGB``) as its mode and lane."""
    mode, _, lane = key.partition(KEY_JOIN)
    return mode, lane


def lanes_panel(rows: list[Row], shown: int = 10) -> Panel | None:
    """The lanes with the most t CO2e WTW, each bar split by mode (a mode x lane view)."""
    if not rows:
        return None
    by_lane: dict[str, float] = {}
    for r in rows:
        lane = mode_and_lane(r["key"])[1] or "(unknown places)"
        by_lane[lane] = by_lane.get(lane, 0.0) + r["co2e_wtw_kg"]
    top = sorted(by_lane, key=lambda lane: -by_lane[lane])[:shown]
    modes = sorted({mode_and_lane(r["key"])[0] for r in rows})
    tonnes = {(mode_and_lane(r["key"])[0], mode_and_lane(r["key"])[1] or "(unknown places)"):
              r["co2e_wtw_kg"] / 1000 for r in rows}  # fmt: skip
    data = [
        {"type": "bar", "orientation": "h", "y": top, "name": mode,
         "x": [tonnes.get((mode, lane)) for lane in top],
         "marker": {"color": MODE_COLOURS.get(mode, "#777")}}
        for mode in modes
    ]  # fmt: skip
    title = f"The {len(top)} lanes with the most t CO2e WTW, by mode"
    layout = _layout(title) | {"barmode": "stack", "height": 120 + 32 * len(top),
                               "yaxis": {"type": "category", "autorange": "reversed",
                                         "automargin": True},
                               "xaxis": {"title": {"text": "t CO2e WTW"}}}  # fmt: skip
    ranked = sorted(rows, key=lambda r: -r["co2e_wtw_kg"])
    cells = [(*mode_and_lane(r["key"])[::-1], f"{r['tce_count']:,}", *_tonnes(r), _intensity(r))
             for r in ranked]  # fmt: skip
    headers = ("lane", "mode", "TCEs", "t CO2e WTT", "t CO2e TTW", "t CO2e WTW", "g CO2e/tkm")
    return Panel("top_lanes", title, {"data": data, "layout": layout}, headers, cells)


def lane_map(rows: list[Row]) -> Panel | None:
    """Lanes as great-circle legs on the shipped basemap: colour by mode, width by t CO2e WTW."""
    codes_of = {r["key"]: lane_codes(mode_and_lane(r["key"])[1]) for r in rows}
    placed = [(r, codes) for r in rows if (codes := codes_of[r["key"]]) is not None]
    if not placed:
        return None
    points = {code: resolve_location(code) or (0.0, 0.0) for _, pair in placed for code in pair}
    heaviest = max(r["co2e_wtw_kg"] for r, _ in placed) or 1.0
    legs, legend = [], set()
    for r, (start, end) in placed:
        mode, lane = mode_and_lane(r["key"])
        legs.append(
            {
                "type": "scattergeo",
                "mode": "lines",
                "lat": [points[start][0], points[end][0]],
                "lon": [points[start][1], points[end][1]],
                "line": {"width": 1 + 9 * r["co2e_wtw_kg"] / heaviest,
                         "color": MODE_COLOURS.get(mode, "#777")},
                "name": mode,
                "legendgroup": mode,
                "showlegend": mode not in legend,
                "text": f"{lane} by {mode}: {r['co2e_wtw_kg'] / 1000:,.3f} t CO2e WTW",
                "hoverinfo": "text",
            }
        )  # fmt: skip
        legend.add(mode)
    ends = {
        "type": "scattergeo",
        "mode": "markers",
        "lat": [p[0] for p in points.values()],
        "lon": [p[1] for p in points.values()],
        "text": list(points),
        "marker": {"size": 6, "color": "#17301d"},
        "showlegend": False,
    }
    title = "Lanes on the map by mode"
    widths = (
        f"line width: t CO2e WTW, from 1 px to 10 px for the heaviest ({heaviest / 1000:,.3g} t)"
    )
    note = {"text": widths, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0,
            "y": -0.02, "xanchor": "left", "yanchor": "top", "font": {"size": 11}}  # fmt: skip
    layout = _layout(title) | {"geo": GEO, "height": 480, "annotations": [note]}
    cells = [
        (*mode_and_lane(r["key"])[::-1], f"{r['co2e_wtw_kg'] / 1000:,.3f}",
         "yes" if codes_of[r["key"]] else "no")
        for r in rows
    ]  # fmt: skip
    headers = ("lane", "mode", "t CO2e WTW", "on the map (both places known)")
    return Panel("lane_map", title, {"data": [*legs, ends], "layout": layout}, headers, cells)


def chain_label(n: int, tce: Row) -> str:
    """An element of a chain as a waterfall names it: its place in the chain, kind and leg.

    A transport leg by mode and, where known, origin and destination; a hub by its category.
    Stored values are plain text on the chart (Plotly reads a few tags in labels).
    """
    if tce["kind"] == "hub":
        what = "hub<br>" + " ".join(str(tce["hoc_id"] or "").split(".")[1:])
    else:
        ends = (tce.get("origin"), tce.get("destination"))
        what = str(tce["mode"] or "transport") + (f"<br>{ends[0]}→{ends[1]}" if all(ends) else "")
    return f"{n}. " + re.sub(r"<(?!br>)|(?<!<br)>", "", what)


def lane_codes(lane: str) -> tuple[str, str] | None:
    """A lane's origin and destination codes ('ORIGIN-DESTINATION') when both can be placed.

    Codes may hold a '-' themselves (a latitude or longitude below zero), so every split point
    is tried and the first one where both sides resolve wins.
    """
    for cut in (i for i, ch in enumerate(lane) if ch == "-"):
        start, end = lane[:cut], lane[cut + 1 :]
        if resolve_location(start) is not None and resolve_location(end) is not None:
            return start, end
    return None


def _track(year: Gap) -> str:
    return "on track" if year.on_track else "behind"


def _tonnes(row: Row) -> tuple[str, ...]:
    return tuple(f"{row[c] / 1000:,.3f}" for c in ("co2e_wtt_kg", "co2e_ttw_kg", "co2e_wtw_kg"))


def _intensity(row: Row) -> str:
    value = row["intensity_wtw_g_per_tkm"]
    return f"{value:,.1f}" if value else "—"


def _bar(keys: list[str], values: list[float], name: str) -> dict[str, Any]:
    return {"type": "bar", "x": keys, "y": values, "name": name}


def _layout(title: str) -> dict[str, Any]:
    return {
        "title": {"text": wrapped(title), "font": {"size": 14}},
        "margin": {"t": 60, "r": 10, "b": 60, "l": 50},
        "legend": {"orientation": "h"},
    }


TITLE_LINE = 42  # characters on one line of a chart's title: a third of the page, or a phone


def wrapped(title: str, width: int = TITLE_LINE) -> str:
    """Text broken into lines at spaces (Plotly draws a title or label on one line, clipped)."""
    lines: list[str] = []
    for word in title.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _by_day(
    title: str, barmode: str, y_title: str, y2_title: str, y2: dict[str, Any]
) -> dict[str, Any]:
    """Bars by day on a date axis, with a line on a titled second axis at the right."""
    return _layout(title) | {
        "margin": {"t": 60, "r": 50, "b": 60, "l": 60},
        "barmode": barmode,
        "xaxis": {"type": "date", "tickformat": "%d %b", "hoverformat": "%Y-%m-%d"},
        "yaxis": {"title": {"text": y_title}},
        "yaxis2": {"overlaying": "y", "side": "right", "showgrid": False, "tickmode": "auto",
                   "nticks": 5, "title": {"text": y2_title}} | y2,
    }  # fmt: skip


def packing_panel(totals: dict[str, Any] | None) -> Panel | None:
    """The packing module's headline: board and its CO2e, planned against the baseline."""
    if not totals:
        return None
    pairs = (("board kg", "board_kg"), ("kg CO2e of the board", "co2e_board_kg"))
    baseline = _baseline_name(str(totals["baseline"]))
    data = [
        _bar([label for label, _ in pairs], [totals[f"{side}{key}"] for _, key in pairs], name)
        for side, name in (("baseline_", baseline), ("", "greenlane plan"))
    ]
    saved = totals["baseline_board_kg"] - totals["board_kg"]
    share = saved / totals["baseline_board_kg"] if totals["baseline_board_kg"] else 0.0
    title = (
        f"Packing: {saved:,.1f} kg board saved ({share:.0%}) on {int(totals['orders']):,} orders"
    )
    layout = _layout(title) | {"barmode": "group", "xaxis": {"type": "category"}}
    cells = [
        (label, f"{totals[key]:,.2f}", f"{totals['baseline_' + key]:,.2f}")
        for label, key in (*pairs, ("cartons", "cartons"), ("void cm3", "void_cm3"))
    ]
    headers = ("", "greenlane plan", f"baseline: {baseline}")
    return Panel("packing", title, {"data": data, "layout": layout}, headers, cells)


def _baseline_name(policy: str) -> str:
    """A packing baseline as people read it (``default:L1``: every order in carton L1)."""
    if policy.startswith("default:"):
        return f"every order in carton {policy.removeprefix('default:')}"
    return {"smallest_by_volume": "smallest carton by volume"}.get(policy, policy)


def consolidation_panel(days: list[dict[str, Any]]) -> Panel | None:
    """Order merging and consolidation by day: parcels and CO2e per order against each alone."""
    if not days:
        return None
    labels = [str(d["day"]) for d in days]
    per_order = [
        [d[key] / d["orders"] if d["orders"] else 0.0 for d in days]
        for key in ("baseline_co2e_wtw_kg", "co2e_wtw_kg")
    ]
    data = [
        _bar(labels, per_order[0], "each order alone, kg CO2e per order"),
        _bar(labels, per_order[1], "greenlane plan, kg CO2e per order"),
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": labels,
            "y": [d["orders"] / d["parcels"] if d["parcels"] else 0.0 for d in days],
            "name": "orders per outbound parcel",
            "yaxis": "y2",
        },
    ]
    orders, parcels = sum(d["orders"] for d in days), sum(d["parcels"] for d in days)
    ours, theirs = (sum(d[k] for d in days) for k in ("co2e_wtw_kg", "baseline_co2e_wtw_kg"))
    saved = 1 - ours / theirs if theirs else 0.0
    title = f"Consolidation: {orders:,.0f} orders, {parcels:,.0f} parcels, {saved:.0%} less CO2e"
    layout = _by_day(
        title, "group", "kg CO2e WTW per order", "orders per parcel", {"rangemode": "tozero"}
    )
    headers = (
        "day", "orders", "parcels", "orders/parcel", "kg CO2e/order", "each alone",
        "packaging kg", "each alone", "paper sheets avoided",
    )  # fmt: skip
    cells = [
        (
            str(d["day"]),
            f"{d['orders']:,.0f}",
            f"{d['parcels']:,.0f}",
            f"{d['orders'] / d['parcels'] if d['parcels'] else 0:,.2f}",
            f"{d['co2e_wtw_kg'] / d['orders'] if d['orders'] else 0:,.3f}",
            f"{d['baseline_co2e_wtw_kg'] / d['orders'] if d['orders'] else 0:,.3f}",
            f"{d['packaging_kg']:,.1f}",
            f"{d['baseline_packaging_kg']:,.1f}",
            f"{d['paper_sheets_avoided']:,.0f}",
        )
        for d in days
    ]
    return Panel("consolidation", title, {"data": data, "layout": layout}, headers, cells)


def route_map(record: dict[str, Any] | None) -> Panel | None:
    """The latest stored route plan: each vehicle's round on the map, coloured by carrier."""
    if not record or not record.get("routes"):
        return None
    where = record["places"]
    lines = []
    for n, route in enumerate(record["routes"]):
        ids = [route["depot"], *(v["place_id"] for v in route["visits"]), route["depot"]]
        lines.append(
            {
                "type": "scattergeo",
                "mode": "lines+markers",
                "lat": [where[i][0] for i in ids],
                "lon": [where[i][1] for i in ids],
                "line": {"width": 2, "color": VEHICLE_COLOURS[n % len(VEHICLE_COLOURS)]},
                "marker": {"size": 5, "symbol": CARRIER_SYMBOLS.get(route["carrier"], "circle")},
                "name": f"{route['route_id']} ({route['carrier'].replace('_', ' ')})",
                "text": ids,
            }
        )
    totals, baseline = record["totals"], record.get("baseline")
    title = (
        f"Routes: {int(totals['vehicles'])} vehicles, {totals['km']:,.0f} km, "
        f"{totals['co2e_wtw_kg']:,.1f} kg CO2e WTW"
    ) + (  # the main job's plans carry the baseline they are measured against
        f" against {baseline['co2e_wtw_kg']:,.1f} kg by its baseline ({baseline['what']})"
        if baseline
        else ""
    )
    layout = _layout(title) | {"geo": GEO, "height": 480}
    cells = [
        (
            r["route_id"],
            r["carrier"].replace("_", " "),
            str(sum(1 for v in r["visits"] if v["kind"] == "stop")),
            f"{r['km']:,.1f}",
            f"{r['co2e_wtw_kg']:,.2f}",
        )
        for r in record["routes"]
    ]
    headers = ("route", "carrier", "stops", "km", "kg CO2e WTW")
    return Panel("route_map", title, {"data": lines, "layout": layout}, headers, cells)


def relief_panel(record: dict[str, Any] | None) -> Panel | None:
    """The latest stored relief plan: share of need met within the deadline, per area."""
    if not record or not record.get("areas"):
        return None
    areas = [a["area_id"] for a in record["areas"]]
    met = [
        sum(k["delivered"] for k in a["kits"]) / max(1, sum(k["need"] for k in a["kits"]))
        for a in record["areas"]
    ]
    totals = record["totals"]
    fair = totals["fair_share"]
    data = [
        _bar(areas, [100 * m for m in met], "share of need met, %"),
        {
            "type": "scatter",
            "mode": "lines",
            "x": areas,
            "y": [100 * fair] * len(areas),
            "name": "guaranteed to every area and kit, %",
        },
    ]
    title = (
        f"Relief ({record['event_id']}): {totals['share_met']:.0%} of need met within "
        f"{record['deadline_h']:g} h"
    )
    layout = _layout(title) | {"xaxis": {"type": "category"}, "yaxis": {"range": [0, 100]}}
    cells = [
        (s["area_id"], s["kit_id"], f"{s['missing']:,}", s["cause"])
        for s in record["shortfalls"][:50]
    ]
    headers = ("area", "kit", "missing", "why")
    return Panel("relief", title, {"data": data, "layout": layout}, headers, cells)


SPARK_WIDTH, SPARK_HEIGHT = 120, 28  # a sparkline's box, in SVG units


def sparkline(history: dict[str, float | None]) -> tuple[str, str] | None:
    """A KPI's years with data as SVG polyline points, and the values in words.

    None when fewer than two years have data: one value is no trend.
    """
    years = [(y, v) for y, v in history.items() if v is not None]
    if len(years) < 2:
        return None
    values = [v for _, v in years]
    low, span = min(values), (max(values) - min(values)) or 1.0
    step = SPARK_WIDTH / (len(years) - 1)
    points = " ".join(
        f"{n * step:.1f},{SPARK_HEIGHT - 2 - (v - low) / span * (SPARK_HEIGHT - 4):.1f}"
        for n, v in enumerate(values)
    )
    return points, ", ".join(f"{y}: {amount(v)}" for y, v in years)


def containers_panel(record: dict[str, Any] | None) -> Panel | None:
    """The latest containers report: cycle times of the pool as a histogram, and its KPIs."""
    if not record or not record["containers"]:
        return None
    fleet, reuse = record["fleet"], record["reuse"]
    cycles = [d for c in record["containers"] for d in c["cycle_days"]]
    data = [
        {"type": "histogram", "x": cycles, "name": "cycle, days", "marker": {"color": "#2a7d3a"}}
    ]
    median = fleet["cycle_days_median"]
    title = f"Reusable containers: {fleet['trips']:,} trips by {fleet['containers']:,} boxes" + (
        f", median cycle {median:.1f} d" if median is not None else ""
    )
    layout = _layout(title) | {"xaxis": {"title": {"text": "days between issues"}},
                               "yaxis": {"title": {"text": "cycles"}}}  # fmt: skip
    even = reuse["break_even_trips"]

    def shown(value: float | None, unit: str = "") -> str:
        return "-" if value is None else f"{value:,.3g}{unit}"

    cells = [
        ("active / lost / retired", f"{fleet['active']} / {fleet['lost']} / {fleet['retired']}"),
        ("trips (inferred)", f"{fleet['trips']:,} ({fleet['inferred_trips']:,})"),
        ("cycle P90", shown(fleet["cycle_days_p90"], " d")),
        ("turns a year", shown(fleet["turns_per_year"])),
        ("loss rate a trip", shown(fleet["loss_rate_per_trip"])),
        ("kg CO2e a trip: carton / box", f"{reuse['carton_per_trip_kg']:.3f} / "
                                         f"{reuse['box_per_trip_kg']:.3f}"),
        ("break-even trips", "never" if even is None else f"{even:.1f}"),
        ("kg CO2e saved by the trips", f"{reuse['saving_kg']:,.1f}"),
    ]  # fmt: skip
    return Panel("containers", title, {"data": data, "layout": layout}, ("KPI", "value"), cells)


def energy_panel(entries: Sequence[Entry]) -> Panel | None:
    """Daily park electricity from the ledger: solar used on site and grid import, stacked."""
    days: dict[str, dict[str, float]] = {}
    for e in entries:
        if e.metric in ENERGY_METRICS and e.period_start == e.period_end:
            day = days.setdefault(e.period_start.isoformat(), dict.fromkeys(ENERGY_METRICS, 0.0))
            day[e.metric] += e.quantity
    if not days:
        return None
    labels = sorted(days)
    solar, grid = ([days[d][m] for d in labels] for m in ENERGY_METRICS)
    share = [s / (s + g) * 100 if s + g else 0.0 for s, g in zip(solar, grid, strict=True)]
    data = [
        _bar(labels, solar, "solar used on site, kWh"),
        _bar(labels, grid, "grid import, kWh"),
        {"type": "scatter", "mode": "lines+markers", "x": labels, "y": share,
         "name": "solar share, %", "yaxis": "y2"},
    ]  # fmt: skip
    total = sum(solar) / (sum(solar) + sum(grid)) if sum(solar) + sum(grid) else 0.0
    title = f"Park energy: {total:.0%} of the parks' electricity from rooftop solar"
    layout = _by_day(title, "stack", "kWh", "solar share, %", {"range": [0, 100], "dtick": 25})
    cells = [
        (d, f"{s:,.0f}", f"{g:,.0f}", f"{p:.1f}%")
        for d, s, g, p in zip(labels, solar, grid, share, strict=True)
    ]
    headers = ("day", "solar used kWh", "grid import kWh", "solar share")
    return Panel(
        "energy", layout["title"]["text"], {"data": data, "layout": layout}, headers, cells
    )


ENERGY_METRICS = ("electricity.onsite_solar", "electricity.grid")
