"""The web dashboard: server-rendered pages (Jinja2) with Plotly.js from the installed package."""
