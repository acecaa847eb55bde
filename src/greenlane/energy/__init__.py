"""Green logistics parks: PV, storage, EV charging and telemetry (issue 8)."""
