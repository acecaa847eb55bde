"""Transport targets: the straight path, the gap each year, the yearly metric, checked by hand."""

from __future__ import annotations

import pytest

from greenlane.esg.targets import EsgTarget, gaps, transport_target, yearly_actuals


def _halve_by_2030() -> EsgTarget:
    return transport_target("t", "co2e_wtw_t", 2025, 100.0, 2030, 50.0)


def test_the_path_runs_straight_from_base_to_target_and_holds_outside() -> None:
    """10 t a year off 100 t from 2025 to 2030: 2027 allows 80 t; before and after, the ends."""
    target = _halve_by_2030()
    assert target.allowed(2027) == pytest.approx(80.0)
    assert target.allowed(2020) == 100.0 and target.allowed(2035) == 50.0
    assert target.reduction_pct == pytest.approx(50.0)


def test_the_gap_is_measured_minus_allowed() -> None:
    """85 t in 2027 is 5 t above the 80 t path (behind); 75 t is 5 t below (on track)."""
    behind, ahead = gaps(_halve_by_2030(), {2027: 85.0, 2028: 65.0})
    assert (behind.year, behind.gap, behind.on_track) == (2027, pytest.approx(5.0), False)
    assert (ahead.year, ahead.allowed, ahead.gap, ahead.on_track) == (
        2028,
        pytest.approx(70.0),
        pytest.approx(-5.0),
        True,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"metric": "trees"}, "metric must be one of"),
        ({"target_year": 2025}, "after base_year"),
        ({"base_value": 0.0}, "base_value must be > 0"),
        ({"target_value": 120.0}, "a target is a reduction"),
    ],
)
def test_a_target_that_cannot_be_tracked_is_refused(
    change: dict[str, object], message: str
) -> None:
    """Unknown metric, target year not after base, no base, or no reduction: ValueError."""
    fields = {
        "target_id": "t",
        "metric": "co2e_wtw_t",
        "base_year": 2025,
        "base_value": 100.0,
        "target_year": 2030,
        "target_value": 50.0,
    } | change
    with pytest.raises(ValueError, match=message):
        transport_target(**fields)  # type: ignore[arg-type]


def test_yearly_intensity_is_the_ratio_of_the_years_sums() -> None:
    """Intensity of a year is its WTW over its tkm, not the mean of monthly intensities."""
    months = [
        {"key": "2026-01", "co2e_wtw_kg": 10.0, "transport_activity_tkm": 100.0},
        {"key": "2026-02", "co2e_wtw_kg": 30.0, "transport_activity_tkm": 900.0},
        {"key": "2027-01", "co2e_wtw_kg": 5.0, "transport_activity_tkm": 0.0},
    ]
    # (10 + 30) kg / 1000 tkm = 40 g/tkm; the mean of 100 and 33.3 would be 66.7
    assert yearly_actuals("intensity_wtw_g_per_tkm", months) == {2026: pytest.approx(40.0)}
    assert yearly_actuals("co2e_wtw_t", months) == {
        2026: pytest.approx(0.04),
        2027: pytest.approx(0.005),
    }


def test_a_transport_target_is_an_esg_target_on_its_kpi() -> None:
    """One model: the metric names the KPI and kind; the KPI gives the metric back."""
    absolute = _halve_by_2030()
    assert (absolute.kpi_id, absolute.kind, absolute.metric) == ("scope3_cat4_t", "absolute",
                                                                "co2e_wtw_t")  # fmt: skip
    intensity = transport_target("i", "intensity_wtw_g_per_tkm", 2025, 80.0, 2030, 60.0)
    assert (intensity.kpi_id, intensity.kind) == ("transport_intensity", "intensity")
    assert EsgTarget("w", "women_share", "absolute", "", 2025, 50.0, 2030, 40.0).metric is None
