"""Structured logs: one JSON line per record, with the record's fields."""

from __future__ import annotations

import json
import logging

import pytest

from greenlane.logs import JsonLines, configure


def test_a_record_becomes_one_json_line_with_its_fields() -> None:
    """Time, level, logger, message and the extras, as JSON; an exception as text."""
    record = logging.makeLogRecord(
        {"name": "greenlane.x", "levelname": "INFO", "msg": "batch %s", "args": ("b1",),
         "organization": "acme", "stored": 3}
    )  # fmt: skip
    line = json.loads(JsonLines().format(record))
    assert line["message"] == "batch b1" and line["logger"] == "greenlane.x"
    assert line["organization"] == "acme" and line["stored"] == 3 and line["level"] == "INFO"


def test_configure_replaces_its_own_handler_only(capsys: pytest.CaptureFixture[str]) -> None:
    """Called twice, one greenlane handler remains; JSON lines reach standard error."""
    logger = logging.getLogger("greenlane")
    before = [h for h in logger.handlers if not getattr(h, "greenlane", False)]
    configure("INFO", json_lines=True)
    configure("INFO", json_lines=True)
    ours = [h for h in logger.handlers if getattr(h, "greenlane", False)]
    assert len(ours) == 1 and [h for h in logger.handlers if h not in ours] == before
    logging.getLogger("greenlane.test").info("hello", extra={"n": 1})
    assert json.loads(capsys.readouterr().err.splitlines()[-1])["n"] == 1
    for handler in ours:
        logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)
