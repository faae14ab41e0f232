"""Put what a person typed back into a form page, with each error beside its field.

The page is the form as its GET route renders it; the values are what was posted. Only the
one form whose action received the post is touched: text fields, text areas, selects,
checkboxes and radios get the posted values back (passwords, files and hidden fields keep
the page's own), and each message lands after its field, or at the top of the form when no
field carries its name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

# Inputs whose posted value is never written back: secrets, files and what the page owns.
NOT_REFILLED = {"hidden", "password", "file", "submit", "button", "image", "reset"}
CHOICES = {"checkbox", "radio"}
_Edit = tuple[int, int, str]  # replace page[start:end] with the text


@dataclass(frozen=True)
class Posted:
    """One post of a form: where it went, what it held, and what was wrong with it."""

    action: str
    page: str  # the address of the page refilled: where a form without an action posts
    values: Mapping[str, Sequence[str]]
    errors: Mapping[str, str] = field(default_factory=dict)
    message: str | None = None


@dataclass
class _Tag:
    name: str
    attrs: list[tuple[str, str | None]]
    start: int
    end: int
    close: int = -1  # where the content ends (the end tag's start), for textarea/select/form
    after: int = -1  # just after the end tag

    def attr(self, key: str) -> str | None:
        return next((v for k, v in self.attrs if k == key), None)


PAIRED = {"form", "select", "textarea", "option"}


class _Scanner(HTMLParser):
    """Every start tag with its offsets, and the end of each form, select, textarea, option."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.line_starts = [0]
        for index, char in enumerate(page):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.tags: list[_Tag] = []
        self.open: dict[str, list[_Tag]] = {}

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        text = self.get_starttag_text() or ""
        found = _Tag(tag, attrs, start, start + len(text))
        self.tags.append(found)
        if tag in PAIRED:
            if tag == "option" and self.open.get("option"):
                self._close("option", start, start)  # an option ends where the next begins
            self.open.setdefault(tag, []).append(found)

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        if tag == "select" and self.open.get("option"):
            self._close("option", start, start)
        if self.open.get(tag):
            self._close(tag, start, self.page.find(">", start) + 1)

    def _close(self, tag: str, close: int, after: int) -> None:
        found = self.open[tag].pop()
        found.close, found.after = close, after


def _start_tag(tag: _Tag, changes: Mapping[str, str | None]) -> str:
    """The tag rewritten with ``changes`` (a None value drops the attribute)."""
    attrs = [(k, v) for k, v in tag.attrs if k not in changes]
    attrs += [(k, v) for k, v in changes.items() if v is not None]
    parts = [tag.name] + [k if v is None else f'{k}="{escape(v)}"' for k, v in attrs]
    return "<" + " ".join(parts) + ">"


def _inside(tags: list[_Tag], outer: _Tag) -> list[_Tag]:
    return [t for t in tags if outer.start < t.start < outer.close]


def _chosen_form(tags: list[_Tag], posted: Posted) -> _Tag | None:
    """The form the post came from: same action, and the most hidden values in common."""
    forms = [
        t
        for t in tags
        if t.name == "form"
        and (t.attr("method") or "get").lower() == "post"
        and (t.attr("action") or posted.page).split("?")[0] == posted.action
        and t.close >= 0
    ]

    def agreeing(form: _Tag) -> int:
        hidden = [
            t for t in _inside(tags, form) if t.name == "input" and t.attr("type") == "hidden"
        ]
        return sum(
            (t.attr("value") or "") in posted.values.get(t.attr("name") or "", ()) for t in hidden
        )

    return max(forms, key=agreeing, default=None)


def _message(name: str, text: str, block: bool = False) -> str:
    kind = "p" if block else "span"
    where = f' id="error-{escape(name)}"' if name else ""
    return f'<{kind} class="error field-error" role="alert"{where}>{escape(text)}</{kind}>'


def _select(page: str, tags: list[_Tag], select: _Tag, values: Sequence[str]) -> list[_Edit]:
    """The select's options rewritten so that the posted ones are selected."""
    edits = []
    for option in _inside(tags, select):
        if option.name == "option":
            value = option.attr("value")
            if value is None:
                value = page[option.end : option.close].strip()
            selected = "selected" if value in values else None
            edits.append((option.start, option.end, _start_tag(option, {"selected": selected})))
    return edits


def field_names(page: str, posted: Posted) -> set[str]:
    """The names of the fields of the form ``posted`` came from (empty if it is not there)."""
    scanner = _Scanner(page)
    scanner.feed(page)
    scanner.close()
    form = _chosen_form(scanner.tags, posted)
    if form is None:
        return set()
    return {name for t in _inside(scanner.tags, form) if (name := t.attr("name"))}


def refill(page: str, posted: Posted) -> str:
    """``page`` with the posted form filled in again and its errors shown."""
    scanner = _Scanner(page)
    scanner.feed(page)
    scanner.close()
    tags = scanner.tags
    form = _chosen_form(tags, posted)
    edits: list[_Edit] = []
    placed: set[str] = set()
    if form is None:
        notes = "" if not posted.message else _message("", posted.message, block=True)
        # The form left the page since (a draft scheduled meanwhile): its fields have no
        # label here to go beside, so each error names its field as the form does, marked
        # as a name and not as words of the interface.
        for field, text in posted.errors.items():
            named = f'<span translate="no">{escape(field)}</span> : {escape(text)}'
            notes += f'<p class="error field-error" role="alert">{named}</p>'
        main = next((t for t in tags if t.name == "main"), None)
        at = main.end if main else 0
        return page[:at] + notes + page[at:]
    seen: dict[str, int] = {}
    for tag in _inside(tags, form):
        name = tag.attr("name")
        if not name or tag.name not in {"input", "textarea", "select"}:
            continue
        if tag.name != "input" and tag.close < 0:
            continue  # never closed: no content to replace safely
        kind = (tag.attr("type") or "text").lower() if tag.name == "input" else tag.name
        values = posted.values.get(name)
        changes: dict[str, str | None] = {}
        if kind in CHOICES:  # a browser sends no unticked box: absent means unticked
            checked = (tag.attr("value") or "on") in (values or ())
            changes["checked"] = "checked" if checked else None
        elif values is not None and kind not in NOT_REFILLED:
            if kind == "select":
                edits += _select(page, tags, tag, values)
            else:
                index = seen.get(name, 0)
                seen[name] = index + 1
                typed = values[index] if index < len(values) else ""
                if kind == "textarea":
                    edits.append((tag.end, tag.close, escape(typed, quote=False)))
                else:
                    changes["value"] = typed
        error = posted.errors.get(name)
        if error and name not in placed:
            placed.add(name)
            changes["aria-invalid"] = "true"
            changes["aria-describedby"] = f"error-{name}"
            after = tag.after if kind in {"textarea", "select"} else tag.end
            edits.append((after, after, _message(name, error)))
        if changes:
            edits.append((tag.start, tag.end, _start_tag(tag, changes)))
    loose = [text for name, text in posted.errors.items() if name not in placed]
    if posted.message:
        loose.insert(0, posted.message)
    if loose:
        notes = "".join(_message("", text, block=True) for text in loose)
        edits.append((form.end, form.end, notes))
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        page = page[:start] + text + page[end:]
    return page
