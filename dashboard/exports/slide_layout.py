"""Where each part of a slide goes, computed from measured text: a pure function of words and sizes, so that tests
check every slide's boxes without drawing it.

The rule for type, in pixels of a slide 1,008 to 1,080 px tall (a projector shows it at that height): titles 44 px
(40 on the square slide), subtitles 28, body text (keys, panel headings, the agencies' block, a town's words) 24,
the source note 22. When a slide cannot hold its words so, the note shrinks first, then the body, one step at a time
(`STEPS`), never below 18 px for the body and 16 for the note; the map takes whatever the words leave, never less
than `MIN_MAP` of the slide's height. Every line is broken by its measured width (exports/text_measure.py), so no
box is wider than its column, and no box overlaps another box or a map.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dashboard.exports.text_measure import line_height, text_width

PAD = 40  # the slide's margin
GAP = 24  # between blocks
SMALL_GAP = 10  # between a map and its own heading or keys
#: (body, note) sizes tried in order: the first that fits is used.
STEPS = ((24, 22), (24, 20), (24, 18), (22, 18), (22, 16), (20, 16), (18, 16), (18, 14))
#: The square slide holds the same keys and note in little more than half the width: it goes further down.
SQUARE_STEPS = (*STEPS, (16, 14), (16, 12), (15, 12), (14, 12))
#: When a language longer than English cannot be held even so (Spanish and Portuguese run a fifth to a third longer):
#: the heading smaller, the square slide's keys in three columns, then smaller type, each step in turn: (heading's
#: scale, columns of keys under a square slide's map, (body, note) on the square slide, (body, note) on a wide one).
#: English never needs them (tests/test_slide_layout.py holds its sizes).
LONGER = (
    (0.85, 3, (14, 12), (18, 14)),
    (0.75, 3, (14, 12), (16, 12)),
    (0.65, 3, (13, 11), (16, 12)),
    (0.6, 3, (12, 10), (15, 11)),
    (0.55, 3, (11, 9), (14, 10)),
)
TITLE_SIZE = {"wide": 44, "square": 36}
SUBTITLE_SIZE = {"wide": 28, "square": 24}
#: The smallest map, as a share of the slide's height (a panel of a before/after slide: `MIN_PANEL`).
MIN_MAP, MIN_PANEL = 0.42, 0.28
#: The square slide holds the same words in little more than half the width: its map may be smaller.
MIN_SQUARE_MAP = 0.28
#: Width over height of the map's frame, measured on drawn slides: the state and the Metro Boston region.
ASPECT = {"state": 1.597, "metro": 1.883}
#: The state map's empty bottom-left corner (Connecticut and Rhode Island), as shares of its frame's width and
#: height, with a margin: measured on a drawn map (no town reaches it), it holds the Metro Boston inset.
FREE_CORNER = (0.56, 0.43)
#: A key's symbol column, in multiples of the body size.
SYMBOL = 1.7
KEY_GAP = 0.35  # between keys, in multiples of the body size


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels, y down from the slide's top."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Box) -> bool:
        """Whether the two share any area (touching edges do not)."""
        eps = 0.01
        return (
            self.x < other.right - eps
            and other.x < self.right - eps
            and self.y < other.bottom - eps
            and other.y < self.bottom - eps
        )

    def inside(self, width: float, height: float) -> bool:
        """Whether the box lies within a canvas of that size."""
        return self.x >= 0 and self.y >= 0 and self.right <= width + 0.01 and self.bottom <= height + 0.01


@dataclass(frozen=True)
class Para:
    """A paragraph of plain words, broken into lines by the layout."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Key:
    """A legend entry: its words and how its symbol is drawn (opaque here)."""

    text: str
    style: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Group:
    """Keys under an optional title."""

    title: str
    keys: tuple[Key, ...]


@dataclass(frozen=True)
class Panel:
    """One map of a slide: words over it and keys under it (empty for a single map)."""

    head: tuple[Para, ...] = ()
    keys: tuple[Group, ...] = ()
    under: tuple[Para, ...] = ()  # words under the map (the compare slide's policy decisions)


