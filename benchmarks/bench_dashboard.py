"""Dashboard pages as a user opens them, on the demo's store and with 1 million stored TCEs.

For the demo's store (``make demo``: a week of every module, copied first) and for each
store holding the 1M-TCE sample (embedded SQLite and PostgreSQL), one run:
1. the sample network (``greenlane.scenario``: 40 shippers, a year of departures, five TCEs a
   shipment) is stored through the same ingestion as the API, as the network operator;
2. ``greenlane serve`` answers each page to a signed-in client: median and worst time of
   ``--repeat`` loads after one warm-up, beside the sign-in page (the framework's floor:
   no query) loaded the same way in the same run; the overview and the ESG page carry every
   panel the store has data for;
3. Debian's Chromium loads the operator's overview and waits until every chart is drawn;
4. the overview's figures (totals by month, mode, hub, lane and shipper) are computed both
   from the rollups, as the page does, and by scanning the stored TCEs.

    python benchmarks/bench_dashboard.py [--tces 1000000] [--repeat 7] [--store both]
                                         [--demo out/demo/greenlane.db]

Targets: every page under 1 second (issue 4); the overview and the ESG page at most 20x the
sign-in page's time in the same run (issue 26).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlencode

import httpx2
import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from bench_service import postgres_database, server
from greenlane.app.ingest import ingest
from greenlane.scenario.tces import sample_tces
from greenlane.store import connect, upgrade
from greenlane.store.access import Caller, create_organization, issue_key
from greenlane.store.queries import summary
from greenlane.store.tables import tces

CHROMIUM = os.environ.get("GREENLANE_CHROMIUM", "/usr/bin/chromium")
TARGET_MS = 1000.0
TARGET_RATIO = 20.0  # the overview and the ESG page against the sign-in page
DEMO_OPERATOR = "greenlane-demo"
GROUPS = ("month", "mode", "hub", "lane", "shipper")
console = Console(width=120)


def load(url: str, sample: bytes, shippers: list[str]) -> dict[str, str]:
    """Migrate, register the operator and the shippers, store the sample; API keys by role."""
    upgrade(url)
    engine = connect(url)
    create_organization(engine, "network", "Network", "operator")
    for shipper in shippers:
        create_organization(engine, shipper, shipper, "shipper")
    ingest(engine, Caller("network", "operator", "bench"), sample, ".parquet", "bench")
    keys = {
        "operator": issue_key(engine, "network")[1],
        "shipper": issue_key(engine, shippers[0])[1],
    }
    engine.dispose()
    return keys


def signed_in(base: str, key: str) -> httpx2.Client:
    """A client holding a dashboard session for ``key``."""
    client = httpx2.Client(base_url=base, timeout=60)
    form = client.get("/dashboard/sign-in").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    answer = client.post("/dashboard/sign-in", data={"api_key": key, "csrf": csrf.group(1)})
    assert answer.status_code == 303, answer.text
    return client


def page_times(client: httpx2.Client, path: str, repeat: int) -> tuple[float, float]:
    """Median and worst milliseconds of loading ``path``, after one warm-up load."""
    assert client.get(path).status_code == 200, path
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, path
    return statistics.median(times), max(times)


def pages(client: httpx2.Client, who: str, shipper: str) -> dict[str, str]:
    """The pages timed for one signed-in organization (``shipper``: where mid-list starts)."""
    listed = client.get("/dashboard/shipments").text
    first = re.search(r'href="(/dashboard/shipments/[^"]+)"', listed)
    following = re.search(r'href="(/dashboard/shipments\?[^"]+)" rel="next"', listed)
    assert first is not None and following is not None
    middle = {"after_shipper": shipper, "after_shipment": "SHP110100000"}  # half-way in ids
    return {
        f"ESG, FY2026 ({who})": "/dashboard/esg?year=FY2026",
        f"overview ({who}, the year)": "/dashboard",
        f"overview ({who}, one quarter)": "/dashboard?from=2026-04&to=2026-06",
        f"shipments ({who})": "/dashboard/shipments",
        f"shipments ({who}), next page": following.group(1).replace("&amp;", "&"),
        f"shipments ({who}), mid-list": f"/dashboard/shipments?{urlencode(middle)}",
        f"shipment drill-down ({who})": first.group(1),
    }


def floor_times(base: str, repeat: int) -> tuple[float, float]:
    """The sign-in page's median and worst ms: the framework's floor (a page, no query)."""
    with httpx2.Client(base_url=base, timeout=60) as anonymous:
        return page_times(anonymous, "/dashboard/sign-in", repeat)


def demo_pages(path: Path, folder: str, repeat: int) -> list[tuple[str, str, float, float]]:
    """The overview and ESG pages on a copy of the demo's store, beside the sign-in page."""
    copy = Path(folder) / "demo.db"
    copy.write_bytes(path.read_bytes())
    url = f"sqlite:///{copy}"
    engine = connect(url)
    key = issue_key(engine, DEMO_OPERATOR, "bench")[1]
    engine.dispose()
    rows = []
    with server(url, 1) as base, console.status("the demo's store: loading pages ..."):
        rows.append(("demo (SQLite)", "sign-in (the floor)", *floor_times(base, repeat)))
        client = signed_in(base, key)
        for label, page in (("overview (operator, all panels)", "/dashboard"),
                            ("ESG, FY2026 (operator)", "/dashboard/esg?year=FY2026")):  # fmt: skip
            rows.append(("demo (SQLite)", label, *page_times(client, page, repeat)))
        client.close()
    return rows


