"""The README walk-through: every command of its shell blocks runs as written, in order.

As a reader would: after a demo (the export line it prints), from a copy of docs/examples, in
one shell, so that what one block sets (the store, $KEY, a server in the background) holds for
the next. A command that fails stops the walk with its output, so the README cannot drift.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIPPED = {  # lines not run, and why
    "make demo": "the walk starts from a demo of its own (greenlane demo --no-serve)",
    "make test": "this is the test suite",
    'pip install "greenlane[spark]"': "the test environment is installed with the extra",
}
MADE = (  # files the walk's commands write, one per block at least
    "results.parquet", "report.html", "results.csv", "plan.json", "parcel-plan.json",
    "labels.pdf", "route-plan.json", "mixes.html", "last-mile.html", "relief-plan.json",
    "placement.json", "kit-checks.json", "report.pdf", "park-hocs.csv", "containers.json",
)  # fmt: skip


def shell_lines(readme: str) -> list[str]:
    """The commands of the README's ``bash`` blocks (continuations joined), in order."""
    lines: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", readme, flags=re.DOTALL):
        lines.extend(block.replace("\\\n", " ").strip().splitlines())
    return lines


@pytest.mark.browser  # the walk prints a PDF report with Chromium
def test_every_readme_command_runs_as_written(tmp_path: Path) -> None:
    """A demo, then each command of the README from docs/examples: all succeed, files made."""
    bin_dir = Path(sys.executable).parent
    env = os.environ | {"PATH": f"{bin_dir}:{os.environ['PATH']}", "COLUMNS": "200"}
    env.pop("GREENLANE_DATABASE_URL", None)
    demo = subprocess.run(
        ["greenlane", "demo", "--days", "1", "--orders-per-day", "100", "--no-serve"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    export = next(line for line in demo.stdout.splitlines() if "export " in line)
    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "examples")
    commands = [line for line in shell_lines((ROOT / "README.md").read_text())
                if line.split("#")[0].strip() not in SKIPPED]  # fmt: skip
    script = "\n".join([
        "set -euo pipefail", "set -x",
        "trap 'kill $(jobs -p) 2> /dev/null || true' EXIT",  # a failed walk leaves no server behind
        export[export.index("export "):], "cd examples", *commands,
    ])  # fmt: skip
    walk = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1500
    )
    assert walk.returncode == 0, walk.stderr[-4000:]
    made = [name for name in MADE if not (tmp_path / "examples" / name).is_file()]
    assert made == [], made
    assert len(commands) >= 40  # every block was read
