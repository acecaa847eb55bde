"""Emergency logistics: relief stock, dispatch under a deadline, kit verification (issue 10)."""
