"""Renderings of greenlane's reports (HTML via Jinja2, JSON)."""
