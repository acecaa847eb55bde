"""Logging: one logger per package under ``greenlane``; text or JSON lines, chosen by a face.

The library only logs (``logging.getLogger(__name__)``), never configures; a face (the CLI, the
service) calls :func:`configure` once with the settings' level and format. Fields passed in
``extra`` (an organization, a batch id, counts, seconds) become keys of the JSON line.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

ROOT = "greenlane"
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonLines(logging.Formatter):
    """A record as one JSON object: time, level, logger, message, and the record's extras."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line."""
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line |= {k: v for k, v in vars(record).items() if k not in _STANDARD}
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure(level: str, json_lines: bool = False) -> None:
    """Send the ``greenlane`` loggers to standard error at ``level``, as text or JSON lines.

    Calling it again replaces the handler it installed, so faces may call it freely.
    """
    logger = logging.getLogger(ROOT)
    logger.setLevel(level)
    for handler in [h for h in logger.handlers if getattr(h, "greenlane", False)]:
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.greenlane = True  # type: ignore[attr-defined]
    text = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler.setFormatter(JsonLines() if json_lines else text)
    logger.addHandler(handler)