@dataclass(frozen=True)
class Placed:
    """A block of words placed: its kind ('title', 'subtitle', 'key', 'key-title', 'agency', 'note', 'head',
    'inset-title', 'card'), box, lines (text, bold) and size."""

    kind: str
    box: Box
    lines: tuple[tuple[str, bool], ...]
    size: float
    align: str = "left"


@dataclass(frozen=True)
class Symbol:
    """A key's symbol, in its box."""

    box: Box
    key: Key


@dataclass(frozen=True)
class Layout:
    """A slide's parts in pixels: words, maps (one frame per panel), the inset, and what the maps cover."""

    width: int
    height: int
    texts: tuple[Placed, ...]
    maps: tuple[Box, ...]
    inset: Box | None
    symbols: tuple[Symbol, ...]
    body: float
    note: float
    cornered: bool = False  # the first map's empty corner holds the inset or keys

    @property
    def covered(self) -> tuple[Box, ...]:
        """Where maps draw: each frame (the state map's without its empty corner when it holds the inset or keys)."""
        boxes: list[Box] = []
        for i, frame in enumerate(self.maps):
            if i == 0 and (self.inset is not None or self.cornered):
                boxes += corner_pieces(frame)
            else:
                boxes.append(frame)
        if self.inset is not None:
            boxes.append(self.inset)
        return tuple(boxes)


class DoesNotFit(Exception):
    """The words cannot be placed at these sizes."""


# --- words into lines -------------------------------------------------------------------------------------------


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """`text` broken into lines no wider than `width` px (a word wider than a line is broken inside)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, bold) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        while text_width(word, size, bold) > width:  # an address longer than the line: broken by characters
            cut = max(1, max(i for i in range(1, len(word) + 1) if text_width(word[:i], size, bold) <= width or i == 1))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def lines_of(paras: Sequence[Para], width: float, size: float) -> tuple[tuple[str, bool], ...]:
    """Paragraphs as (line, bold) pairs at a width."""
    return tuple((line, p.bold) for p in paras for line in wrap(p.text, width, size, p.bold))


def block_height(lines: int, size: float) -> float:
    """The height of a block of lines."""
    return lines * line_height(size)


def _block(
    kind: str, paras: Sequence[Para], x: float, y: float, width: float, size: float, align: str = "left"
) -> Placed:
    lines = lines_of(paras, width, size)
    used = max(text_width(t, size, b) for t, b in lines)
    if align == "center":
        return Placed(kind, Box(x + (width - used) / 2, y, used, block_height(len(lines), size)), lines, size, align)
    return Placed(kind, Box(x, y, used, block_height(len(lines), size)), lines, size, align)


# --- keys -----------------------------------------------------------------------------------------------------


def _keys(groups: Sequence[Group], x: float, y: float, width: float, size: float) -> tuple[list[Placed], list[Symbol]]:
    """Groups of keys stacked from (x, y) in a column `width` wide: a title line, then each key's symbol and words."""
    texts: list[Placed] = []
    symbols: list[Symbol] = []
    symbol_w = SYMBOL * size
    for g, group in enumerate(groups):
        if g:
            y += size * 0.6
        if group.title:
            title = _block("key-title", [Para(group.title, bold=True)], x, y, width, size)
            texts.append(title)
            y = title.box.bottom + size * KEY_GAP
        for key in group.keys:
            words = _block("key", [Para(key.text)], x + symbol_w, y, width - symbol_w, size)
            texts.append(words)
            symbols.append(Symbol(Box(x, y, symbol_w * 0.8, line_height(size)), key))
            y = words.box.bottom + size * KEY_GAP
    return texts, symbols


def keys_height(groups: Sequence[Group], width: float, size: float) -> float:
    """How tall the groups of keys stand in a column of that width."""
    texts, _ = _keys(groups, 0, 0, width, size)
    return max((t.box.bottom for t in texts), default=0.0)


# --- the map slide ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlideWords:
    """What a map slide says, as words: the layout places them."""

    width: int
    height: int
    title: str
    subtitle: str
    legend: tuple[Group, ...]  # the keys shared by every map
    agency: tuple[Para, ...]  # the agencies' records (empty: none)
    note: str
    panels: tuple[Panel, ...] = (Panel(),)
    extent: str = "state"
    inset_title: str = ""  # the Metro Boston inset's title; empty: no inset


