"""The ESG ledger: targets and, as they land, the five pillars' KPIs and disclosures."""
