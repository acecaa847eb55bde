"""The command line, run as a user runs it: real files in, real files out, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from greenlane.cli import app
from greenlane.cli.main import COMMANDS

DATA = Path(__file__).parent / "data"
runner = CliRunner()
GOOD = """shipment_id,tce_id,kind,mass_kg,mode,toc_id,hoc_id,distance_km,origin,destination
S1,a,transport,10000,road,road.eu.artic_le40t.diesel.average,,500,,
S1,b,hub,10000,,,hub.transshipment.ambient,,,
S2,c,transport,2000,air,air.freighter.long_haul,,,PVG,LGG
"""
BAD = (
    GOOD
    + "S3,d,transport,abc,road,road.eu.artic_le40t.diesel.average,,10,,\n"
    + "S3,e,transport,5,road,nope,,10,,\n"
)


def _write(tmp: Path, text: str) -> Path:
    path = tmp / "tces.csv"
    path.write_text(text)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".json"])
@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_calc_writes_results_and_report(tmp_path: Path, suffix: str, engine: str) -> None:
    """Emissions calc writes every row's results, the HTML report, and exits 0."""
    out = tmp_path / f"out{suffix}"
    result = runner.invoke(
        app,
        [
            "emissions",
            "calc",
            str(_write(tmp_path, GOOD)),
            "--out",
            str(out),
            "--engine",
            engine,
            "--report",
            str(tmp_path / "r.html"),
        ],
    )
    assert result.exit_code == 0, result.output
    frame = {".csv": pl.read_csv, ".parquet": pl.read_parquet, ".json": pl.read_json}[suffix](out)
    assert frame["tce_id"].to_list() == ["a", "b", "c"]
    assert frame["co2e_wtw_kg"][0] == pytest.approx(475.0)
    html = (tmp_path / "r.html").read_text()
    assert (
        "These calculation results have been established in accordance with ISO 14083:2023" in html
    )


def test_bad_input_exits_2_names_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    """Bad rows: exit 2, each problem with file, row, column; no output file at all."""
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["emissions", "calc", str(_write(tmp_path, BAD)), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert "tces.csv: row 4, column 'mass_kg': not a number: 'abc'" in result.output
    assert "tces.csv: row 5, column 'toc_id': unknown toc_id" in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "tces.csv"]


def test_skip_invalid_writes_valid_results_and_rejects(tmp_path: Path) -> None:
    """--skip-invalid: the three valid rows' results plus a rejects file with both bad rows."""
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["emissions", "calc", str(_write(tmp_path, BAD)), "--out", str(out), "--skip-invalid"]
    )
    assert result.exit_code == 0, result.output
    assert pl.read_csv(out)["tce_id"].to_list() == ["a", "b", "c"]
    rejects = pl.read_csv(tmp_path / "out.rejects.csv")
    assert rejects["tce_id"].to_list() == ["d", "e"]
    assert "not a number" in rejects["reject_reasons"][0]


