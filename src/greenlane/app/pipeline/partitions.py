"""Where a stage's partitions run: in this process, in a local process pool, or on Spark.

A stage splits its input into named partitions and hands a pure function of one partition
to a :class:`Runner`. The results come back in partition order, whichever runner ran them and
however many workers it had, so a seed gives the same plans and figures on all three. A
partition that fails comes back as data (an exception does not always cross a process or a
Spark task intact) and the runner raises :class:`PartitionError` naming it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
    wait,
)
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal, TypeVar

from greenlane.app.pipeline.collector import fewer_collections

In = TypeVar("In")
Out = TypeVar("Out")
Tick = Callable[[str, int, int], None]  # (partition name, partitions done, partitions in all)
EngineName = Literal["local", "spark"]
SPARK_JOBS = 32  # partitions a Spark runner has in flight at once (driver threads)


class PartitionError(RuntimeError):
    """A partition of a stage failed: which one, and why."""

    def __init__(self, partition: str, cause: str) -> None:
        super().__init__(f"partition {partition!r} failed: {cause}")
        self.partition = partition


@dataclass(frozen=True, slots=True)
class Failed:
    """A partition's failure carried back to the driver as data."""

    cause: str


def _guarded(fn: Callable[[In], Out], part: In) -> Out | Failed:
    """``fn(part)``, or the failure it raised as a :class:`Failed` (in a worker or not)."""
    try:
        with fewer_collections():
            return fn(part)
    except Exception as e:  # every failure is named with its partition by the runner
        return Failed(f"{type(e).__name__}: {e}")


def _checked(name: str, result: Out | Failed) -> Out:
    if isinstance(result, Failed):
        raise PartitionError(name, result.cause)
    return result


def _silent(name: str, done: int, total: int) -> None:
    """No progress to show."""


class Runner:
    """Runs a pure function over named partitions in this process, one after the other."""

    def map(
        self,
        fn: Callable[[In], Out],
        parts: Sequence[tuple[str, In]],
        tick: Tick = _silent,
    ) -> list[Out]:
        """``fn`` of every partition, in the partitions' order; ticked as each ends."""
        return list(self.iterate(fn, parts, tick))

    def iterate(
        self,
        fn: Callable[[In], Out],
        parts: Sequence[tuple[str, In]],
        tick: Tick = _silent,
    ) -> Iterator[Out]:
        """``fn`` of every partition, each given as soon as it and those before it have ended.

        In the partitions' order, like :meth:`map`, without holding every result at once: a
        stage can store each partition's result and let it go while later ones still run.
        The partitions are set running when this is called (on a pool or Spark), so the
        driver may do other work before it reads them; in process, each runs when read.
        """
        return self._given(self._launch(fn, [p for _, p in parts]), parts, tick)

    @staticmethod
    def _given(
        ending: Iterator[tuple[int, Any]], parts: Sequence[tuple[str, Any]], tick: Tick
    ) -> Iterator[Any]:
        ended: dict[int, Any] = {}
        following = 0
        for n, result in ending:  # not enumerate: its reused tuple would keep a result alive
            ended[n] = _checked(parts[n][0], result)
            del result  # only ``ended`` holds it, until it is given
            tick(parts[n][0], following + len(ended), len(parts))  # given + waiting
            while following in ended:
                yield ended.pop(following)
                following += 1

    def _launch(self, fn: Callable[[In], Out], parts: list[In]) -> Iterator[tuple[int, Any]]:
        """Each partition's number and result (or failure), in the order they end.

        In process: each partition runs when the next result is asked for.
        """
        return ((n, _guarded(fn, part)) for n, part in enumerate(parts))

    def close(self) -> None:
        """Release the workers (nothing to release in process)."""

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class PoolRunner(Runner):
    """Partitions on a pool of local worker processes (started once, kept until closed).

    Workers are spawned, not forked: a fork would copy Polars' and PyVRP's threads mid-flight.
    """

    def __init__(self, workers: int) -> None:
        if workers < 2:
            raise ValueError(f"a pool needs at least 2 workers, got {workers}")
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _launch(self, fn: Callable[[In], Out], parts: list[In]) -> Iterator[tuple[int, Any]]:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
        futures = {self._pool.submit(_guarded, fn, part): n for n, part in enumerate(parts)}
        return self._ended(futures)

    @staticmethod
    def _ended(futures: dict[Future[Any], int]) -> Iterator[tuple[int, Any]]:
        pending = set(futures)
        while pending:  # not as_completed: it would hold every future, and so every result
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            ready = [(futures.pop(future), future.result()) for future in done]
            del done
            while ready:  # handed over, not kept: a stage may let each result go
                yield ready.pop()

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class SparkRunner(Runner):
    """Partitions as Spark tasks (one task a partition, Python workers).

    Each partition is a Spark job of its own, all submitted at once from driver threads
    (Spark runs concurrent jobs side by side), so a partition's result, and its progress
    tick, comes back as soon as it ends rather than when the last one does. The workers need
    greenlane installed (on ``local[N]`` they use this environment's interpreter).
    """

    def __init__(self, master: str) -> None:
        self.master = master
        self._spark: Any = None
        self._jobs: ThreadPoolExecutor | None = None  # the driver threads submitting jobs

    def _session(self) -> Any:
        if self._spark is None:
            from greenlane.app.scaleout import session

            self._spark = session(self.master, app="greenlane pipeline")
        return self._spark

    def _launch(self, fn: Callable[[In], Out], parts: list[In]) -> Iterator[tuple[int, Any]]:
        if not parts:
            return iter(())
        context = self._session().sparkContext
        numbered = list(enumerate(parts))  # one element a slice: partition n holds part n
        rdd = context.parallelize(numbered, len(numbered)).map(
            lambda item: (item[0], _guarded(fn, item[1]))
        )
        if self._jobs is None:
            self._jobs = ThreadPoolExecutor(SPARK_JOBS)
        submit = partial(self._jobs.submit, context.runJob, rdd, lambda rows: rows)
        return self._ended([submit([n]) for n in range(len(parts))])

    @staticmethod
    def _ended(pending: list[Future[Any]]) -> Iterator[tuple[int, Any]]:
        for job in as_completed(pending):
            (result,) = job.result()
            yield result

    def close(self) -> None:
        """Stop submitting jobs (those of a stage that failed before reading them all)."""
        if self._jobs is not None:
            self._jobs.shutdown(cancel_futures=True)
            self._jobs = None


def runner_of(engine: EngineName = "local", workers: int = 1, master: str = "local[2]") -> Runner:
    """The runner a setting names: ``local`` with 1 worker (in process) or more (a pool), or Spark.

    Parameters
    ----------
    engine
        ``local`` (this machine) or ``spark``.
    workers
        Local worker processes (1: in this process); ignored on Spark, whose master decides.
    master
        The Spark master URL (``local[2]``, ``spark://host:7077``; empty: spark-submit's).

    Returns
    -------
    Runner
        A runner to use as a context manager (it stops its workers on exit).

    """
    if engine == "spark":
        return SparkRunner(master)
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if workers > (os.cpu_count() or 1) * 4:
        raise ValueError(f"{workers} workers for {os.cpu_count()} cores: at most 4 a core")
    return PoolRunner(workers) if workers > 1 else Runner()
