"""The row reader types a small upload exactly as the frame reader does, or declines.

Hypothesis writes CSV and JSON bodies from cells that are valid, oddly spelled or wrong; for
every body the row reader answers, the frame reader must give the same rows and no problem.
The quote then gives the same results on both paths.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenlane.emissions import calculate_rows, run
from greenlane.emissions.schema import TCE_COLUMNS
from greenlane.io.rows import typed_rows
from greenlane.io.tables import parse_tces

ROAD = "road.eu.artic_le40t.diesel.average"
CELLS = {  # per column: plain values, odd spellings, and wrong ones
    "shipment_id": ["S1", " S2 ", "", "x" * 201, "a\x00b", "S,3"],
    "tce_id": ["t1", "t2", "t3", " t4", "", "t1"],
    "kind": ["transport", "hub", "", "boat", "x" * 17],
    "mass_kg": ["1000", "0.5", "1e3", " 12 ", "+7", ".5", "5.", "inf", "NaN", "1_000", "-1",
                "1e16", "abc", "", "0x10", "1,5"],
    "toc_id": [ROAD, "", "unknown.toc"],
    "distance_km": ["100", "250.5", "", "-5", "1e309", "12e-3", " 3 "],
    "sequence": ["1", "2", "-3", "1.0", "2147483648", "", "x"],
    "departure_at": ["2026-03-01", "2026-03-01T10:00:00Z", "2026-02-30", "2026-13-01",
                     "2026-03-01T25:00:00", "", "yesterday"],
    "origin": ["HGH", "LGG", "", "x" * 65],
}  # fmt: skip
NAMES = list(CELLS)


@st.composite
def bodies(draw: st.DrawFn) -> tuple[bytes, str]:
    """A small CSV or JSON body of TCE-like rows."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=len(NAMES), unique=True))
    rows = draw(st.lists(st.fixed_dictionaries({n: st.sampled_from(CELLS[n]) for n in names}),
                         min_size=1, max_size=4))  # fmt: skip
    if draw(st.booleans()):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode(), ".csv"
    as_json = [{k: _json_value(v) for k, v in r.items()} for r in rows]
    return json.dumps(as_json).encode(), ".json"


def _json_value(text: str) -> Any:
    """A cell as a JSON client might send it: numbers as numbers where they are plain."""
    try:
        return int(text) if text.strip().lstrip("+-").isdigit() else float(text)
    except ValueError:
        return text or None


@settings(max_examples=400, deadline=None)
@given(bodies())
def test_the_row_reader_agrees_with_the_frame_reader_or_declines(body: tuple[bytes, str]) -> None:
    """Whatever the row reader types, the frame reader types the same, finding no problem."""
    data, suffix = body
    typed = typed_rows(data, suffix, TCE_COLUMNS)
    if typed is None:
        return
    frame, problems = parse_tces(data, suffix, "upload", TCE_COLUMNS)
    assert problems == []
    assert typed == frame.to_dicts()


def test_plain_rows_take_the_row_path_and_odd_ones_do_not() -> None:
    """A plain quote is typed here; an unusual spelling or a bad value goes to the frame."""
    plain = f"shipment_id,tce_id,kind,mass_kg,toc_id,distance_km\nS,t1,transport,1000,{ROAD},100\n"
    assert typed_rows(plain.encode(), ".csv", TCE_COLUMNS) == [
        {"shipment_id": "S", "tce_id": "t1", "kind": "transport", "mass_kg": 1000.0,
         "toc_id": ROAD, "distance_km": 100.0}
    ]  # fmt: skip
    for odd in ("inf", "1_000", "-", "1e16"):
        body = plain.replace("1000", odd).encode()
        assert typed_rows(body, ".csv", TCE_COLUMNS) is None, odd


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_a_quote_gives_the_same_results_on_both_paths(suffix: str) -> None:
    """calculate_rows on the typed rows equals the kernel on the frame, row for row."""
    rows = [
        {"shipment_id": "S", "tce_id": f"t{n}", "kind": "transport", "mass_kg": 500.0 + n,
         "toc_id": ROAD, "distance_km": 10.0 * n, "departure_at": "2026-03-01"}
        for n in range(1, 6)
    ] + [{"shipment_id": "S", "tce_id": "h1", "kind": "hub", "mass_kg": 800.0,
          "hoc_id": "hub.transshipment.ambient"}]  # fmt: skip
    if suffix == ".json":
        data = json.dumps(rows).encode()
    else:
        out = io.StringIO()
        names = list(dict.fromkeys(k for r in rows for k in r))
        writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        data = out.getvalue().encode()
    typed = typed_rows(data, suffix, TCE_COLUMNS)
    assert typed is not None
    fast = calculate_rows(typed)
    frame, problems = parse_tces(data, suffix, "q", TCE_COLUMNS)
    kernel = run(frame, input_problems=problems, row_path=False).results.to_dicts()
    assert fast is not None and len(fast) == len(kernel)
    for mine, theirs in zip(fast, kernel, strict=True):
        assert set(mine) == set(theirs)
        for key, value in theirs.items():
            if isinstance(value, float):
                assert mine[key] == pytest.approx(value, rel=1e-9), key
            else:
                assert str(mine[key]) == str(value), key
