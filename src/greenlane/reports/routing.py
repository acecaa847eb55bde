"""Routing comparisons as a self-contained HTML page: CO2e and cost per variant, and the table.

Plotly.js is inlined from the installed plotly package, so the page opens without a network.
"""

from __future__ import annotations

from collections.abc import Sequence

from greenlane.reports.safe import report_environment
from greenlane.routing.compare import Outcome

_ENV = report_environment()


def outcomes_chart(outcomes: Sequence[Outcome], what: str, title: str) -> str:
    """The page: bars of kg CO2e and cost per variant, vehicles as a line, then the table."""
    names = [o.name for o in outcomes]
    co2e = {"type": "bar", "x": names, "y": [o.co2e_wtw_kg for o in outcomes]}
    cost = {"type": "bar", "x": names, "y": [o.cost for o in outcomes], "yaxis": "y2"}
    vehicles = {"type": "scatter", "x": names, "y": [o.vehicles for o in outcomes]}
    figure = {
        "data": [
            co2e | {"name": "kg CO2e WTW", "offsetgroup": 1},
            cost | {"name": "cost", "offsetgroup": 2},
            vehicles | {"name": "vehicles", "yaxis": "y3", "mode": "lines+markers"},
        ],
        "layout": {
            "barmode": "group",
            "xaxis": {"type": "category", "title": {"text": what}},
            "yaxis": {"title": {"text": "kg CO2e WTW"}, "rangemode": "tozero"},
            "yaxis2": {
                "overlaying": "y",
                "side": "right",
                "title": {"text": "cost"},
                "rangemode": "tozero",
                "showgrid": False,
            },
            "yaxis3": {"overlaying": "y", "visible": False, "rangemode": "tozero"},
            "legend": {"orientation": "h"},
            "margin": {"t": 30, "r": 60},
        },
    }
    header = ("", "vehicles", "km", "cost", "kg CO2e WTW", "g CO2e per stop", "served", "unserved")
    rows = [
        (o.name, o.vehicles, f"{o.km:,.1f}", f"{o.cost:,.2f}", f"{o.co2e_wtw_kg:,.2f}",
         f"{o.co2e_per_stop_g:,.1f}", o.served, o.unserved)
        for o in outcomes
    ]  # fmt: skip
    return _ENV.get_template("routing.html").render(
        title=title,
        figure=figure,
        header=header,
        rows=rows,
    )
