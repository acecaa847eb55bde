"""Packaging material factors shared by the packing and traceability engines, with sources."""

from __future__ import annotations

BOARD_CO2E_KG_PER_KG = 0.491
BOARD_FACTOR_SOURCE = (
    "FEFCO/Cepi ContainerBoard, European Database for Corrugated Board Life Cycle Studies "
    "2021: 491 kg CO2e per tonne of corrugated packaging, cradle to grave (FEFCO, July 2022)"
)
