"""Walking the web chat like a respondent: read the page's form, press a button, follow."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import aiohttp

PROMPT = re.compile(r'name="prompt" value="([^"]*)"')
CHOICE = re.compile(r'name="choice" value="([^"]*)"')

Chooser = Callable[[str, list[str]], str]


def first_choice(prompt: str, values: list[str]) -> str:
    """Agree to take part, skip free texts (which sends the response), else the first button."""
    for wanted in ("yes",) if prompt == "_consent" else ("skip",):
        if wanted in values:
            return wanted
    return values[0]


def current(page: str) -> tuple[str, list[str]] | None:
    """The current question's prompt id and its buttons' values (None: nothing to answer)."""
    found = PROMPT.search(page)
    if found is None:
        return None
    return html.unescape(found.group(1)), [html.unescape(v) for v in CHOICE.findall(page)]


async def answer_through(
    http: aiohttp.ClientSession, url: str, choose: Chooser = first_choice, limit: int = 100
) -> tuple[str, int]:
    """Answer every question at ``url`` (a /s/<token> page); the last page and the presses."""
    async with http.get(url) as response:
        page = await response.text()
    presses = 0
    while (asked := current(page)) is not None and presses < limit:
        prompt, values = asked
        data = {"prompt": prompt, "choice": choose(prompt, values)}
        async with http.post(url, data=data) as response:
            page = await response.text()
        presses += 1
    return page, presses
