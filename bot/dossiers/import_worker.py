"""Reading an uploaded dossier list in another process, handed back chunk by chunk.

Reading a large spreadsheet is pure-Python work that, in a thread, would still take the
interpreter lock from the event loop; in another process the web chat and the pages keep
their speed. The worker writes the parsed chunks to a private temporary file and returns its
path once the whole file has been read (so a file refused as a whole creates nothing); the
importer then reads the chunks back one at a time, so neither process holds all the rows of a
100,000-row file at once. The file holds only what our own worker wrote (pickled rows and row
problems), is readable by this user only, and is removed when the import ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import pickle
import tempfile
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import BinaryIO

from bot.dossiers.import_rows import CHUNK_ROWS, Chunk, parse_chunks
from bot.dossiers.tables import TableError

PARSERS_AT_ONCE = 2  # spreadsheets read at the same time; others wait their turn

_PARSERS: ProcessPoolExecutor | None = None


def _parsers() -> ProcessPoolExecutor:
    """The worker processes that read uploaded tables, started on the first import."""
    global _PARSERS
    if _PARSERS is None:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        _PARSERS = ProcessPoolExecutor(max_workers=PARSERS_AT_ONCE, mp_context=context)
    return _PARSERS


async def start_parsers() -> None:
    """Start a worker process now rather than at the first import (which would wait the
    second or two a new interpreter takes to start and import the reader)."""
    await asyncio.get_running_loop().run_in_executor(_parsers(), _ready)


def stop_parsers() -> None:
    """End the worker processes (they start again at the next import)."""
    global _PARSERS
    if _PARSERS is not None:
        _PARSERS.shutdown(wait=True)
        _PARSERS = None


def _ready() -> None:
    """Nothing to do: loading this module (and the readers it imports) is the point."""


def parse_to_file(filename: str, content: bytes, locale: str, chunk_rows: int) -> str:
    """Runs in the worker: every chunk of ``parse_chunks`` pickled into a new temporary
    file, whose path is returned; raises TableError (and leaves no file) when unusable."""
    handle, path = tempfile.mkstemp(prefix="sipas-import-", suffix=".chunks")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in parse_chunks(filename, content, locale, chunk_rows):
                pickle.dump(chunk, out, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise
    return path


def _next_chunk(source: BinaryIO) -> Chunk | None:
    try:
        chunk: Chunk = pickle.load(source)  # our own worker's file (see the module doc)
    except EOFError:
        return None
    return chunk


def _forget(source: BinaryIO, path: str) -> None:
    source.close()
    Path(path).unlink(missing_ok=True)


@contextlib.asynccontextmanager
async def parsed_elsewhere(
    filename: str, content: bytes, locale: str, chunk_rows: int = CHUNK_ROWS
) -> AsyncIterator[AsyncIterator[Chunk]]:
    """The file's chunks, parsed in a worker process; raises TableError before any chunk
    when the file is unusable. A worker that died is replaced, and the file is refused as
    unreadable rather than the server failing."""
    global _PARSERS
    loop = asyncio.get_running_loop()
    try:
        path = await loop.run_in_executor(
            _parsers(), parse_to_file, filename, content, locale, chunk_rows
        )
    except BrokenProcessPool:
        _PARSERS = None
        raise TableError("unreadable", name=filename or "?").localized(locale) from None
    source: BinaryIO = await asyncio.to_thread(open, path, "rb")

    async def chunks() -> AsyncIterator[Chunk]:
        while (chunk := await asyncio.to_thread(_next_chunk, source)) is not None:
            yield chunk

    try:
        yield chunks()
    finally:
        await asyncio.to_thread(_forget, source, path)
