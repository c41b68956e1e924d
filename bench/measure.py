"""Small measuring tools the benches share: percentiles, a process's CPU time and RSS read
from /proc (the process under test is another process: its numbers, not the bench's)."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

TICKS = os.sysconf("SC_CLK_TCK")


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``; 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def process_cpu(pid: int) -> float:
    """User + system CPU seconds used so far by process ``pid`` (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def process_rss(pid: int) -> int:
    """Resident set size of ``pid`` in bytes."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class CpuWindow:
    """CPU seconds a process spends and wall seconds passing between ``start`` and ``stop``."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.cpu = self.wall = 0.0
        self._cpu0 = self._wall0 = 0.0

    def start(self) -> None:
        self._cpu0, self._wall0 = process_cpu(self.pid), time.perf_counter()

    def stop(self) -> None:
        self.cpu = process_cpu(self.pid) - self._cpu0
        self.wall = time.perf_counter() - self._wall0
