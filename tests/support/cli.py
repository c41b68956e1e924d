"""Running ``sipas-bot`` commands the way the tests need them.

``InProcessCli`` calls ``bot.cli.main`` in this process with its own environment (no
``os.environ``), standard input and captured output: the same exit status, stdout and stderr a
subprocess would give, in a fraction of the time. ``SubprocessCli`` runs the real entry point
(``python -m bot``); keep it for the few tests about the process itself (exit codes, no
traceback, start-up cost).
"""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from collections.abc import Mapping
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "settings.toml"


@dataclass(frozen=True)
class Ran:
    """What a finished command left: like ``subprocess.CompletedProcess``."""

    returncode: int
    stdout: str
    stderr: str


@dataclass
class InProcessCli:
    config: Path = SETTINGS
    env: dict[str, str] = field(default_factory=dict)

    def __call__(self, *args: str, stdin: str | None = None) -> Ran:
        out, err = io.StringIO(), io.StringIO()
        saved_stdin = sys.stdin
        sys.stdin = io.StringIO(stdin or "")
        try:
            with redirect_stdout(out), redirect_stderr(err):
                try:
                    code = main(["--config", str(self.config), *args], environ=self.env)
                except SystemExit as exit_:  # argparse: --help, wrong usage
                    code = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            sys.stdin = saved_stdin
        return Ran(code, out.getvalue(), err.getvalue())

    async def in_thread(self, *args: str, stdin: str | None = None) -> Ran:
        """From an async test: ``main`` runs its own event loop, so not in this one."""
        return await asyncio.to_thread(self, *args, stdin=stdin)


@dataclass
class SubprocessCli:
    workdir: Path
    config: Path = SETTINGS
    env: dict[str, str] = field(default_factory=dict)

    def __call__(self, *args: str, stdin: str | None = None) -> Ran:
        environ: Mapping[str, str] = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **self.env}
        done = subprocess.run(
            [sys.executable, "-m", "bot", "--config", str(self.config), *args],
            capture_output=True,
            text=True,
            cwd=self.workdir,
            env=dict(environ),
            input=stdin,
            timeout=120,
        )
        return Ran(done.returncode, done.stdout, done.stderr)