def browser_ms(base: str, key: str, repeat: int) -> float | None:
    """Median ms for Chromium to load the overview and draw every chart; None without it."""
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/dashboard/sign-in")
        page.fill("input[name=api_key]", key)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/dashboard")
        times = []
        for _ in range(repeat + 1):
            start = time.perf_counter()
            page.goto(f"{base}/dashboard")
            charts = page.locator(".chart").count()
            page.wait_for_function(
                f"document.querySelectorAll('.chart .main-svg').length >= {charts}"
            )
            times.append((time.perf_counter() - start) * 1000)
        browser.close()
    return statistics.median(times[1:])


def scan(engine: sa.Engine, group: str) -> list[tuple[object, ...]]:
    """The overview's totals for one grouping, computed from the stored TCEs (no rollups)."""
    t = tces.c
    key = {
        "month": t.month,
        "mode": t.mode,
        "hub": sa.case((t.kind == "hub", t.hoc_id)),
        "lane": t.lane,
        "shipper": t.shipper_id,
    }[group]
    query = sa.select(
        key,
        sa.func.count(),
        sa.func.sum(t.mass_kg) / 1000,
        sa.func.sum(t.transport_activity_tkm),
        sa.func.sum(t.co2e_wtt_kg),
        sa.func.sum(t.co2e_ttw_kg),
        sa.func.sum(t.co2e_wtw_kg),
    ).group_by(key)
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]


