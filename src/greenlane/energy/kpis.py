"""A park's energy KPIs over a plan, and its energy as HOC rows for the emissions engine.

Definitions (docs/energy.md):
- PV used on site = PV generated - curtailed - exported (directly or through the battery).
- Consumption = grid import + PV used on site (what the park used, battery losses included).
- Clean-energy share = (PV used on site + certified clean grid supply) / consumption: the way
  Cainiao reports 54.1% (its exact definition is not public; this one is stated).
- Self-consumption = PV used on site / PV generated.
- Self-sufficiency = PV used on site / consumption.
- Avoided CO2e (location-based, attributional) = PV used on site x the grid factor, per step.
- Cost = tariff x import - feed-in x export; CO2e = grid factor x import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from greenlane.energy.dispatch import Flows
from greenlane.energy.park import Park


@dataclass(frozen=True, slots=True)
class EnergyKpis:
    """One plan's figures."""

    pv_kwh: float
    pv_used_kwh: float
    import_kwh: float
    export_kwh: float
    consumption_kwh: float
    clean_share: float
    self_consumption: float
    self_sufficiency: float
    avoided_co2e_kg: float
    co2e_kg: float
    cost: float


def kpis(park: Park, flows: Flows, certified_share: float = 0.0) -> EnergyKpis:
    """The KPIs of a plan; ``certified_share`` of the grid import is certified clean supply.

    Parameters
    ----------
    park
        The park's series.
    flows
        A plan's flows.
    certified_share
        Share of the grid import backed by certificates, in [0, 1].

    Returns
    -------
    EnergyKpis
        Energy, cost, CO2e and shares (PV used, self-sufficiency, clean electricity).

    References
    ----------
    GHG Protocol Scope 2 Guidance (WRI/WBCSD, 2015): location- and market-based methods.

    """
    dt = park.step_h
    used = np.clip(park.pv_kw - flows.curtailed - flows.grid_export, 0.0, None)
    pv, pv_used = float(park.pv_kw.sum() * dt), float(used.sum() * dt)
    imported, exported = float(flows.grid_import.sum() * dt), float(flows.grid_export.sum() * dt)
    consumption = imported + pv_used
    return EnergyKpis(
        pv_kwh=pv,
        pv_used_kwh=pv_used,
        import_kwh=imported,
        export_kwh=exported,
        consumption_kwh=consumption,
        clean_share=(pv_used + certified_share * imported) / consumption if consumption else 0.0,
        self_consumption=pv_used / pv if pv else 0.0,
        self_sufficiency=pv_used / consumption if consumption else 0.0,
        avoided_co2e_kg=float((used * park.grid_ef).sum() * dt),
        co2e_kg=float((flows.grid_import * park.grid_ef).sum() * dt),
        cost=float((park.tariff * flows.grid_import - park.feed_in * flows.grid_export).sum() * dt),
    )


def hoc_rows(
    park: Park, flows: Flows, hoc_id: str | None = None, *, data_type: str
) -> list[dict[str, Any]]:
    """The park's electricity over the plan as HOC energy rows (its hub's own data).

    Grid import with the park's own import-weighted factor (WTW; electricity has no TTW part),
    and the PV it used with a zero factor, so the hub's intensity in ISO 14083 reports comes
    from the park's measured or planned energy rather than a default.

    Parameters
    ----------
    park
        The park's series.
    flows
        The plan's flows.
    hoc_id
        The hub operation category the rows belong to (the park's id when None).
    data_type
        ``primary`` when the flows are metered (telemetry), ``modelled`` when planned: said by
        the caller, never assumed.

    Returns
    -------
    list of dict
        HOC rows (``hoc_id``, ``source``, ``quantity``, ``unit``, factors).

    References
    ----------
    ISO 14083:2023, 9.5 (HOC intensity from the hub's energy); GLEC Framework v3.0, pp.18,
    106 (electricity).

    """
    dt = park.step_h
    imported = float(flows.grid_import.sum() * dt)
    factor = float((flows.grid_import * park.grid_ef).sum() * dt / imported) if imported else 0.0
    used = float(np.clip(park.pv_kw - flows.curtailed - flows.grid_export, 0.0, None).sum() * dt)
    hub = hoc_id or park.park_id
    return [
        {"hoc_id": hub, "source": "electricity", "quantity": imported, "unit": "kWh",
         "ef_wtw_kg_per_unit": factor, "ef_ttw_kg_per_unit": 0.0, "data_type": data_type},
        {"hoc_id": hub, "source": "electricity", "quantity": used, "unit": "kWh",
         "ef_wtw_kg_per_unit": 0.0, "ef_ttw_kg_per_unit": 0.0, "data_type": data_type},
    ]  # fmt: skip


def refrigerant_rows(
    leaks: Sequence[tuple[str, float]], days: float, hoc_id: str, *, data_type: str
) -> list[dict[str, Any]]:
    """Refrigerant leaks over ``days`` as HOC rows (kg of each gas; the pack gives its GWP).

    Parameters
    ----------
    leaks
        (gas, kg a year) of each refrigerant, as GLEC v3.0 names the gas (R-410A ...).
    days
        The days the rows cover.
    hoc_id
        The hub operation category they belong to.
    data_type
        ``primary`` for recorded top-ups, ``modelled`` for a yearly estimate spread.

    Returns
    -------
    list of dict
        HOC energy rows (``source`` the gas, ``unit`` kg).

    References
    ----------
    ISO 14083:2023, 9.5 (refrigerant leakage in hub operations); GLEC Framework v3.0,
    Module 3, Table 2 (GWP100, AR6).

    """
    return [
        {"hoc_id": hoc_id, "source": gas, "quantity": kg * days / 365, "unit": "kg",
         "region": "GLOBAL", "data_type": data_type}
        for gas, kg in leaks
        if kg > 0
    ]  # fmt: skip
