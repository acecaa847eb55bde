"""A parcel plan as plain data (JSON for the CLI's file and the API's answer)."""

from __future__ import annotations

from typing import Any

from greenlane.parcels.network import Network
from greenlane.parcels.plan import ParcelPlan


def plan_record(plan: ParcelPlan) -> dict[str, Any]:
    """Totals against the baseline, every parcel with its CO2e and bag, departures, unplaced.

    Parameters
    ----------
    plan
        A day's parcel plan.

    Returns
    -------
    dict
        The plan, JSON-ready.

    """
    bag_of = {
        p.parcel_id: (c.departure.departure_id, n)
        for c in plan.departures
        for n, bag in enumerate(c.bags, start=1)
        for p in bag
    }
    last_mile = plan.last_mile
    return {
        "totals": _totals(plan),
        "last_mile": {
            "parcels": last_mile.parcels,
            "door_co2e_wtw_kg": last_mile.door_co2e_wtw_kg,
            "station_co2e_wtw_kg": last_mile.station_co2e_wtw_kg,
        },
        "parcels": [
            {
                "sscc": pid,
                "orders": list(s.order_ids),
                "country": s.orders[0].country,
                "service": s.orders[0].service,
                "weight_kg": s.weight_kg,
                "packaging_kg": plan.packaging_by_parcel[pid],
                "leaves_at": s.leaves_at.isoformat(),
                "why": s.reason,
                "co2e_wtw_kg": plan.co2e_by_parcel.get(pid),
                "departure": bag_of.get(pid, (None, None))[0],
                "bag": bag_of.get(pid, (None, None))[1],
            }
            for pid, s in plan.parcels
        ],
        "departures": [
            {
                "departure": c.departure.departure_id,
                "cutoff": c.departure.cutoff.isoformat(),
                "bags": [[p.parcel_id for p in b] for b in c.bags],
            }
            for c in plan.departures
        ],
        "unplaced": [{"sscc": u.parcel_id, "why": u.reason} for u in plan.unplaced],
    }


def _totals(plan: ParcelPlan) -> dict[str, Any]:
    """The plan's totals against the baseline (what ``plan_sums`` needs of the record)."""
    return {
        "orders": plan.orders,
        "parcels": plan.shipped,
        "baseline_parcels": plan.orders,
        "bags": sum(len(c.bags) for c in plan.departures),
        "consolidation_ratio": plan.consolidation_ratio,
        "co2e_wtw_kg": plan.co2e_wtw_kg,
        "baseline_co2e_wtw_kg": plan.baseline_co2e_wtw_kg,
        "co2e_wtw_kg_per_order": plan.co2e_per_order_kg,
        "baseline_co2e_wtw_kg_per_order": plan.baseline_co2e_per_order_kg,
        "packaging_kg": plan.packaging_kg,
        "baseline_packaging_kg": plan.baseline_packaging_kg,
    }


def plan_sums(plan: ParcelPlan, paper_sheets_avoided: int) -> dict[str, float]:
    """The day's totals as stored for the dashboard and the ESG ledger.

    Parameters
    ----------
    plan
        A day's parcel plan.
    paper_sheets_avoided
        Sheets the e-waybills replace.

    Returns
    -------
    dict of str to float
        The totals.

    """
    totals = _totals(plan) | {  # not the whole record: a million parcels' rows
        "last_mile_parcels": plan.last_mile.parcels,
        "door_co2e_wtw_kg": plan.last_mile.door_co2e_wtw_kg,
        "station_co2e_wtw_kg": plan.last_mile.station_co2e_wtw_kg,
        "paper_sheets_avoided": paper_sheets_avoided,
    }
    return {k: float(totals[k]) for k in SUMS}


SUMS = (
    "orders",
    "parcels",
    "bags",
    "packaging_kg",
    "baseline_packaging_kg",
    "co2e_wtw_kg",
    "baseline_co2e_wtw_kg",
    "last_mile_parcels",
    "door_co2e_wtw_kg",
    "station_co2e_wtw_kg",
    "paper_sheets_avoided",
)


def waybill_rows(plan: ParcelPlan, network: Network) -> list[dict[str, Any]]:
    """A waybill row per shipped parcel: who and where (for the carrier), what, its CO2e.

    Parameters
    ----------
    plan
        A day's parcel plan.
    network
        Its network (origin hubs).

    Returns
    -------
    list of dict
        The waybill rows.

    """
    bills = []
    for pid, shipment in plan.parcels:
        if pid not in plan.co2e_by_parcel:
            continue
        first = shipment.orders[0]
        bills.append(
            {
                "sscc": pid,
                "order_ids": list(shipment.order_ids),
                "consignee": first.consignee_id,
                "address": first.address,
                "country": first.country,
                "service": first.service,
                "weight_kg": shipment.weight_kg,
                "co2e_wtw_kg": plan.co2e_by_parcel[pid],
                "origin_hub": network.planned[first.country].origin_hub,
                "transit_days": network.transit_days[first.country],
                "created_at": shipment.leaves_at,
            }
        )
    return bills
