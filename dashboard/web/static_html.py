"""Dash components as plain HTML: the map page's layout rendered by the server, readable before any script runs.

The same component tree that Dash sends is written out here as the DOM React would make of it (same tags, ids and
classes), so the page looks the same before and after Dash takes it over. Dash's own controls become their plain
HTML counterparts (a checklist becomes checkboxes, a dropdown a `<select>`), named so that the page's form can send
them; components that only hold data in the browser (stores, intervals, locations, downloads) are left out. A
caller can replace any component by id (`Override`): the map becomes the server's SVG, buttons become links.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from dash.development.base_component import Component

#: A replacement for one component, or None to render it as it is.
Override = Callable[[Component], "str | None"]

VOID = frozenset({"br", "hr", "img", "input", "meta", "wbr"})
#: Dash's prop names that are not the HTML attribute's name.
RENAMED = {
    "className": "class",
    "htmlFor": "for",
    "tabIndex": "tabindex",
    "readOnly": "readonly",
    "colSpan": "colspan",
    "hrefLang": "hreflang",
}
#: Dash's props that are HTML attributes (the rest, such as n_clicks, live only in the browser).
ATTRIBUTES = frozenset(
    {"id", "className", "htmlFor", "title", "href", "target", "rel", "alt", "src", "role", "type", "tabIndex", "scope"}
    | {"name", "value", "lang", "hidden", "colSpan", "download", "open", "readOnly", "rows", "disabled", "checked"}
    | {"selected", "placeholder", "form", "action", "method", "enterkeyhint", "autocomplete", "hrefLang"}
)
#: Components that hold data or timers in the browser: nothing to show.
UNSEEN = frozenset({"Store", "Interval", "Location", "Download"})
_UPPER = re.compile(r"(?<!^)(?=[A-Z])")


def style_text(style: dict[str, Any]) -> str:
    """A React style object as a CSS declaration list (`backgroundColor` -> `background-color`)."""
    return "; ".join(f"{_UPPER.sub('-', key).lower()}: {value}" for key, value in style.items())


def attributes(props: dict[str, Any]) -> str:
    """The HTML attributes of a component's props, escaped, in a stable order (wildcards aria-* and data-* too)."""
    parts = []
    # Dash keeps aria-* and data-* props in no fixed order: sorted, the same component is always the same HTML.
    named = [key for key in props if not key.startswith(("aria-", "data-"))]
    for key in [*named, *sorted(set(props) - set(named))]:
        value = props[key]
        if value is None or value is False or key == "children":
            continue
        if key == "style" and isinstance(value, dict):
            parts.append(f'style="{escape(style_text(value))}"')
            continue
        if key == "id" and not isinstance(value, str):
            continue  # a pattern-matching id is Dash's business only
        if key in ATTRIBUTES or key.startswith(("aria-", "data-")):
            name = RENAMED.get(key, key)
            parts.append(name if value is True else f'{name}="{escape(str(value))}"')
    return (" " + " ".join(parts)) if parts else ""


def element(tag: str, props: dict[str, Any], inner: str = "") -> str:
    """One HTML element with the given props as attributes."""
    opening = f"<{tag}{attributes(props)}>"
    return opening if tag in VOID else f"{opening}{inner}</{tag}>"


def _options(component: Component) -> list[tuple[Any, Any]]:
    """A dcc control's options as (label, value) pairs, whatever form Dash was given them in."""
    found = []
    for option in component.options or []:  # type: ignore[attr-defined]
        if isinstance(option, dict):
            found.append((option.get("label", option.get("value")), option.get("value")))
        else:
            found.append((option, option))
    return found


def _choices(component: Component, kind: str, override: Override) -> str:
    """A checklist or radio group: labelled inputs, named by the control's id, checked as the control is."""
    value = getattr(component, "value", None)
    chosen = set(value) if isinstance(value, (list, tuple)) else {value}
    name = component.id  # type: ignore[attr-defined]
    labels = "".join(
        "<label>"
        + element("input", {"type": kind, "name": name, "value": option_value, "checked": option_value in chosen})
        + render(label, override)
        + "</label>"
        for label, option_value in _options(component)
    )
    return element("div", {"id": name, "className": getattr(component, "className", None)}, labels)


def _select(component: Component) -> str:
    """A dropdown as a `<select>` of its options (text labels), the control's value selected."""
    value = getattr(component, "value", None)
    placeholder = getattr(component, "placeholder", None)
    options = [element("option", {"value": ""}, escape(placeholder or ""))] if placeholder else []
    for label, option_value in _options(component):
        text = label if isinstance(label, str) else str(option_value)
        options.append(element("option", {"value": option_value, "selected": option_value == value}, escape(text)))
    name = component.id  # type: ignore[attr-defined]
    return element("select", {"id": name, "name": name}, "".join(options))


def _dcc(component: Component, override: Override) -> str:
    """Dash's core controls as plain form controls (the ones the map page uses)."""
    kind = component._type
    props = component.to_plotly_json()["props"]
    if kind == "Checklist":
        return _choices(component, "checkbox", override)
    if kind == "RadioItems":
        return _choices(component, "radio", override)
    if kind == "Dropdown":
        return _select(component)
    if kind == "Input":
        return element("input", {**props, "name": props.get("id"), "type": props.get("type", "text")})
    if kind == "Textarea":
        return element("textarea", props, escape(str(props.get("value") or "")))
    if kind == "Graph":
        return element("div", {"id": props.get("id"), "className": props.get("className")})
    return ""  # a component without a plain form: nothing (its override may draw one)


def render(node: Any, override: Override = lambda component: None) -> str:
    """HTML for a component, a list of them, text or a number (escaped); `override` replaces components by id."""
    if node is None or node is False:
        return ""
    if isinstance(node, (list, tuple)):
        return "".join(render(child, override) for child in node)
    if isinstance(node, (str, int, float)):
        return escape(str(node))
    if not isinstance(node, Component):
        return ""
    replaced = override(node)
    if replaced is not None:
        return replaced
    if node._type in UNSEEN:
        return ""
    if node._namespace != "dash_html_components":
        return _dcc(node, override)
    props = node.to_plotly_json()["props"]
    return element(node._type.lower(), props, render(props.get("children"), override))


def walk(node: Any) -> Iterable[Component]:
    """Every component in a tree, parents first (options' labels included)."""
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from walk(child)
    elif isinstance(node, Component):
        yield node
        yield from walk(getattr(node, "children", None))
        for label, _ in _options(node) if hasattr(node, "options") else []:
            yield from walk(label)