def corner_pieces(frame: Box) -> list[Box]:
    """The state map's frame as the two rectangles its towns occupy: all but the empty bottom-left corner."""
    fw, fh = FREE_CORNER
    upper = Box(frame.x, frame.y, frame.w, frame.h * (1 - fh))
    lower = Box(frame.x + frame.w * fw, upper.bottom, frame.w * (1 - fw), frame.h * fh)
    return [upper, lower]


def layout_slide(words: SlideWords) -> Layout:
    """The slide's boxes: the largest type of `STEPS` at which every block fits, and the largest map."""
    square = words.width < words.height * 1.2
    steps = SQUARE_STEPS if square else STEPS
    # At the smallest type, the smallest maps may be smaller still (a before/after square slide): never no slide.
    for (body, note), floor in [*((step, 1.0) for step in steps), (steps[-1], 0.6), (steps[-1], 0.35)]:
        try:
            return _layout(words, body, note, floor)
        except DoesNotFit:
            continue
    # A longer language: the heading smaller, more columns of keys, then smaller type, keeping a map of the usual
    # least size while any step can; then the smallest maps (never no slide).
    for floor in (1.0, 0.35):
        for heading, columns, square_step, wide_step in LONGER:
            body, note = square_step if square else wide_step
            try:
                return _layout(words, body, note, floor, heading=heading, columns=columns)
            except DoesNotFit:
                continue
    raise DoesNotFit(f"a {words.width}×{words.height} slide cannot hold its words even at the smallest type")


def _heading(
    canvas_w: float, title_text: str, subtitle_text: str, square: bool, scale: float = 1.0
) -> tuple[list[Placed], float]:
    width = canvas_w - 2 * PAD
    kind = "square" if square else "wide"
    title = _block("title", [Para(title_text, bold=True)], PAD, PAD, width, round(TITLE_SIZE[kind] * scale))
    size = round(SUBTITLE_SIZE[kind] * scale)
    subtitle = _block("subtitle", [Para(subtitle_text)], PAD, title.box.bottom + 4, width, size)
    return [title, subtitle], subtitle.box.bottom + GAP


def _note(canvas_w: float, canvas_h: float, text: str, size: float) -> Placed:
    width = canvas_w - 2 * PAD
    height = block_height(len(lines_of([Para(text)], width, size)), size)
    return _block("note", [Para(text)], PAD, canvas_h - PAD - height, width, size)


def _layout(
    words: SlideWords, body: float, note_size: float, floor: float = 1.0, heading: float = 1.0, columns: int = 2
) -> Layout:
    square = words.width < words.height * 1.2
    texts, top = _heading(words.width, words.title, words.subtitle, square, heading)
    note = _note(words.width, words.height, words.note, note_size)
    texts.append(note)
    bottom = note.box.y - GAP
    if square:
        return _square(words, texts, top, bottom, body, note_size, floor, columns)
    return _wide(words, texts, top, bottom, body, note_size, floor)


@dataclass(frozen=True)
class _Item:
    """One unit of the side's flow: a group's title, a key, or a paragraph; `first` opens a block."""

    kind: str  # "key-title", "key", "agency"
    text: str
    bold: bool = False
    key: Key | None = None
    first: bool = False
    paras: tuple[Para, ...] = ()  # the agencies' records: one item, never split


def _items(blocks: Sequence[Group | tuple[Para, ...]]) -> list[_Item]:
    items: list[_Item] = []
    for block in blocks:
        if isinstance(block, Group):
            if block.title:
                items.append(_Item("key-title", block.title, True, first=True))
            items += [_Item("key", k.text, key=k, first=i == 0 and not block.title) for i, k in enumerate(block.keys)]
        else:
            items.append(_Item("agency", "", first=True, paras=tuple(block)))
    return items


def _item_height(item: _Item, width: float, size: float) -> float:
    if item.paras:
        return block_height(len(lines_of(item.paras, width, size)), size)
    words_w = width - SYMBOL * size if item.kind == "key" else width
    return block_height(len(wrap(item.text, words_w, size, item.bold)), size)


