"""Green routing for mixed fleets (issue 7)."""
