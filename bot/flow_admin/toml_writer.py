"""A flow's data written back as a flow file, keeping the admin's file where nothing changed.

The editor's form produces the flow as plain data (what ``tomllib`` reads); this turns it
back into TOML. The file is cut into blocks, one per table header (with the comment lines
just above it); a block whose table is unchanged is copied byte for byte, so comments and
layout survive and the diff before publishing shows only what the admin changed. A changed
or new table is written in the shipped files' layout. The result is always read back: if it
does not parse to exactly the data given, the whole file is written afresh instead (comments
lost, content right), so a clever layout can never turn into a silent change.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

# Tables in the order a fresh file lists them; a table the base file lacks is put before the
# questions (e.g. the first section added to a flow that had none).
GROUPS = ("flow", "texts", "closing", "choice_sets", "scoring", "factors", "sections", "questions")
ARRAYS = ("factors", "sections", "questions")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class Block:
    path: tuple[Any, ...]  # ("flow",), ("choice_sets", "scale"), ("questions", 3)
    text: str  # as written: leading comments, header, body, trailing blank lines


def split(source: str) -> tuple[str, list[Block]]:
    """The text before the first table, and one block per table header."""
    lines = source.splitlines(keepends=True)
    starts: list[tuple[int, tuple[Any, ...]]] = []
    counters: dict[str, int] = {}
    in_array = in_string = False
    for number, raw in enumerate(lines):
        stripped = raw.strip()
        if in_string:
            in_string = (raw.count('"""') + raw.count("'''")) % 2 == 0
            continue
        if in_array:
            in_array = not stripped.startswith("]")
            continue
        header = _HEADER.match(raw)
        if header and not stripped.startswith(("[{", '["', "['")):
            parts = tuple(p.strip().strip("\"'") for p in header.group(2).split("."))
            if header.group(1) == "[[":
                name = ".".join(parts)
                counters[name] = counters.get(name, -1) + 1
                parts = (*parts, counters[name])
            start = number
            floor = starts[-1][0] + 1 if starts else 0
            while start > floor and lines[start - 1].lstrip().startswith("#"):
                start -= 1
            starts.append((start, parts))
            continue
        if (raw.count('"""') + raw.count("'''")) % 2 == 1:
            in_string = True
        elif raw.split("#", 1)[0].rstrip().endswith("["):
            in_array = True
    preamble = "".join(lines[: starts[0][0]]) if starts else source
    blocks = [
        Block(path, "".join(lines[start : (starts[i + 1][0] if i + 1 < len(starts) else None)]))
        for i, (start, path) in enumerate(starts)
    ]
    return preamble, blocks