def _gap(item: _Item, size: float) -> float:
    return GAP * 0.75 if item.first else (size * KEY_GAP if item.kind == "key" else 0.0)


def _flow(items: Sequence[_Item], regions: Sequence[Box], size: float) -> tuple[list[Placed], list[Symbol]]:
    """Items placed in order down the regions, moving on to the next region when one is full; a title never ends
    a region. Raises DoesNotFit when they run out."""
    texts: list[Placed] = []
    symbols: list[Symbol] = []
    r, fresh = 0, True
    y = regions[0].y if regions else 0.0
    i = 0
    while i < len(items):
        if r >= len(regions):
            raise DoesNotFit("the keys do not fit")
        region, item = regions[r], items[i]
        gap = 0.0 if fresh else _gap(item, size)
        need = _item_height(item, region.w, size)
        if item.kind == "key-title" and i + 1 < len(items):  # kept with its first key
            need += size * KEY_GAP + _item_height(items[i + 1], region.w, size)
        if y + gap + need > region.bottom + 0.01:
            r += 1
            if r < len(regions):
                y, fresh = regions[r].y, True
            continue
        top = y + gap
        if item.kind == "key":
            symbol_w = SYMBOL * size
            placed = _block("key", [Para(item.text)], region.x + symbol_w, top, region.w - symbol_w, size)
            assert item.key is not None
            symbols.append(Symbol(Box(region.x, top, symbol_w * 0.8, line_height(size)), item.key))
        else:
            paras = item.paras or (Para(item.text, item.bold),)
            placed = _block(item.kind, paras, region.x, top, region.w, size)
        texts.append(placed)
        y, fresh = placed.box.bottom, False
        i += 1
    return texts, symbols


