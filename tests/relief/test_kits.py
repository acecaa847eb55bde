"""Kit verification finds every seeded error; the exact bounds match published values."""

from __future__ import annotations

import random

import pytest

from greenlane.relief.kits import Read, error_rate, kits_to_demonstrate, verify

BOM = {"family": {"blanket": 2, "soap": 4, "towel": 2}, "hygiene": {"soap": 2, "toothbrush": 4}}


def test_every_seeded_error_is_found_and_only_those() -> None:
    """1,000 kits, 38 with a missing, extra or wrong item: exactly those 38 fail, each as seeded."""
    rng = random.Random(5)
    reads, seeded = [], {}
    for n in range(1000):
        kit_type = rng.choice(sorted(BOM))
        items = [i for i, q in BOM[kit_type].items() for _ in range(q)]
        kit = f"K{n:04d}"
        if n % 27 == 0:
            fault = rng.choice(["missing", "extra", "wrong"])
            seeded[kit] = fault
            if fault == "missing":
                items.pop(rng.randrange(len(items)))
            elif fault == "extra":
                items.append(rng.choice(sorted(BOM[kit_type])))
            else:
                items[0] = "spoon"
        for t, item in enumerate(items):
            reads += [Read(kit, kit_type, f"urn:epc:id:sgtin:0614141.{n}.{t}", item)] * rng.randint(
                1, 3
            )
    checks = {c.kit_id: c for c in verify(reads, BOM)}
    failed = {k for k, c in checks.items() if not c.passed}
    assert failed == set(seeded) and len(failed) == 38
    for kit, fault in seeded.items():
        assert getattr(checks[kit], fault)  # the kind of error seeded is the one found


def test_a_kit_of_unknown_type_fails() -> None:
    """A kit type without a bill of materials cannot pass."""
    (check,) = verify([Read("K1", "mystery", "e1", "soap")], BOM)
    assert check.unknown_type and not check.passed


@pytest.mark.parametrize(
    ("failed", "checked", "lower", "upper"),
    [(0, 10, 0.0, 0.30850), (1, 10, 0.00253, 0.44502), (5, 100, 0.01643, 0.11284)],
)
def test_clopper_pearson_matches_published_values(
    failed: int, checked: int, lower: float, upper: float
) -> None:
    """Exact 95% intervals as tabulated (e.g. 0/10: 0-30.85%; 1/10: 0.25-44.50%)."""
    rate = error_rate(failed, checked)
    assert rate.lower == pytest.approx(lower, abs=5e-5) and rate.upper == pytest.approx(
        upper, abs=5e-5
    )


def test_claiming_three_in_ten_thousand_takes_9985_clean_kits() -> None:
    """ln(0.05) / ln(1 - 0.0003) = 9984.0...: 9,985 error-free kits, and 9,984 are not enough."""
    assert kits_to_demonstrate(0.0003) == 9985
    assert error_rate(0, 9985).supports(0.0003) and not error_rate(0, 9984).supports(0.0003)
    assert not error_rate(1, 9985).supports(0.0003)
