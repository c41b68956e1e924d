"""Outbound messages shaped to what a channel can show, before its adapter renders them.

Pure functions: a channel without buttons gets the choices as a numbered list to type from,
one without edits gets the answer echo as the first line of the next message, one without
images gets a photo's caption, and a text longer than ``max_text`` is split at line breaks
(choices always stay with the last part, so a question is never cut from its answers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.channels.protocol import Capabilities
from bot.texts import message as say
from flows.outbound import AnswerEcho, Message, Outbound, Photo
from flows.places import with_place


def fill_place(messages: Sequence[Outbound], place: str | None) -> tuple[Outbound, ...]:
    """The unit's place name where a flow's wording says ``{place}`` (where the respondent
    was served: "Bộ phận Một cửa" unless the unit set another, e.g. "Trung tâm Phục vụ
    hành chính công"). The engine keeps the placeholder; every channel gets the name."""

    def fill(text: str | None) -> str | None:
        return with_place(text, place) if text else text

    filled: list[Outbound] = []
    for item in messages:
        if isinstance(item, Message):
            options = tuple(replace(o, label=fill(o.label) or "") for o in item.options)
            item = replace(
                item, text=fill(item.text) or "", header=fill(item.header), options=options
            )
        elif isinstance(item, AnswerEcho):
            item = replace(item, text=fill(item.text) or "")
        filled.append(item)
    return tuple(filled)


def numbered_list(item: Message, locale: str) -> Message:
    """The choices written out: ``1. Rất không hài lòng`` ..., then how to go back."""
    lines = [item.full_text]
    if item.options:
        lines.append("")
        for option in item.options:
            mark = " ✓" if item.selected == option.value else ""
            key = option.key or option.value
            lines.append(f"{key}. {option.label}{mark}")
    if item.back_label:
        lines.append(say("typed_back", locale))
    if item.url:
        lines.append(f"{item.url_label or ''}: {item.url}".lstrip(": "))
    return replace(item, text="\n".join(lines), header=None, back_label=None, url=None)


def split_text(text: str, limit: int) -> list[str]:
    """Parts of at most ``limit`` characters, cut at a line break (else a space) if possible."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return [part for part in parts if part] or [""]


def _split(item: Message, limit: int, keep: int = 0) -> list[Message]:
    """``item`` in parts of at most ``limit``; its last ``keep`` characters (a question and
    its numbered choices) stay together in the last part whenever they fit in one."""
    head = f"{item.header}\n" if item.header else ""
    whole = head + item.text
    if len(whole) <= limit:
        return [item]
    if 0 < keep <= limit:
        before = whole[: len(whole) - keep].rstrip()
        leading_text = split_text(before, limit) if before else []
        pieces = [*leading_text, whole[len(whole) - keep :].lstrip()]
    else:
        pieces = split_text(whole, limit)
    leading = [Message(piece, notice=True) for piece in pieces[:-1]]
    return [*leading, replace(item, text=pieces[-1], header=None)]


def adapt(messages: Sequence[Outbound], capabilities: Capabilities, locale: str) -> list[Outbound]:
    """``messages`` as the channel can show them, in order."""
    shaped: list[Outbound] = []
    echo: str | None = None
    for item in messages:
        if isinstance(item, AnswerEcho):
            if capabilities.edits:
                shaped.append(item)
            else:
                echo = item.text
            continue
        if isinstance(item, Photo):
            if capabilities.images:
                shaped.append(item)
            elif item.caption:
                shaped.append(Message(item.caption))
            continue
        if echo is not None:
            item = replace(item, header=f"{echo}\n{item.header}" if item.header else echo)
            echo = None
        keep = 0
        if not capabilities.buttons and (item.options or item.back_label or item.url):
            shown = len(item.full_text)
            question = len(item.text.rsplit("\n\n", 1)[-1])  # the text's last paragraph
            item = numbered_list(item, locale)
            keep = len(item.text) - shown + question  # the question and its choices
        shaped.extend(_split(item, capabilities.max_text, keep))
    if echo is not None:
        shaped.append(Message(echo, notice=True))
    return shaped
