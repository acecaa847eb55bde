"""greenlane's settings, read once from the environment (``GREENLANE_<NAME>``) and passed down.

``greenlane config show`` prints each effective value and where it came from. Faces read the
settings when they start (the service in ``create_app``, a command when it runs) and hand the
values to what they call; no other module reads the environment.
"""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PREFIX = "GREENLANE_"
# A day's last mile in sectors of up to 800 stops: on a 100,000-order day (13,277 stops, three
# seeds) 0.73x the routing CPU of 400-stop sectors, plans 1.4 % and baselines 0.9 % cheaper
# (a solve's time grows more slowly than its stops): benchmarks/bench_zone_size.py.
ZONE_STOPS = 800


class Settings(BaseSettings):
    """Every setting with its default; the environment overrides each."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", frozen=True)

    database_url: str = Field(
        "sqlite:///greenlane.db",
        description="The store: the embedded SQLite file, or postgresql+psycopg://...",
    )
    secure_cookies: bool | None = Field(
        None,
        description="Dashboard cookies Secure (true/false); unset: unless plain HTTP to localhost",
    )
    max_upload_bytes: int = Field(64 * 2**20, gt=0, description="Largest request body, bytes")
    max_upload_rows: int = Field(2_000_000, gt=0, description="Most TCEs in one request")
    limit_sign_ins: int = Field(10, gt=0, description="Failed sign-ins per client a minute")
    limit_bad_keys: int = Field(30, gt=0, description="Invalid API keys per client a minute")
    limit_tracking: int = Field(
        60, gt=0, description="Public tracking look-ups per client a minute"
    )
    carbon_price: float = Field(
        0.1, ge=0, le=1000, description="The main job's price of a kg CO2e in routing and relief"
    )
    routing_iterations: int = Field(
        250,
        gt=0,
        le=1_000_000,
        description="The main job's solver iterations per day's last mile (same plans anywhere)",
    )
    routing_zone_stops: int = Field(
        ZONE_STOPS,
        ge=10,
        le=5_000,
        description="The most stops in one last-mile zone (a day with more is cut into zones)",
    )
    seed: int = Field(1, ge=0, description="The main job's solver seed")
    pipeline_engine: Literal["local", "spark"] = Field(
        "local", description="Where the main job's partitions run: this machine or Spark"
    )
    pipeline_workers: int = Field(
        1, ge=1, le=256, description="Local worker processes for the main job (1: in process)"
    )
    spark_master: str = Field(
        "local[2]", max_length=500, description="The Spark master URL of --engine spark"
    )
    auth_cache_seconds: float = Field(
        5.0, ge=0, le=300, description="How long a verified API key is trusted without a lookup"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "WARNING", description="What the greenlane logger passes on"
    )
    log_json: bool = Field(False, description="Log as JSON lines (one object a record)")


def settings() -> Settings:
    """The settings now in force (the environment read afresh)."""
    return Settings()


def sources(current: Settings) -> list[tuple[str, str, str]]:
    """Each setting's (name, effective value, where it came from)."""
    return [
        (
            name,
            str(getattr(current, name)),
            f"environment {PREFIX}{name.upper()}"
            if f"{PREFIX}{name.upper()}" in os.environ
            else "default",
        )
        for name in Settings.model_fields
    ]
