"""What a browser would send for an HTML form, read from the page's HTML: the fields of the
form with a given action, their current values, ticked boxes and chosen options (buttons
left out: the test says which one it presses)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.textarea: str | None = None
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.option: dict[str, str | None] | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""
        elif tag == "select" and name:
            self.select, self.options = name, []
        elif tag == "option" and self.select:
            self.option, self.text = a, ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None or self.option is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "option" and self.option is not None:
            value = self.option.get("value")
            self.options.append((self.text if value is None else value, "selected" in self.option))
            self.option = None
        elif tag == "select" and self.select is not None:
            chosen = [v for v, selected in self.options if selected] or [self.options[0][0]]
            self.fields.append((self.select, chosen[0]))
            self.select = None


def form_fields(html: str, action: str) -> list[tuple[str, str]]:
    """The (name, value) pairs the form posting to ``action`` sends as it stands."""
    parser = _Form(action)
    parser.feed(html)
    return parser.fields


def textarea(html: str, name: str) -> str:
    """The text of the textarea named ``name`` in any form of the page."""
    parser = _Form("")
    parser.inside = True
    parser.feed(html.replace("<form", "<div").replace("</form>", "</div>"))
    return next(value for field, value in parser.fields if field == name)
