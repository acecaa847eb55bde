"""JSON documents checked against a pydantic model, every bad field named as a problem.

The planners' documents (a relief network and event, a park) are nested JSON; a problem
gives the list entry as its row and the path within it as its column.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from greenlane.errors import InputError, Problem


def read_document(path: Path, model: type[BaseModel]) -> Any:
    """A JSON file checked against ``model``; InputError names every bad field.

    Parameters
    ----------
    path
        The JSON file.
    model
        The document's schema.

    Returns
    -------
    Any
        The checked document (an instance of ``model``).

    Raises
    ------
    InputError
        Naming every bad field.

    """
    try:
        raw = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise InputError([Problem(path.name, None, "file", f"not readable JSON: {e}")]) from e
    return check(raw, model, path.name)


def check(raw: object, model: type[BaseModel], name: str) -> Any:
    """``raw`` validated as ``model``; problems give the list entry as the row.

    Parameters
    ----------
    raw
        Decoded JSON.
    model
        The document's schema.
    name
        The file's name, used in problems.

    Returns
    -------
    Any
        The checked document (an instance of ``model``).

    Raises
    ------
    InputError
        Naming every bad field.

    """
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        raise InputError([_problem(name, err) for err in e.errors()]) from e


def _problem(name: str, error: Any) -> Problem:
    location = [str(part) for part in error["loc"]]
    row = None
    if len(location) >= 2 and location[1].isdigit():
        row = int(location[1]) + 1
        location = [location[0], *location[2:]]
    return Problem(name, row, ".".join(location), error["msg"])
