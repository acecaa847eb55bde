"""Order merging, cross-border consolidation, e-waybills and tracking (pure engines)."""
