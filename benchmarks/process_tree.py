"""A child process run to its end, with the peak memory and CPU seconds of its whole tree.

Workers, Spark's JVM and its Python workers come and go: the tree is sampled every 0.2 s,
memory summed over the processes alive, CPU kept per process at its last reading.
"""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import dataclass

import psutil


@dataclass(frozen=True, slots=True)
class Watched:
    """What the child printed, how it ended, and what its tree used."""

    output: str
    returncode: int
    peak_bytes: int
    cpu_s: float


def run_watched(command: list[str], env: dict[str, str] | None = None) -> Watched:
    """Run ``command`` with its standard output captured; its tree's peak memory and CPU."""
    child = subprocess.Popen(command, stdout=subprocess.PIPE, env=env)
    peak, cpu, done = 0, {}, threading.Event()

    def watch() -> None:
        nonlocal peak
        root = psutil.Process(child.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
                for p in tree:
                    times = p.cpu_times()
                    cpu[p.pid] = times.user + times.system
            except psutil.Error:
                pass
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    output, _ = child.communicate()
    done.set()
    watcher.join()
    return Watched(output.decode(), child.returncode, peak, sum(cpu.values()))