def value(item: Any) -> str:
    """One TOML value on one line (strings as JSON strings, which TOML reads the same)."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int | float):
        return repr(item)
    if isinstance(item, str):
        return json.dumps(item, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(item, list):
        return "[" + ", ".join(value(x) for x in item) + "]"
    if isinstance(item, dict):
        if not item:
            return "{}"
        return "{ " + ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items()) + " }"
    raise TypeError(f"no TOML for {type(item).__name__}")


def key(name: str) -> str:
    return name if _BARE.match(name) else value(name)


def _reusable(text: str) -> tuple[list[str], dict[str, tuple[str, Any]], list[tuple[str, Any]]]:
    """From an old block: the comment lines above its header, each one-line ``key = value``
    with what it reads as, and each one-line table of an array written one per line."""
    lines = text.rstrip("\n").splitlines()
    head = next((i for i, line in enumerate(lines) if _HEADER.match(line)), 0)
    keys: dict[str, tuple[str, Any]] = {}
    items: list[tuple[str, Any]] = []
    for line in lines[head + 1 :]:
        stripped = line.strip()
        try:
            if stripped.startswith("{") and stripped.endswith(","):
                items.append((line, tomllib.loads(f"x = [{stripped[:-1]}]")["x"][0]))
            elif stripped and not stripped.startswith("#"):
                ((name, item),) = tomllib.loads(line).items()
                keys.setdefault(name, (line, item))
        except (tomllib.TOMLDecodeError, ValueError):
            continue
    return lines[:head], keys, items


def table(header: str, body: dict[str, Any], old: str = "") -> str:
    """A table under ``header``; a list of tables (choices) is written one per line. Lines of
    the ``old`` block that still say the same are kept as written (with their comments)."""
    lead, keys, items = _reusable(old) if old else ([], {}, [])
    lines = [*lead, header]
    for name, item in body.items():
        if name in keys and keys[name][1] == item:
            lines.append(keys[name][0])
        elif isinstance(item, list) and item and all(isinstance(x, dict) for x in item):
            rows = [next((t for t, was in items if was == x), f"  {value(x)},") for x in item]
            lines += [f"{key(name)} = [", *rows, "]"]
        else:
            lines.append(f"{key(name)} = {value(item)}")
    return "\n".join(lines) + "\n"


def _fresh(group: str, item: Any, name: str | None = None, old: Block | None = None) -> str:
    text = old.text if old is not None else ""
    if group in ARRAYS:
        return table(f"[[{group}]]", item, text)
    if name is not None:
        return table(f"[{group}.{key(name)}]", item, text)
    return table(f"[{key(group)}]", item, text)


def _group(group: str, blocks: list[Block], old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The blocks of one table (or array of tables, or the choice sets) in the new file: an
    unchanged one as written, a changed one rewritten from its old block (found by its id)."""
    before, after = old.get(group), new[group]
    if group in ARRAYS and isinstance(after, list):
        before = before if isinstance(before, list) else []
        unused = {b.path[1]: b for b in blocks if len(b.path) == 2 and b.path[1] < len(before)}
        chunks = []
        for item in after:
            same = next((i for i in unused if before[i] == item), None)
            if same is not None:
                chunks.append(unused.pop(same).text)
                continue
            like = next((i for i in unused if _id(before[i]) == _id(item)), None)
            chunks.append(_fresh(group, item, old=unused.pop(like) if like is not None else None))
        return chunks
    if group == "choice_sets" and isinstance(after, dict):
        before = before if isinstance(before, dict) else {}
        kept = {b.path[1]: b for b in blocks if len(b.path) == 2}
        return [
            kept[name].text
            if name in kept and before.get(name) == body
            else _fresh(group, body, name, kept.get(name))
            for name, body in after.items()
        ]
    if before == after:
        return [b.text for b in blocks]
    return [_fresh(group, after, old=blocks[0] if len(blocks) == 1 else None)]


def _id(item: Any) -> Any:
    return item.get("id", object()) if isinstance(item, dict) else object()


def _join(chunks: list[str]) -> str:
    """Chunks with one blank line between tables (a reused chunk keeps its own spacing)."""
    out = ""
    for chunk in chunks:
        if out and not out.endswith("\n\n"):
            out += "\n" if out.endswith("\n") else "\n\n"
        out += chunk
    return out.rstrip("\n") + "\n"


def _keeping(source: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    preamble, blocks = split(source)
    chunks = [preamble] if preamble.strip() else []
    by_group: dict[str, list[Block]] = {}
    for block in blocks:
        by_group.setdefault(str(block.path[0]), []).append(block)
    groups = [g for g in by_group if g in new]
    missing = [g for g in GROUPS if g in new and g not in by_group]
    missing += [g for g in new if g not in GROUPS and g not in by_group]
    position = groups.index("questions") if "questions" in groups else len(groups)
    for group in groups[:position] + missing + groups[position:]:
        chunks += _group(group, by_group.get(group, []), old, new)
    return _join(chunks)


def fresh(data: dict[str, Any]) -> str:
    """The whole file written afresh in the shipped layout."""
    chunks = []
    loose = {k: v for k, v in data.items() if not isinstance(v, dict | list)}
    if loose:
        chunks.append("".join(f"{key(k)} = {value(v)}\n" for k, v in loose.items()))
    for group in [g for g in GROUPS if g in data] + [g for g in data if g not in GROUPS]:
        item = data[group]
        if group == "choice_sets" and isinstance(item, dict):
            chunks += [_fresh(group, body, name) for name, body in item.items()]
        elif group in ARRAYS and isinstance(item, list):
            chunks += [_fresh(group, x) for x in item]
        elif isinstance(item, dict):
            chunks.append(_fresh(group, item))
    return _join(chunks)


def write(data: dict[str, Any], base: str) -> str:
    """``data`` as a flow file, copying every unchanged table of ``base`` as it is written."""
    old = tomllib.loads(base)
    if data == old:
        return base
    for attempt in (lambda: _keeping(base, old, data), lambda: fresh(data)):
        try:
            written = attempt()
            if tomllib.loads(written) == data:
                return written
        except (tomllib.TOMLDecodeError, TypeError, ValueError, AttributeError):
            continue
    raise ValueError("the flow data cannot be written as TOML")