def test_every_row_rejected_is_a_failure_not_an_empty_result(tmp_path: Path) -> None:
    """--skip-invalid with nothing valid: exit 2, no results file, the rejects kept."""
    header = GOOD.splitlines()[0]
    only_bad = "\n".join([header, *BAD.splitlines()[-2:]]) + "\n"
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["emissions", "calc", str(_write(tmp_path, only_bad)), "--out", str(out),
              "--skip-invalid"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "every row (2) was rejected" in " ".join(result.output.split())
    assert not out.exists() and (tmp_path / "out.rejects.csv").exists()


@pytest.mark.parametrize(("option", "name"), [("--out", "out.xlsx"), ("--report", "r.pdf")])
def test_an_output_format_is_checked_before_any_work(
    tmp_path: Path, option: str, name: str
) -> None:
    """An output greenlane cannot write is refused first: exit 2, one problem, nothing written."""
    args = ["emissions", "calc", str(_write(tmp_path, GOOD)), "--out", str(tmp_path / "o.csv")]
    result = runner.invoke(app, [*args, option, str(tmp_path / name)])
    assert result.exit_code == 2, result.output
    assert "unsupported output type" in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == [tmp_path / "tces.csv"]


def test_user_tocs_and_hocs_and_json_report(tmp_path: Path) -> None:
    """--tocs/--hocs with primary data on an iLEAP file; the JSON report totals the rows."""
    shutil.copy(DATA / "ileap_shipments.json", tmp_path)
    out, report = tmp_path / "out.parquet", tmp_path / "report.json"
    result = runner.invoke(
        app,
        [
            "emissions",
            "calc",
            str(tmp_path / "ileap_shipments.json"),
            "--tocs",
            str(DATA / "tocs_ileap.csv"),
            "--hocs",
            str(DATA / "hocs_ileap.csv"),
            "--out",
            str(out),
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    model = json.loads(report.read_text())
    assert model["totals"]["co2e_wtw_kg"] == pytest.approx(
        pl.read_parquet(out)["co2e_wtw_kg"].sum()
    )
    assert {d["data_type"] for d in model["data_quality"]} == {"primary", "default"}


def test_factors_list_filters_by_mode_and_text() -> None:
    """Factors list --mode air --search freighter shows the two freighter categories."""
    result = runner.invoke(app, ["factors", "list", "--mode", "air", "--search", "freighter"])
    assert result.exit_code == 0
    assert "air.freighter.short_haul" in result.output and "air.belly" not in result.output


def test_unknown_pack_is_a_clear_error(tmp_path: Path) -> None:
    """A pack that does not exist exits 2 naming it."""
    result = runner.invoke(app, ["factors", "list", "--pack", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such factor pack" in result.output


def test_demo_prints_the_summary_and_a_key_and_runs_each_day_once(tmp_path: Path) -> None:
    """The non-interactive demo plans and accounts the days, prints the levers and a key."""
    import sqlalchemy as sa

    args = ["demo", "--out-dir", str(tmp_path), "--days", "1", "--orders-per-day", "80",
            "--no-serve"]  # fmt: skip
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    for shown in ("t CO2e", "order merging", "relief:", "ESG headline KPIs", "demo API key"):
        assert shown in first.output, shown
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'greenlane.db'}")
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM tces")).scalar_one()
    assert stored > 0
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM tces")).scalar_one() == stored
    engine.dispose()


def test_pipeline_run_names_the_failed_stage_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken day stops `pipeline run` with the stage and the file; the day before stays."""
    import sqlalchemy as sa

    from greenlane.scenario.generate import generate

    manifest = generate(tmp_path / "w", seed=2, days=2, orders_per_day=30)
    broken = tmp_path / "w" / manifest["days"][1]["containers"]
    broken.write_text(broken.read_text().replace('"shipping"', '"flying"'))
    url = f"sqlite:///{tmp_path / 'g.db'}"
    monkeypatch.setenv("GREENLANE_DATABASE_URL", url)
    result = runner.invoke(app, ["pipeline", "run", str(tmp_path / "w")])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "stage 'capturing container events' failed on days/2026-11-17/containers.jsonld" in text
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM pipeline_days")).scalar_one() == 1
    engine.dispose()


def test_org_grant_revoke_and_prefix_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The administrator grants, lists, revokes and registers prefixes; refusals exit by code.

    Not found exits 3, a conflict 4, bad input 2 (``cli.errors.EXIT``).
    """
    monkeypatch.setenv("GREENLANE_DATABASE_URL", f"sqlite:///{tmp_path / 'g.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    for org, role in (("acme", "shipper"), ("haul", "carrier"), ("globex", "shipper")):
        assert runner.invoke(app, ["org", "create", org, "--role", role]).exit_code == 0
    granted = runner.invoke(app, ["org", "grant", "acme", "haul"])
    assert granted.exit_code == 0, granted.output
    listed = runner.invoke(app, ["org", "grants"])
    assert listed.output.split("\t")[:3] == ["acme", "haul", "carrier"]
    assert runner.invoke(app, ["org", "grant", "acme", "globex"]).exit_code == 3  # a shipper
    markup = runner.invoke(app, ["org", "grant", "acme", "[/x]"])  # typed text is not markup
    assert markup.exit_code == 3 and "[/x]" in markup.output
    assert runner.invoke(app, ["org", "revoke", "acme", "haul"]).exit_code == 0
    assert runner.invoke(app, ["org", "revoke", "acme", "haul"]).exit_code == 3  # gone already
    assert runner.invoke(app, ["org", "prefix", "acme", "0614141"]).exit_code == 0
    taken = runner.invoke(app, ["org", "prefix", "globex", "0614141"])
    assert taken.exit_code == 4 and "another organization" in taken.output
    again = runner.invoke(app, ["org", "create", "acme", "--role", "shipper"])
    assert again.exit_code == 4 and "exists already" in again.output
    assert runner.invoke(app, ["org", "prefix", "acme", "12ab"]).exit_code == 2


@pytest.mark.parametrize("group", sorted(COMMANDS))
def test_a_groups_help_imports_no_engine(group: str) -> None:
    """``greenlane <group> --help`` loads the group's module, and no engine or data library."""
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from greenlane.cli import app\n"
        f"shown = CliRunner().invoke(app, [{group!r}, '--help'])\n"
        "assert shown.exit_code == 0, shown.output\n"
        "heavy = ('polars', 'duckdb', 'scipy', 'pvlib', 'pyvrp', 'pandas', 'sqlalchemy',\n"
        "         'numpy', 'highspy', 'rich.table', 'rich.progress')\n"
        "ours = [m for m in sys.modules if m.startswith('greenlane.')\n"
        "        and m.split('.')[1] not in ('cli', 'errors', 'settings', 'logs')]\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy) + ours)\n"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "[]"


def test_the_root_help_and_version_import_no_engine() -> None:
    """``greenlane --help`` lists every group from its registered help: no engine is imported."""
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from greenlane.cli import app\n"
        "shown = CliRunner().invoke(app, ['--help'])\n"
        "assert shown.exit_code == 0 and 'emissions' in shown.output, shown.output\n"
        "heavy = ('polars', 'duckdb', 'scipy', 'pvlib', 'pyvrp', 'pandas', 'sqlalchemy',\n"
        "         'numpy', 'highspy', 'greenlane.emissions', 'greenlane.store')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy))\n"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "[]"
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.output.startswith("greenlane ")


def test_every_registered_command_loads_with_its_help() -> None:
    """Each lazily registered group or command imports and shows its own help."""
    from greenlane.cli.main import COMMANDS

    for name in COMMANDS:
        shown = runner.invoke(app, [name, "--help"])
        assert shown.exit_code == 0, (name, shown.output)
        assert "Usage" in shown.output, name


def test_config_show_prints_each_setting_and_where_it_came_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A value from the environment is named as such; the others are defaults; a bad one exits 2."""
    monkeypatch.setenv("GREENLANE_LIMIT_TRACKING", "5")
    monkeypatch.delenv("GREENLANE_MAX_UPLOAD_ROWS", raising=False)
    shown = runner.invoke(app, ["config", "show"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    lines = {line.split()[1]: line for line in shown.output.splitlines() if line.count("│") > 3}
    assert "5" in lines["limit_tracking"] and "GREENLANE_LIMIT_TRACKING" in lines["limit_tracking"]
    assert "2000000" in lines["max_upload_rows"] and "default" in lines["max_upload_rows"]
    monkeypatch.setenv("GREENLANE_LIMIT_TRACKING", "many")
    assert runner.invoke(app, ["config", "show"]).exit_code == 2


def test_the_main_jobs_levers_come_from_the_settings_and_the_seed_option(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GREENLANE_CARBON_PRICE reaches the job's levers; ``pipeline run --seed`` overrides one."""
    from greenlane.app.pipeline import Levers
    from greenlane.cli.scenario import _levers

    monkeypatch.setenv("GREENLANE_CARBON_PRICE", "0.25")
    monkeypatch.delenv("GREENLANE_SEED", raising=False)
    assert _levers(None) == Levers(carbon_price=0.25, routing_iterations=250, seed=1)
    assert _levers(9).seed == 9
    assert "--seed" in runner.invoke(app, ["pipeline", "run", "--help"]).output


def test_every_error_code_has_one_exit_status_and_one_http_status() -> None:
    """The CLI's and the API's tables cover the same codes, and each class's code is in them."""
    from greenlane import errors as error_types
    from greenlane.cli.errors import EXIT
    from greenlane.service.common import STATUS

    codes = {
        kind.code
        for kind in vars(error_types).values()
        if isinstance(kind, type) and issubclass(kind, error_types.GreenlaneError)
    }
    assert set(EXIT) == set(STATUS) and codes <= set(EXIT)
    assert len(set(EXIT.values())) == len(EXIT)  # a script can tell every code apart


def test_a_refusal_a_command_lets_through_exits_by_its_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The root group turns any GreenlaneError into its line and exit status, never a traceback."""
    monkeypatch.setenv("GREENLANE_DATABASE_URL", f"sqlite:///{tmp_path / 'g.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["esg", "report", "--organization", "nobody", "--year", "FY2026",
                                 "--out", str(tmp_path / "r.html")])  # fmt: skip
    assert result.exit_code == 2 and "no organization 'nobody'" in result.output
    assert "--organization" in result.output and "--year" not in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_minus_h_is_help_everywhere(name: str) -> None:
    """-h as --help, for the root, every group and command."""
    for args in (["-h"], [name, "-h"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage:" in result.output, (args, result.output)


def test_factors_list_fits_80_columns_and_prints_csv_and_json_exactly() -> None:
    """One line a category at 80 columns; --format csv and json carry the pack's exact values."""
    import csv as csv_module
    import io
    import os

    from greenlane.factors import load_pack

    def listed(*more: str) -> str:
        command = [str(Path(sys.executable).parent / "greenlane"), "factors", "list", *more]
        env = {**os.environ, "COLUMNS": "80"}
        return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout

    lines = listed("--mode", "road").splitlines()
    assert all(len(line) <= 80 for line in lines)
    rows = [line for line in lines if line.startswith("│ road.")]
    assert len(rows) == 69 and len(lines) <= 69 + 6
    parsed = list(csv_module.DictReader(io.StringIO(listed("--mode", "road", "--format", "csv"))))
    tocs = {r["toc_id"]: r for r in load_pack().tocs.iter_rows(named=True)}
    first = parsed[0]
    assert float(first["WTW"]) == tocs[first["id"]]["wtw_kg"] and "Table" in first["source"]
    as_json = json.loads(listed("--mode", "road", "--format", "json"))
    assert [r["id"] for r in as_json] == [r["id"] for r in parsed]


@pytest.mark.parametrize("master", ["x" * 10_000, "local\x00[2]", "local\x01"])
def test_a_bad_spark_master_is_refused_before_anything_runs(tmp_path: Path, master: str) -> None:
    """10,000 characters or a control character: exit 2 naming --spark-master, no store made."""
    store = tmp_path / "s.db"
    env = {"GREENLANE_DATABASE_URL": f"sqlite:///{store}"}
    result = runner.invoke(
        app, ["pipeline", "run", str(tmp_path), "--engine", "spark", "--spark-master", master],
        env=env,
    )  # fmt: skip
    assert result.exit_code == 2 and "--spark-master" in result.output
    assert not store.exists()
