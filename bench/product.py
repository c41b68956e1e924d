"""The product under test: ``sipas-bot run`` in a child process on 127.0.0.1, configured by
``SIPAS__…`` environment overrides of the repository's settings.toml, and the database
preparation the benches share (a migrated database, a unit, survey links)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from bench.measure import process_rss

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-secret-key-bench-secret-key"  # staff sessions and web-chat cookies


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def product_env(db_url: str, port: int, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SIPAS__")}
    env.update(
        {
            "SIPAS__DATABASE__URL": db_url,
            "SIPAS__WEB__PORT": str(port),
            "SIPAS__WEB__PUBLIC_URL": f"http://127.0.0.1:{port}",
            "SIPAS__WEB__SECRET_KEY": SECRET_KEY,  # so that no key file is written
            # The load answers flat out: without this every response would be flagged
            # too_fast and left out of the counters the durability bench audits.
            "SIPAS__INTEGRITY__MIN_SECONDS_PER_ANSWER": "0",
            **overrides,
        }
    )
    return env


class Child:
    """A child Python process (``python -m module args``) with its output in a log file."""

    def __init__(self, module: str, *args: str, env: dict[str, str] | None = None) -> None:
        self.command = [sys.executable, "-m", module, *args]
        self.env = env or dict(os.environ)
        self.process: subprocess.Popen[bytes] | None = None
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"sipas-bench-{module}-{id(self)}.log"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def spawn(self) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def check_alive(self) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.command[2]} stopped; see {self.log}")

    def rss(self) -> int:
        return process_rss(self.pid)

    def profile(self, on: bool) -> None:
        """Switch a profiled child's profiler on or off (it writes its file when off)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGUSR1 if on else signal.SIGUSR2)

    async def stop(self) -> None:
        """SIGTERM (a profile, if asked for, is written then), then wait."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        await asyncio.to_thread(self._wait)

    def _wait(self) -> None:
        assert self.process is not None
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self) -> None:
        """kill -9: no clean-up of any kind."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()


class Product(Child):
    """One ``sipas-bot run`` process; ``start`` returns once /healthz answers."""

    def __init__(
        self,
        db_url: str,
        *,
        role: str = "all",
        profile: Path | None = None,
        port: int | None = None,
        **overrides: str,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = product_env(db_url, self.port, **overrides)
        if profile is not None:
            env["SIPAS_BENCH_PROFILE"] = str(profile)
        super().__init__("bench.serve", "--role", role, env=env)
        self.started_in = 0.0

    async def start(self, timeout: float = 60) -> Product:  # noqa: ASYNC109
        began = time.perf_counter()
        self.spawn()
        await self.wait_serving(timeout)
        self.started_in = time.perf_counter() - began
        return self

    async def wait_serving(self, timeout: float) -> None:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as http:
            while True:
                self.check_alive()
                try:
                    async with http.get(f"{self.url}/healthz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the product did not serve in {timeout} s; see {self.log}")
                await asyncio.sleep(0.02)
