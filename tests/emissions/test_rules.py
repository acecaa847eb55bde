"""The kernel's one "any problem" test against the rules that explain each problem.

``invalid()`` tests cheaper screens and skips covered rules; on any rows, with any subset of
the optional columns, it must flag exactly the rows on which some rule fires (else a row
would be dropped unexplained, or an explained problem let through).
"""

from __future__ import annotations

from typing import Any

import narwhals as nw
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from greenlane.emissions import ROW
from greenlane.emissions.categories import build_categories
from greenlane.emissions.kernel import invalid, prepare, rule_flags, rules
from greenlane.factors import load_pack

from .test_row_path import SCHEMA, USER_HOCS, USER_TOCS, tce

OPTIONAL = [c for c in SCHEMA if c not in ("shipment_id", "tce_id", "kind", "mass_kg")]
blank_ids = st.fixed_dictionaries(
    {"toc_id": st.sampled_from(["", " ", "hub.warehouse.ambient"]) | st.none()}
)  # blank ids, and a HOC named as a TOC
CATEGORIES = {
    False: build_categories(load_pack()),
    True: build_categories(load_pack(), USER_TOCS, USER_HOCS),
}


def _flags(frame: pl.DataFrame, user: bool) -> tuple[list[bool], list[bool]]:
    """Per row: invalid()'s verdict, and whether any rule fires."""
    all_rules, columns = rules(), frame.columns
    prepared = prepare(nw.from_native(frame.with_row_index(ROW)).lazy(), CATEGORIES[user])
    flagged = rule_flags(prepared, all_rules).with_columns(
        invalid(all_rules, columns).alias("screened")
    )
    out = flagged.collect().to_polars().sort(ROW)
    fired = out.select(pl.any_horizontal(pl.col(r"^__rule_\d+$")))
    return out["screened"].to_list(), fired.to_series().to_list()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(tce, min_size=1, max_size=8),
    st.lists(blank_ids, max_size=3),
    st.sets(st.sampled_from(OPTIONAL)),
    st.booleans(),
)
def test_invalid_flags_exactly_the_rows_a_rule_explains(
    rows: list[dict[str, Any]], odd: list[dict[str, Any]], dropped: set[str], user: bool
) -> None:
    """Same rows flagged, whatever optional columns are missing and whichever ids are blank."""
    rows = rows + [{**rows[0], **o} for o in odd]
    frame = pl.DataFrame(
        [{**r, "tce_id": f"t{i}"} for i, r in enumerate(rows)], schema=SCHEMA
    ).drop(*dropped)
    screened, fired = _flags(frame, user)
    assert screened == fired


def test_a_blank_toc_id_is_flagged_and_explained() -> None:
    """The covered rule still explains the row its neighbour's screen flags."""
    frame = pl.DataFrame(
        {
            "shipment_id": ["S1", "S1"],
            "tce_id": ["a", "b"],
            "kind": ["transport", "transport"],
            "mass_kg": [1.0, 1.0],
            "toc_id": ["", "road.eu.van_lt3p5t.electric"],
            "distance_km": [5.0, 5.0],
        }
    )
    assert _flags(frame, False) == ([True, False], [True, False])
