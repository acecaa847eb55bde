"""The order stream: merchants, consignees (some ordering several times a day), item lines.

Item sizes come from a small catalogue of typical cross-border e-commerce goods, each drawn
with +-15% size jitter; an order has one to four lines. A third of each day's orders come from
consignees who order more than once that day, which is what order merging works on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np

from greenlane.scenario.network import CITY_OF, COUNTRIES, LIEGE, ROUTED

# name: (length, width, height cm, kg)
PRODUCTS = {
    "phone-case": (16, 9, 2, 0.08),
    "t-shirt": (30, 25, 3, 0.22),
    "sneakers": (33, 22, 12, 0.95),
    "book": (24, 17, 3, 0.45),
    "headphones": (20, 18, 8, 0.35),
    "cosmetics": (10, 6, 6, 0.15),
    "toy": (30, 20, 15, 0.6),
    "kitchen-gadget": (25, 15, 10, 0.8),
    "led-lamp": (40, 15, 15, 1.2),
    "small-appliance": (35, 25, 25, 3.1),
}
MERCHANTS = 40


@dataclass(frozen=True, slots=True)
class Consignee:
    """A buyer with one delivery address (and its coordinates, where it is geocoded)."""

    consignee_id: str
    country: str
    address: str
    lat: float
    lon: float


def consignees(rng: np.random.Generator, per_country: dict[str, int]) -> list[Consignee]:
    """The buyers of the week, by country; the routed country's live around Liège."""
    people = []
    for country, count in per_country.items():
        for n in range(count):
            lat, lon = (
                (LIEGE[0] + rng.normal(0, 0.025), LIEGE[1] + rng.normal(0, 0.04))
                if country == ROUTED
                else (0.0, 0.0)
            )
            street = f"{rng.integers(1, 180)} Rue {n % 97 + 1}, {CITY_OF[country]}"
            people.append(Consignee(f"c-{country}-{n:05d}", country, street, lat, lon))
    return people


def day_orders(
    rng: np.random.Generator, day: date, count: int, buyers: dict[str, list[Consignee]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``count`` orders placed on ``day`` and their item lines."""
    countries = list(COUNTRIES)
    shares = np.array([COUNTRIES[c][0] for c in countries])
    orders, items = [], []
    repeat: list[Consignee] = []
    for n in range(count):
        if repeat and rng.random() < 0.33:
            buyer = repeat[int(rng.integers(len(repeat)))]
        else:
            pool = buyers[countries[int(rng.choice(len(countries), p=shares / shares.sum()))]]
            buyer = pool[int(rng.integers(len(pool)))]
            repeat.append(buyer)
        order_id = f"o-{day:%m%d}-{n:05d}"
        lines = _lines(rng, order_id)
        placed = datetime.combine(day, time()) + timedelta(seconds=float(rng.uniform(0, 86_400)))
        orders.append(_order(order_id, buyer, placed, lines, rng))
        items += lines
    return orders, items


def _lines(rng: np.random.Generator, order_id: str) -> list[dict[str, Any]]:
    names = list(PRODUCTS)
    lines = []
    for k in range(int(rng.choice([1, 1, 1, 2, 2, 3, 4]))):
        name = names[int(rng.integers(len(names)))]
        length, width, height, kg = PRODUCTS[name]
        scale = float(rng.uniform(0.85, 1.15))
        lines.append(
            {"order_id": order_id, "item_id": f"{name}-{k + 1}",
             "length_cm": round(length * scale, 1), "width_cm": round(width * scale, 1),
             "height_cm": round(height * scale, 1), "weight_kg": round(kg * scale, 3),
             "quantity": 1, "fragile": "true" if name in ("led-lamp",) else "false"}
        )  # fmt: skip
    return lines


def _order(
    order_id: str,
    buyer: Consignee,
    placed: datetime,
    lines: list[dict[str, Any]],
    rng: np.random.Generator,
) -> dict[str, Any]:
    transit = COUNTRIES[buyer.country][5]
    return {
        "order_id": order_id,
        "merchant_id": f"m-{int(rng.integers(1, MERCHANTS + 1)):03d}",
        "consignee_id": buyer.consignee_id,
        "address": buyer.address,
        "country": buyer.country,
        "service": "standard",
        "placed_at": placed.isoformat(timespec="seconds"),
        "promised_by": (placed + timedelta(days=transit + 3)).isoformat(timespec="seconds"),
        "weight_kg": round(sum(i["weight_kg"] * i["quantity"] for i in lines), 3),
        "volume_cm3": round(
            sum(i["length_cm"] * i["width_cm"] * i["height_cm"] * i["quantity"] for i in lines),
            1,
        ),
    }
