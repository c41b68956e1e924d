"""Reading an uploaded dossier list in another process, handed back chunk by chunk.

Reading a large spreadsheet is pure-Python work that, in a thread, would still take the
interpreter lock from the event loop; in another process the web chat and the pages keep
their speed. The worker first reads the whole file once within every limit that refuses a
file as a whole (``check_table``: so a file refused half-way creates nothing), then parses it
again and sends each chunk as soon as it is parsed, so the importer links one chunk while the
next is being parsed, on the other core. The chunks go over a Unix socket in a private
temporary directory (readable by this user only, removed when the import ends) and carry only
what our own worker sent (pickled rows and row problems); the socket's buffer is the only
queue, so neither process holds all the rows of a 100,000-row file at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import multiprocessing
import os
import pickle
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.dossiers.import_rows import CHUNK_ROWS, Chunk, check_table, parse_chunks
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


FRAME = 8  # bytes of a chunk's length, before its pickle


def stream_chunks(
    filename: str, content: bytes, locale: str, chunk_rows: int, address: str
) -> None:
    """Runs in the worker: every chunk of ``parse_chunks``, pickled, sent to the importer
    listening at ``address`` as soon as it is parsed. The socket's buffer is the only queue:
    when the importer is busy linking, this waits, so neither side holds more than a few
    chunks. The file has passed ``check_table``, so no time limit applies again."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as importer:
        importer.connect(address)
        for chunk in parse_chunks(filename, content, locale, chunk_rows, seconds=math.inf):
            data = pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)
            importer.sendall(len(data).to_bytes(FRAME, "big") + data)


async def _frames(reader: asyncio.StreamReader) -> AsyncIterator[Chunk]:
    while True:
        try:
            head = await reader.readexactly(FRAME)
        except asyncio.IncompleteReadError as end:
            if end.partial:
                raise
            return
        chunk: Chunk = pickle.loads(await reader.readexactly(int.from_bytes(head, "big")))
        yield chunk  # our own worker's bytes, on a socket only this user can reach


def _unreadable(filename: str, locale: str) -> TableError:
    global _PARSERS
    _PARSERS = None  # a worker died: the pool is broken, the next import starts a new one
    return TableError("unreadable", name=filename or "?").localized(locale)


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


def _hang_up(connected: asyncio.Future[Connection]) -> None:
    if not connected.cancelled():
        connected.result()[1].close()  # a worker still sending stops (broken pipe)


@contextlib.asynccontextmanager
async def _listening() -> AsyncIterator[tuple[str, asyncio.Future[Connection]]]:
    """A Unix socket in a new private directory (mode 0700), and the future of the one
    connection it takes (hung up when the block ends, even should it come later)."""
    loop = asyncio.get_running_loop()
    connected: asyncio.Future[Connection] = loop.create_future()

    def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if connected.done():
            writer.close()  # one worker, one connection
        else:
            connected.set_result((reader, writer))

    folder = await asyncio.to_thread(tempfile.mkdtemp, prefix="sipas-import-")
    address = os.path.join(folder, "chunks")
    try:
        server = await asyncio.start_unix_server(accept, address, limit=2**20)
        try:
            yield address, connected
        finally:
            server.close()
            connected.add_done_callback(_hang_up)
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, True)


@contextlib.asynccontextmanager
async def parsed_elsewhere(
    filename: str, content: bytes, locale: str, chunk_rows: int = CHUNK_ROWS
) -> AsyncIterator[AsyncIterator[Chunk]]:
    """The file's chunks, parsed in a worker process while the caller links the ones before;
    raises TableError before any chunk when the file is unusable (a first reading in the
    worker checks every limit that refuses a file as a whole, so a file refused half-way
    creates nothing). A worker that died is replaced, and the file is refused as unreadable
    rather than the server failing."""
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(_parsers(), check_table, filename, content, locale)
        async with _listening() as (address, connected):
            parser = loop.run_in_executor(
                _parsers(), stream_chunks, filename, content, locale, chunk_rows, address
            )
            try:
                await asyncio.wait({connected, parser}, return_when=asyncio.FIRST_COMPLETED)
                if not connected.done():
                    await parser  # its error; had it ended well, it connected first
                reader = (await connected)[0]

                async def chunks() -> AsyncIterator[Chunk]:
                    try:
                        async for chunk in _frames(reader):
                            yield chunk
                    except asyncio.IncompleteReadError:
                        await parser  # cut mid-frame: the worker's error (died: unreadable)
                        raise
                    await parser  # its error, should it have stopped before the end

                yield chunks()
            finally:
                connected.add_done_callback(_hang_up)
                await asyncio.wait({parser})  # the worker is free again for the next import
                if not parser.cancelled():
                    parser.exception()  # retrieved: raised above already, or moot
    except BrokenProcessPool:
        raise _unreadable(filename, locale) from None
