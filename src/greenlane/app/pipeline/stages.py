"""The stages of the main job: each named, timed and logged; a failure names stage and input."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from time import perf_counter

from greenlane.errors import InputError

logger = logging.getLogger(__name__)
Progress = Callable[[str], None]
DAY_STAGES = (
    "choosing cartons",  # batches set going; stored once the orders are read
    "reading orders",
    "merging and consolidating",  # lanes set going; collected once the cartons are stored
    "routing the last mile",  # zones set going; collected after the chains' emissions
    "issuing e-waybills",
    "scheduling park energy",
    "capturing container events",
    "calculating emissions",  # the chains'; the routes' after their deliveries are tracked
    "tracking parcels",  # all but the routed deliveries; those once the zones are collected
    "updating the ledger",
)  # in the order each first runs: cartons, routing and emissions come back later


class StageError(RuntimeError):
    """A stage of the job failed: which, on which input, and why."""

    def __init__(self, stage: str, source: str, cause: str) -> None:
        super().__init__(f"stage {stage!r} failed on {source}: {cause}")
        self.stage, self.source = stage, source


def quiet(_: str) -> None:
    """No progress to show."""


@contextmanager
def stage(name: str, source: str | Path, progress: Progress) -> Iterator[None]:
    """Run a stage; any failure becomes a StageError naming the stage and its input."""
    progress(name)
    started = perf_counter()
    try:
        yield
        seconds = round(perf_counter() - started, 3)
        logger.info("stage done", extra={"stage": name, "source": str(source), "seconds": seconds})
    except StageError:
        raise
    except InputError as e:
        raise StageError(name, str(source), "; ".join(map(str, e.problems[:5]))) from e
    except Exception as e:  # any failure of a stage is reported with where it happened
        raise StageError(name, str(source), f"{type(e).__name__}: {e}") from e
