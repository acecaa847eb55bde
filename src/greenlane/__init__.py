"""greenlane: low-carbon, resilient logistics."""