def best_ms(work: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


def figures_vs_scan(url: str, repeat: int) -> tuple[float, float]:
    """Milliseconds for the overview's five groupings from the rollups, and by scanning."""
    engine = connect(url)
    operator = Caller("network", "operator", "bench")
    rollups = best_ms(lambda: [summary(engine, operator, g, None, None) for g in GROUPS], repeat)
    scanned = best_ms(lambda: [scan(engine, g) for g in GROUPS], max(1, repeat // 3))
    engine.dispose()
    return rollups, scanned


def main() -> None:
    """Store the sample in each store, time every page, print the figures side by side."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tces", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--store", choices=("sqlite", "postgresql", "both", "none"),
                        default="both")  # fmt: skip
    parser.add_argument("--demo", type=Path, default=Path("out/demo/greenlane.db"))
    args = parser.parse_args()
    n = 0 if args.store == "none" else args.tces
    with console.status(f"generating {n:,} TCEs ..."):
        sample = sample_tces(max(n, 1), seed=11)
        body = io.BytesIO()
        sample.write_parquet(body)
    shippers = sample["shipper_id"].unique().sort().to_list()
    page_rows: list[tuple[str, str, float, float]] = []
    figure_rows: list[tuple[str, float, float, float | None]] = []
    with TemporaryDirectory() as folder, ExitStack() as stack:
        if args.demo.is_file():
            page_rows += demo_pages(args.demo, folder, args.repeat)
        else:
            console.print(f"no demo store at {args.demo} (run make demo): skipped")
        urls = {}
        if args.store in ("sqlite", "both"):
            urls["embedded (SQLite)"] = f"sqlite:///{folder}/greenlane.db"
        if args.store in ("postgresql", "both"):
            urls["PostgreSQL"] = stack.enter_context(postgres_database())
        for name, url in urls.items():
            with console.status(f"{name}: storing {sample.height:,} TCEs ..."):
                keys = load(url, body.getvalue(), shippers)
            with server(url, 1) as base, console.status(f"{name}: loading pages ..."):
                page_rows.append((name, "sign-in (the floor)", *floor_times(base, args.repeat)))
                for who, key in keys.items():
                    client = signed_in(base, key)
                    middle = shippers[len(shippers) // 2] if who == "operator" else shippers[0]
                    for label, path in pages(client, who, middle).items():
                        page_rows.append((name, label, *page_times(client, path, args.repeat)))
                    client.close()
                drawn = browser_ms(base, keys["operator"], max(1, args.repeat // 2))
            with console.status(f"{name}: the overview's figures, rollups and scan ..."):
                figure_rows.append((name, *figures_vs_scan(url, args.repeat), drawn))
    report(n, page_rows, figure_rows)


def report(
    n: int,
    page_rows: list[tuple[str, str, float, float]],
    figure_rows: list[tuple[str, float, float, float | None]],
) -> None:
    """Print both tables and the verdict against the target."""
    pages_table = Table(title=f"dashboard pages, time to answer, {n:,} stored TCEs (1 worker)")
    for column in ("store", "page", "median ms", "worst ms", "worst / 1 s", "x sign-in"):
        pages_table.add_column(column, justify="right")
    floors = {name: median for name, label, median, _ in page_rows if label.startswith("sign-in")}
    ratios = []
    for name, label, median, worst in page_rows:
        ratio = median / floors[name]
        if label.startswith(("overview", "ESG")):
            ratios.append(ratio)
        pages_table.add_row(name, label, f"{median:.1f}", f"{worst:.1f}",
                            f"{worst / TARGET_MS:.2f}", f"{ratio:.1f}")  # fmt: skip
    console.print(pages_table)
    figures = Table(
        title="the overview's figures (5 groupings, operator): rollups vs scanning TCEs"
    )
    for column in ("store", "rollups ms", "scan ms", "scan / rollups", "Chromium: drawn, ms"):
        figures.add_column(column, justify="right")
    for name, rollups, scanned, drawn in figure_rows:
        shown = f"{drawn:.0f}" if drawn is not None else "no Chromium"
        figures.add_row(name, f"{rollups:.1f}", f"{scanned:.1f}", f"{scanned / rollups:.1f}", shown)
    console.print(figures)
    slowest = max(worst for *_, worst in page_rows)
    verdict = "met" if slowest < TARGET_MS else "NOT met"
    console.print(f"target: every page < 1 s: {verdict} (slowest worst case {slowest:.0f} ms)")
    highest = max(ratios, default=0.0)
    verdict = "met" if highest <= TARGET_RATIO else "NOT met"
    console.print(f"target: overview and ESG <= {TARGET_RATIO:.0f}x the sign-in page (medians): "
                  f"{verdict} (highest {highest:.1f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