def _columns(area: Box, minimum: float = 400, most: int = 2) -> list[Box]:
    """An area as up to `most` columns, as many as are each at least `minimum` wide."""
    n = max(1, min(most, int((area.w + GAP) // (minimum + GAP))))
    if n == 1:
        return [area]
    width = (area.w - GAP * (n - 1)) / n
    columns, x = [], area.x
    for _ in range(n):
        columns.append(Box(x, area.y, width, area.h))
        x = x + width + GAP
    return columns


def _side_items(words: SlideWords) -> list[_Item]:
    """The legend's groups, then the agencies' records."""
    return _items([*words.legend, *([words.agency] if words.agency else [])])


def _flow_height(items: Sequence[_Item], columns: Sequence[Box], size: float) -> float:
    """The least height at which the items flow into the columns (their tops aligned)."""
    low, high = 0.0, 4000.0
    while high - low > 2:
        mid = (low + high) / 2
        try:
            _flow(items, [Box(c.x, c.y, c.w, mid) for c in columns], size)
            high = mid
        except DoesNotFit:
            low = mid
    return high


def _panels_height(words: SlideWords, width: float, body: float) -> tuple[float, float]:
    """The tallest heading and the tallest keys of the panels at a panel width."""
    heads = max((block_height(len(lines_of(p.head, width, body)), body) for p in words.panels if p.head), default=0)
    keys = max((keys_height(p.keys, width, body) for p in words.panels if p.keys), default=0)
    return heads, keys


def _place_panels(
    words: SlideWords, area: Box, body: float, minimum: float
) -> tuple[list[Placed], list[Symbol], list[Box]]:
    """Panels side by side in `area`: each its heading, its map as large as fits, its keys."""
    n = len(words.panels)
    aspect = ASPECT[words.extent]
    width = (area.w - GAP * (n - 1)) / n
    heads, keys = _panels_height(words, width, body)
    head_room = heads + SMALL_GAP if heads else 0
    key_room = keys + SMALL_GAP if keys else 0
    map_h = min(width / aspect, area.h - head_room - key_room)
    if map_h < minimum:
        raise DoesNotFit("the maps would be too small")
    map_w = map_h * aspect
    texts: list[Placed] = []
    symbols: list[Symbol] = []
    frames: list[Box] = []
    used = head_room + map_h + key_room
    y0 = area.y + (area.h - used) / 2 if n > 1 else area.y
    for i, panel in enumerate(words.panels):
        x = area.x + i * (width + GAP)
        if panel.head:
            texts.append(_block("head", panel.head, x, y0, width, body, align="center" if n > 1 else "left"))
        frame = Box(x + (width - map_w) / 2 if n > 1 else x, y0 + head_room, map_w, map_h)
        frames.append(frame)
        if panel.keys:
            key_texts, key_symbols = _keys(panel.keys, x, frame.bottom + SMALL_GAP, width, body)
            texts += key_texts
            symbols += key_symbols
    return texts, symbols, frames


def _inset(words: SlideWords, frame: Box, body: float) -> tuple[list[Placed], Box | None]:
    """The Metro Boston inset in the state map's empty corner, under its title."""
    if not words.inset_title or words.extent != "state" or len(words.panels) != 1:
        return [], None
    fw, fh = FREE_CORNER
    corner = Box(frame.x, frame.y + frame.h * (1 - fh), frame.w * fw, frame.h * fh)
    size = max(18.0, body - 4)
    title_lines = lines_of([Para(words.inset_title, bold=True)], corner.w - 8, size)
    title_h = block_height(len(title_lines), size)
    room_h = corner.h - title_h - 2 * SMALL_GAP
    inset_w = min(corner.w - SMALL_GAP, room_h * ASPECT["metro"])
    if inset_w < corner.w * 0.5:
        return [], None
    inset_h = inset_w / ASPECT["metro"]
    inset = Box(corner.x, corner.bottom - inset_h, inset_w, inset_h)
    title = _block("inset-title", [Para(words.inset_title, bold=True)], corner.x, inset.y - title_h - 4, corner.w, size)
    return [title], inset


def _wide(
    words: SlideWords, texts: list[Placed], top: float, bottom: float, body: float, note: float, floor: float
) -> Layout:
    """Maps on the left, as large as the keys allow: the keys beside them (in two columns where there is room), and
    under a single map what does not fit beside it."""
    inner = words.width - 2 * PAD
    middle = bottom - top
    aspect = ASPECT[words.extent]
    items = _side_items(words)
    single = len(words.panels) == 1
    minimum = (MIN_MAP if single else MIN_PANEL) * words.height * floor
    for column in range(0 if not items else 400, int(inner * 0.62), 20):
        maps_w: float = inner - (column + GAP if items else 0)
        if single:
            maps_w = min(maps_w, middle * aspect)
        side = Box(PAD + maps_w + GAP, top, words.width - PAD - (PAD + maps_w + GAP), middle)
        try:
            panel_texts, panel_symbols, frames = _place_panels(words, Box(PAD, top, maps_w, middle), body, minimum)
        except DoesNotFit:
            break  # a wider side only makes the maps smaller
        regions = _columns(side) if items else []
        if single and frames[0].bottom + GAP < bottom:
            regions.append(Box(PAD, frames[0].bottom + GAP, frames[0].w, bottom - frames[0].bottom - GAP))
        try:
            side_texts, side_symbols = _flow(items, regions, body)
        except DoesNotFit:
            continue
        inset_texts, inset = _inset(words, frames[0], body)
        placed = (*texts, *panel_texts, *side_texts, *inset_texts)
        return Layout(
            words.width, words.height, placed, tuple(frames), inset, (*panel_symbols, *side_symbols), body, note
        )
    raise DoesNotFit("the keys do not fit beside or under the maps")


def _square(
    words: SlideWords,
    texts: list[Placed],
    top: float,
    bottom: float,
    body: float,
    note: float,
    floor: float,
    most: int = 2,
) -> Layout:
    """Maps across the top, the keys in two columns (`most`) under them, as short as they can be."""
    if len(words.panels) == 1 and words.extent == "state":
        return _square_state(words, texts, top, bottom, body, note, floor, most)
    inner = words.width - 2 * PAD
    items = _side_items(words)
    columns = _columns(Box(PAD, 0, inner, 0), minimum=300, most=most)
    keys_h = _flow_height(items, columns, body) if items else 0.0
    minimum = (MIN_SQUARE_MAP if len(words.panels) == 1 else MIN_SQUARE_MAP * 0.7) * words.height * floor
    area = Box(PAD, top, inner, bottom - top - (keys_h + GAP if items else 0))
    panel_texts, symbols, frames = _place_panels(words, area, body, minimum)
    if len(words.panels) == 1:  # a single map centered over the keys
        frame = frames[0]
        frames = [Box(PAD + (inner - frame.w) / 2, frame.y, frame.w, frame.h)]
    end = max([f.bottom for f in frames] + [t.box.bottom for t in panel_texts]) + GAP
    side_texts, side_symbols = _flow(items, [Box(c.x, end, c.w, keys_h + 1) for c in columns], body)
    inset_texts, inset = _inset(words, frames[0], body)
    placed = (*texts, *panel_texts, *side_texts, *inset_texts)
    return Layout(words.width, words.height, placed, tuple(frames), inset, (*symbols, *side_symbols), body, note)


def _square_state(
    words: SlideWords,
    texts: list[Placed],
    top: float,
    bottom: float,
    body: float,
    note: float,
    floor: float,
    most: int = 2,
) -> Layout:
    """The state map as wide as it can be, the keys flowing into its empty bottom-left corner first and then into
    two columns (`most`) under it (no inset: the corner holds keys)."""
    inner = words.width - 2 * PAD
    items = _side_items(words)
    fw, fh = FREE_CORNER
    width = min(inner, (bottom - top) * ASPECT["state"])
    while width / ASPECT["state"] >= MIN_SQUARE_MAP * words.height * floor:
        height = width / ASPECT["state"]
        frame = Box(PAD + (inner - width) / 2, top, width, height)
        corner = Box(frame.x, frame.y + height * (1 - fh) + SMALL_GAP, width * fw - SMALL_GAP, height * fh - SMALL_GAP)
        below = Box(PAD, frame.bottom + GAP, inner, bottom - frame.bottom - GAP)
        regions = [corner, *(_columns(below, minimum=300, most=most) if below.h > 0 else [])]
        try:
            side_texts, side_symbols = _flow(items, regions, body)
        except DoesNotFit:
            width -= 20
            continue
        placed = (*texts, *side_texts)
        return Layout(words.width, words.height, placed, (frame,), None, tuple(side_symbols), body, note, cornered=True)
    raise DoesNotFit("the keys do not fit with the map")


# --- the compare slide ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareWords:
    """What a compare slide says: one cell per town (heading, map, words under it), a row of keys, the note."""

    width: int
    height: int
    title: str
    subtitle: str
    cells: tuple[Panel, ...]
    keys: tuple[Key, ...]
    note: str


def _key_row(keys: Sequence[Key], x: float, y: float, width: float, size: float) -> tuple[list[Placed], list[Symbol]]:
    """Keys side by side on as many rows as they need."""
    texts: list[Placed] = []
    symbols: list[Symbol] = []
    symbol_w = SYMBOL * size
    left = x
    for key in keys:
        words_w = min(text_width(key.text, size), width - symbol_w)
        if left > x and left + symbol_w + words_w > x + width:
            left, y = x, y + line_height(size) + size * KEY_GAP
        words = _block("key", [Para(key.text)], left + symbol_w, y, width - (left - x) - symbol_w, size)
        texts.append(words)
        symbols.append(Symbol(Box(left, y, symbol_w * 0.8, line_height(size)), key))
        left = words.box.right + size
    return texts, symbols


def layout_compare(words: CompareWords) -> Layout:
    """The compare slide's boxes at the largest type of `STEPS` that fits (for a longer language, then `LONGER`'s
    smaller headings and type)."""
    tries = [*((1.0, step) for step in STEPS), *((heading, wide) for heading, _, _, wide in LONGER)]
    for heading, (body, note) in tries:
        try:
            return _compare(words, body, note, heading)
        except DoesNotFit:
            continue
    raise DoesNotFit("the compare slide cannot hold its words even at the smallest type")


def _compare(words: CompareWords, body: float, note_size: float, heading: float = 1.0) -> Layout:
    texts, top = _heading(words.width, words.title, words.subtitle, False, heading)
    note = _note(words.width, words.height, words.note, note_size)
    texts.append(note)
    inner = words.width - 2 * PAD
    probe, _ = _key_row(words.keys, PAD, 0, inner, body)
    row_h = max(t.box.bottom for t in probe) if probe else 0
    key_y = note.box.y - GAP - row_h
    key_texts, symbols = _key_row(words.keys, PAD, key_y, inner, body)
    texts += key_texts
    n = len(words.cells)
    columns, rows = (2, 2) if n == 4 else (n, 1)
    cell_w = (inner - GAP * (columns - 1)) / columns
    area_h = key_y - GAP - top
    grid = [words.cells[r * columns : (r + 1) * columns] for r in range(rows)]
    heads = [max(block_height(len(lines_of(c.head, cell_w, body)), body) for c in row) for row in grid]
    unders = [
        max(block_height(len(lines_of(c.under, cell_w, body)), body) if c.under else 0 for c in row) for row in grid
    ]
    words_h = sum(heads) + sum(unders) + rows * 2 * SMALL_GAP + GAP * (rows - 1)
    aspect = ASPECT["state"]
    map_h = min(cell_w / aspect, (area_h - words_h) / rows)
    if map_h < MIN_PANEL * words.height / rows:
        raise DoesNotFit("the maps would be too small")
    map_w = map_h * aspect
    used = words_h + rows * map_h
    y = top + (area_h - used) / 2
    frames: list[Box] = []
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            x = PAD + c * (cell_w + GAP)
            texts.append(_block("head", cell.head, x, y, cell_w, body, align="center"))
            frame = Box(x + (cell_w - map_w) / 2, y + heads[r] + SMALL_GAP, map_w, map_h)
            frames.append(frame)
            if cell.under:
                texts.append(_block("under", cell.under, x, frame.bottom + SMALL_GAP, cell_w, body, align="center"))
        y += heads[r] + map_h + unders[r] + 2 * SMALL_GAP + GAP
    return Layout(words.width, words.height, tuple(texts), tuple(frames), None, tuple(symbols), body, note_size)


# --- the link card ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardWords:
    """A town's or agency's link card: its name, a few lines, the source; read at 500 px wide."""

    width: int
    height: int
    name: str
    lines: tuple[Para, ...]
    footer: str
    extent: str = "state"


#: (name, lines, footer) sizes tried in order: at 500 px wide (a quarter of the card) the footer is still 9 px.
CARD_STEPS = ((104, 56, 38), (92, 52, 36), (84, 48, 36), (76, 44, 34), (68, 40, 32))
CARD_COLUMN = 0.4  # the words' share of the card's width
#: A language longer than English: the words take more of the width (the map less), then smaller type. English never
#: needs them.
CARD_LONGER = (((68, 40, 32), 0.5), ((60, 36, 30), 0.5), ((54, 32, 28), 0.55))


def layout_card(words: CardWords) -> Layout:
    """The card's boxes: the map on the left as tall as the footer leaves, the words beside it, as large as fit."""
    inner_w = words.width - 2 * PAD
    for (name_size, size, footer_size), share in [*((step, CARD_COLUMN) for step in CARD_STEPS), *CARD_LONGER]:
        column = inner_w * share
        footer = _block("note", [Para(words.footer)], PAD, 0, inner_w, footer_size)
        footer_y = words.height - PAD - footer.box.h
        footer = _block("note", [Para(words.footer)], PAD, footer_y, inner_w, footer_size)
        map_h = min(footer_y - GAP - PAD, (inner_w - column - GAP) / ASPECT[words.extent])
        map_w = map_h * ASPECT[words.extent]
        x = PAD + map_w + GAP
        width = words.width - PAD - x
        name = _block("title", [Para(words.name, bold=True)], x, PAD, width, name_size)
        y = name.box.bottom + GAP
        texts = [name]
        for para in words.lines:
            block = _block("card", [para], x, y, width, size)
            texts.append(block)
            y = block.box.bottom + size * 0.5
        if y - size * 0.5 <= footer_y - GAP:
            frame = Box(PAD, PAD + (footer_y - GAP - PAD - map_h) / 2, map_w, map_h)
            return Layout(words.width, words.height, (*texts, footer), (frame,), None, (), size, footer_size)
    raise DoesNotFit("the card cannot hold its words")
