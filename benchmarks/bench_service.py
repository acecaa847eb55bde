"""The service under load on loopback: quote latency and bulk-upload throughput.

For the embedded store (SQLite) and PostgreSQL side by side, one run each:
1. the single-shipment quote (``POST /v1/quote``, two TCEs), requests per second and p50/p99
   latency from concurrent keep-alive connections over ``--seconds`` (load from wrk when it
   is installed, else from Python threads, which compete for the same 2 cores);
2. a ``--tces`` batch upload (Parquet body, ``POST /v1/batches``), TCEs per second end to end
   (parse, validate, calculate, store, roll up).

    python benchmarks/bench_service.py [--tces 1000000] [--seconds 10] [--clients 8]

Beside the quote, ``GET /v1/health`` under the same load in the same run: the framework's
floor (authentication, no work).

Then the per-row path: the same calculation, each TCE stored by its own INSERT (``--per-row``
TCEs), the baseline the bulk upload is held against.

Targets: quote >= 50% of health's requests/s with p99 <= 3x health's, and the upload into
PostgreSQL >= 10x the per-row path (issue 26); upload >= 100,000 TCEs/s into PostgreSQL
(issue 3). The server is ``greenlane serve --workers 2`` (this
machine has 2 cores).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx2
import numpy as np
import polars as pl
import psycopg
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from bench_emissions import generate
from greenlane.emissions import run
from greenlane.store import (
    connect,
    upgrade,
)
from greenlane.store.access import Caller, create_organization, issue_key
from greenlane.store.ingest import STORED, _rows, _with_ref_ids, owned
from greenlane.store.tables import Role, tces

SERVER = os.environ.get("GREENLANE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
QUOTE_PATH = "/v1/quote"
QUOTE = json.dumps(
    [
        {
            "shipment_id": "Q1",
            "tce_id": "q1-road",
            "kind": "transport",
            "mass_kg": 800,
            "toc_id": "road.eu.artic_le40t.diesel.average",
            "distance_km": 120,
        },
        {
            "shipment_id": "Q1",
            "tce_id": "q1-air",
            "kind": "transport",
            "mass_kg": 800,
            "toc_id": "air.unknown.long_haul",
            "origin": "PVG",
            "destination": "LGG",
        },
    ]
).encode()
console = Console(width=150)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(url: str) -> str:
    """Migrate the database and register a shipper; its API key."""
    upgrade(url)
    engine = connect(url)
    create_organization(engine, "acme", "Acme", "shipper")
    key = issue_key(engine, "acme")[1]
    engine.dispose()
    return key


@contextmanager
def server(url: str, workers: int) -> Iterator[str]:
    """``greenlane serve`` on the database at ``url``, ready: its base URL."""
    port = _free_port()
    env = os.environ | {"GREENLANE_DATABASE_URL": url, "GREENLANE_MAX_UPLOAD_BYTES": str(2**30)}
    greenlane = str(Path(sys.executable).parent / "greenlane")
    serve = [greenlane, "serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(serve, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx2.get(f"{base}/v1/ready", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait()


Load = tuple[float, float, float]  # requests/s, p50 ms, p99 ms


def thread_load(base: str, key: str, path: str, seconds: float, clients: int) -> Load:
    """Requests/s, p50 and p99 latency (ms) of concurrent requests (POST a quote, else GET)."""
    headers = {"X-API-Key": key, "Content-Type": "application/json"}
    latencies: list[list[float]] = [[] for _ in range(clients)]
    stop = time.perf_counter() + seconds

    def client(mine: list[float]) -> None:
        with httpx2.Client(base_url=base, headers=headers, timeout=30) as http:
            while time.perf_counter() < stop:
                start = time.perf_counter()
                answer = http.post(path, content=QUOTE) if path == QUOTE_PATH else http.get(path)
                mine.append(time.perf_counter() - start)
                assert answer.status_code == 200, answer.text

    threads = [threading.Thread(target=client, args=(m,)) for m in latencies]
    begun = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - begun
    every = np.array([x for m in latencies for x in m]) * 1000
    return len(every) / elapsed, float(np.percentile(every, 50)), float(np.percentile(every, 99))


def _ms(text: str) -> float:
    """A wrk duration such as 812.00us, 3.41ms or 1.02s, in milliseconds."""
    for unit, scale in (("us", 1e-3), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * scale
    raise ValueError(text)


def wrk_load(base: str, key: str, path: str, seconds: float, clients: int) -> Load:
    """Requests/s, p50 and p99 (ms) under wrk (C, keep-alive, 2 threads): POST a quote, else GET.

    A 2-second unmeasured run first lets every worker meet each input shape once.
    """
    script = f"""
wrk.headers["X-API-Key"] = "{key}"
"""
    if path == QUOTE_PATH:
        script += f"""
