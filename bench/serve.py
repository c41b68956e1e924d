"""``python -m bench.serve [run args]``: ``sipas-bot run`` in this process, profiled with
cProfile when ``SIPAS_BENCH_PROFILE`` names a file (written when the process stops on
SIGTERM). The bench starts the product this way so that the product's CPU time and memory
are its own, apart from the load generator and the fake platforms."""

from __future__ import annotations

import os
import sys

from bench.profiling import Profiler
from bot.cli import main

if __name__ == "__main__":
    with Profiler(os.environ.get("SIPAS_BENCH_PROFILE")):
        code = main(["run", *sys.argv[1:]])
    sys.exit(code)