wrk.method = "POST"
wrk.body = {json.dumps(QUOTE.decode())}
wrk.headers["Content-Type"] = "application/json"
"""
    with TemporaryDirectory() as folder:
        lua = Path(folder) / "load.lua"
        lua.write_text(script)
        command = ["wrk", "-t2", f"-c{clients}", "--latency", "-s", str(lua), f"{base}{path}"]
        subprocess.run([*command, "-d2s"], capture_output=True, check=True)  # warm-up, unmeasured
        out = subprocess.run(
            [*command, f"-d{seconds:.0f}s"], capture_output=True, text=True, check=True
        ).stdout
    if "Non-2xx" in out:
        raise AssertionError(f"{path} failed under load:\n{out}")
    fields = {line.split()[0]: line.split()[1] for line in out.splitlines() if line.strip()}
    return float(fields["Requests/sec:"]), _ms(fields["50%"]), _ms(fields["99%"])


def per_row(url: str, n: int) -> float:
    """TCEs per second stored one INSERT a row (calculated as an upload is), in one transaction.

    The baseline the bulk path is held against: the same rows, the same calculation, but each
    row its own statement (no staging, no COPY, no rollup).
    """
    engine = connect(url)
    acme = Caller("acme", Role.SHIPPER, "bench")
    start = time.perf_counter()
    fresh = generate(n, seed=5).with_columns(("row-" + pl.col("tce_id")).alias("tce_id"))
    frame, _ = owned(engine, acme, fresh, "per-row")  # as an upload names its shipper
    rows = _rows(run(frame).results, acme, "per-row")
    with engine.begin() as conn:
        for row in _with_ref_ids(conn, rows).select(STORED).iter_rows(named=True):
            conn.execute(tces.insert(), row)
    seconds = time.perf_counter() - start
    engine.dispose()
    return n / seconds


def upload(base: str, key: str, tces: int) -> float:
    """TCEs per second of one batch upload (Parquet body) stored in full."""
    frame = generate(tces, seed=3)
    body = io.BytesIO()
    frame.write_parquet(body)
    headers = {
        "X-API-Key": key,
        "Idempotency-Key": secrets.token_hex(8),
        "Content-Type": "application/vnd.apache.parquet",
    }
    start = time.perf_counter()
    answer = httpx2.post(
        f"{base}/v1/batches", content=body.getvalue(), headers=headers, timeout=600
    )
    seconds = time.perf_counter() - start
    assert answer.status_code == 201 and answer.json()["stored"] == tces, answer.text
    return tces / seconds


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the PostgreSQL server, dropped afterwards."""
    name = f"greenlane_bench_{secrets.token_hex(4)}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            SERVER.replace("postgresql://", "postgresql+psycopg://").rsplit("/", 1)[0] + "/" + name
        )
    finally:
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def main() -> None:
    """Measure both stores and print the figures side by side."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tces", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--per-row", type=int, default=20_000, help="TCEs for the per-row path")
    args = parser.parse_args()
    rows: dict[str, tuple[float, ...]] = {}
    with TemporaryDirectory() as folder, postgres_database() as pg_url:
        stores = {"embedded (SQLite)": f"sqlite:///{folder}/greenlane.db", "PostgreSQL": pg_url}
        keys = {name: prepare(url) for name, url in stores.items()}
        load = wrk_load if shutil.which("wrk") else thread_load
        for name, url in stores.items():  # quotes first: a bulk load's disk work would skew them
            with server(url, args.workers) as base, console.status(f"{name}: health, quotes"):
                health = load(base, keys[name], "/v1/health", args.seconds, args.clients)
                rows[name] = (*health, *load(base, keys[name], QUOTE_PATH, args.seconds,
                                             args.clients))  # fmt: skip
        for name, url in stores.items():
            with server(url, args.workers) as base, console.status(f"{name}: uploading"):
                rows[name] += (upload(base, keys[name], args.tces),)
            with console.status(f"{name}: the per-row path"):
                rows[name] += (per_row(url, args.per_row),)
    generator = (
        "wrk" if shutil.which("wrk") else "Python threads (install wrk for less client load)"
    )
    table = Table(
        title=f"greenlane service on loopback, {args.workers} workers, "
        f"{args.clients} connections ({generator})"
    )
    columns = ("store", "health req/s", "p99 ms", "quote req/s", "p50 ms", "p99 ms",
               "quote / health req/s", "quote / health p99",
               f"upload {args.tces:,}: TCEs/s", f"per row ({args.per_row:,}): TCEs/s",
               "upload / per row")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="right")
    for name, (h_rps, _, h_p99, rps, p50, p99, per_second, one_by_one) in rows.items():
        table.add_row(name, f"{h_rps:,.0f}", f"{h_p99:.1f}", f"{rps:,.0f}", f"{p50:.1f}",
                      f"{p99:.1f}", f"{rps / h_rps:.0%}", f"{p99 / h_p99:.1f}x",
                      f"{per_second:,.0f}", f"{one_by_one:,.0f}",
                      f"{per_second / one_by_one:.1f}x")  # fmt: skip
    console.print(table)
    met = all(r[3] >= 0.5 * r[0] and r[5] <= 3 * r[2] for r in rows.values())
    console.print("target: quote >= 50% of health's req/s, p99 <= 3x health's: "
                  + ("met" if met else "NOT met"))  # fmt: skip
    pg = rows["PostgreSQL"]
    console.print(
        "target: upload into PostgreSQL >= 10x the per-row path: "
        + ("met" if pg[6] >= 10 * pg[7] else "NOT met")
        + f" ({pg[6] / pg[7]:.1f}x)"
    )
    sqlite_rate, pg_rate = rows["embedded (SQLite)"][6], rows["PostgreSQL"][6]
    console.print(f"upload PostgreSQL / embedded: {pg_rate / sqlite_rate:.2f}x")
    console.print(
        "targets: quote >= 1,000 req/s and p99 < 25 ms; upload >= 100,000 TCEs/s (PostgreSQL)"
    )


if __name__ == "__main__":
    main()
