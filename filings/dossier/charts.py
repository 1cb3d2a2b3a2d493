"""Dependency-free SVG charts for the dossier: stratification bars, monthly series, structure diagram.

Every builder returns an ``Svg`` string meant to be inlined in the dossier HTML. All text passed in is
escaped here, so the result is safe markup: ``Svg`` has ``__html__`` and Django templates insert it
as is (``{{ chart }}``), without ``|safe``. Builders take no translated strings of their own; the
caller passes labels already translated.

The charts are laid out for WeasyPrint's SVG renderer (and look the same in a browser): plain shapes,
no markers, no opacity, no ``dominant-baseline``, ``font-family`` naming Noto CJK so Chinese labels
render and stay extractable text in the PDF. Text widths are estimated (full-width characters 1 em,
others 0.58 em) because there is no font engine here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Literal

FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans CJK', sans-serif"
PALETTE = ("#2f5d8a", "#c8702a", "#3d8b5a", "#8a3d6f", "#6b6b6b")
INK = "#222222"
MUTED = "#666666"
GRID = "#d9d9d9"

Number = float | int | Decimal

# XML 1.0 forbids most C0 controls even when escaped; drop them rather than emit an unparsable SVG.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Svg(str):
    """SVG markup whose text content is already escaped."""

    __slots__ = ()

    def __html__(self) -> str:
        return str(self)


# ---------------------------------------------------------------------------------------------
# Bar chart


def bar_chart(
    labels: Sequence[str],
    values: Sequence[Number],
    *,
    title: str = "",
    value_format: Callable[[float], str] | None = None,
    show_percent: bool = True,
    width: int = 640,
    color: str = PALETTE[0],
) -> Svg:
    """Horizontal bars, one per stratum, annotated with the value and its share of the total."""
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels but {len(values)} values")
    numbers = [float(value) for value in values]
    if any(value < 0 or not math.isfinite(value) for value in numbers):
        raise ValueError("Bar chart values must be finite and non-negative")
    fmt = value_format or format_number
    total = sum(numbers)
    annotations = [
        fmt(value) + (f" ({format_percent(value / total if total else 0.0)})" if show_percent else "")
        for value in numbers
    ]

    font_size, row_height, bar_height = 11.0, 22.0, 14.0
    top = 30.0 if title else 8.0
    label_width = min(max((text_width(label, font_size) for label in labels), default=0) + 10, width * 0.38)
    annotation_width = max((text_width(text, font_size) for text in annotations), default=0) + 10
    bar_left = label_width + 4
    bar_space = max(width - bar_left - annotation_width, 40)
    peak = max(numbers, default=0.0)
    height = top + row_height * len(numbers) + 8

    parts = [_svg_open(width, height)]
    if title:
        parts.append(_text(0, 18, title, size=13, weight="bold"))
    parts.append(_line(bar_left, top - 2, bar_left, top + row_height * len(numbers), GRID))
    for index, (label, value, annotation) in enumerate(zip(labels, numbers, annotations, strict=True)):
        y = top + index * row_height
        middle = y + row_height / 2
        length = bar_space * value / peak if peak else 0.0
        shown = _truncate(label, label_width - 6, font_size)
        parts.append(_text(label_width, _baseline(middle, font_size), shown, size=font_size, anchor="end"))
        parts.append(_rect(bar_left, middle - bar_height / 2, length, bar_height, fill=color))
        parts.append(_text(bar_left + length + 5, _baseline(middle, font_size), annotation, size=font_size))
    parts.append("</svg>")
    return Svg("".join(parts))


# ---------------------------------------------------------------------------------------------
# Line chart


@dataclass(frozen=True)
class Series:
    """One line: a value per category; ``None`` leaves a gap."""

    name: str
    values: Sequence[Number | None]
    color: str | None = None
    dashed: bool = False


def line_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str = "",
    y_format: Callable[[float], str] | None = None,
    width: int = 640,
    height: int = 280,
) -> Svg:
    """Monthly (or any ordered) series over shared categories, with a y grid and a legend."""
    if not series:
        raise ValueError("A line chart needs at least one series")
    for line in series:
        if len(line.values) != len(categories):
            raise ValueError(
                f"Series {line.name!r} has {len(line.values)} values for {len(categories)} categories"
            )
    fmt = y_format or format_number
    present = [float(value) for line in series for value in line.values if value is not None]
    low, high = min([0.0, *present]), max([0.0, *present])
    ticks = nice_ticks(low, high)

    font_size = 10.0
    top = (30.0 if title else 8.0) + 18  # legend row
    bottom = height - 24.0
    # Category labels are centred on their point: keep the first and last inside the picture.
    first_half = text_width(categories[0], font_size) / 2 if categories else 0
    last_half = text_width(categories[-1], font_size) / 2 if categories else 0
    left = max(max(text_width(fmt(tick), font_size) for tick in ticks) + 12, first_half + 2)
    right = width - max(12.0, last_half + 2)
    span = ticks[-1] - ticks[0] or 1.0

    def x_at(index: int) -> float:
        if len(categories) == 1:
            return (left + right) / 2
        return left + (right - left) * index / (len(categories) - 1)

    def y_at(value: float) -> float:
        return bottom - (bottom - top) * (value - ticks[0]) / span

    parts = [_svg_open(width, height)]
    if title:
        parts.append(_text(0, 18, title, size=13, weight="bold"))
    legend_x, legend_y = left, top - 12
    for index, line in enumerate(series):
        color = line.color or PALETTE[index % len(PALETTE)]
        parts.append(_line(legend_x, legend_y, legend_x + 18, legend_y, color, width=2, dashed=line.dashed))
        parts.append(_text(legend_x + 22, _baseline(legend_y, font_size), line.name, size=font_size))
        legend_x += 22 + text_width(line.name, font_size) + 18

    for tick in ticks:
        y = y_at(tick)
        parts.append(_line(left, y, right, y, GRID if tick else MUTED))
        parts.append(
            _text(left - 6, _baseline(y, font_size), fmt(tick), size=font_size, anchor="end", fill=MUTED)
        )

    # Thin the category labels so they never overlap.
    widest = max((text_width(category, font_size) for category in categories), default=0) + 8
    slot = (right - left) / max(len(categories) - 1, 1)
    step = max(1, math.ceil(widest / slot)) if len(categories) > 1 else 1
    for index, category in enumerate(categories):
        if index % step == 0:
            parts.append(
                _text(x_at(index), bottom + 15, category, size=font_size, anchor="middle", fill=MUTED)
            )

    for index, line in enumerate(series):
        color = line.color or PALETTE[index % len(PALETTE)]
        run: list[tuple[float, float]] = []
        runs = [run]
        for position, value in enumerate(line.values):
            if value is None:
                run = []
                runs.append(run)
            else:
                run.append((x_at(position), y_at(float(value))))
        for points in runs:
            if len(points) > 1:
                parts.append(_polyline(points, color, dashed=line.dashed))
            for x, y in points:
                parts.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.2" fill="{_attr(color)}"/>')
    parts.append("</svg>")
    return Svg("".join(parts))


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks covering [low, high], about ``count`` of them (1, 2, 2.5 or 5 × 10^n apart)."""
    if high <= low:
        high = low + 1
    raw_step = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    return [round(first + i * step, 10) for i in range(round((last - first) / step) + 1)]


# ---------------------------------------------------------------------------------------------
# Structure diagram

FlowKind = Literal["cash", "token", "asset", "service"]

# Where the usual parties of a tokenised ABS sit (column, row) when the caller gives no slot, chosen
# so that the usual flows run between neighbours and no arrow crosses a box: the SPV in the middle,
# the originator selling into it from the left, the trustee above, the custodian holding its
# accounts to the right with the servicer remitting collections from above and the investors
# subscribing from below, and the token platform under the SPV next to the investors.
STANDARD_SLOTS: dict[str, tuple[int, int]] = {
    "originator": (0, 1),
    "trustee": (1, 0),
    "servicer": (2, 0),
    "spv": (1, 1),
    "custodian": (2, 1),
    "token_platform": (1, 2),
    "investors": (2, 2),
}

BOX_FILL = "#f4f7fb"
ACCOUNT_GAP = 10.0  # room above each account for an arrowhead that ends at it

FLOW_STYLES: dict[str, tuple[str, bool]] = {  # kind -> (colour, dashed)
    "cash": ("#1f6f43", False),
    "token": ("#c8702a", True),
    "asset": ("#2f5d8a", False),
    "service": ("#6b6b6b", True),
}


@dataclass(frozen=True)
class Party:
    """A box in the diagram. Standard keys (see STANDARD_SLOTS) find their own place."""

    key: str
    label: str
    detail: str = ""  # e.g. the entity's name under its role
    slot: tuple[int, int] | None = None  # (column, row)


@dataclass(frozen=True)
class Account:
    """A named account drawn inside the party that holds it; flows may start or end at it."""

    key: str
    label: str
    holder: str


@dataclass(frozen=True)
class Flow:
    """A labelled arrow between two parties or accounts."""

    source: str
    target: str
    label: str
    kind: FlowKind = "cash"


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2


def structure_diagram(
    parties: Sequence[Party],
    flows: Sequence[Flow],
    *,
    accounts: Sequence[Account] = (),
    title: str = "",
    legend: Mapping[str, str] | None = None,
    width: int = 680,
) -> Svg:
    """Boxes for the parties on a grid, their accounts inside them, arrows for cash and token flows.

    ``legend`` maps flow kinds to their (translated) names, e.g. ``{"cash": _("Cash flow")}``; the
    legend shows the kinds that occur in ``flows``.
    """
    slots = _place(parties)
    keys = [party.key for party in parties] + [account.key for account in accounts]
    if len(set(keys)) != len(keys):
        raise ValueError("Party and account keys must be unique")
    holders = {party.key for party in parties}
    for account in accounts:
        if account.holder not in holders:
            raise ValueError(f"Account {account.key!r} is held by unknown party {account.holder!r}")
    owner = {party.key: party.key for party in parties} | {
        account.key: account.holder for account in accounts
    }
    for flow in flows:
        for end in (flow.source, flow.target):
            if end not in keys:
                raise ValueError(f"Flow {flow.label!r} refers to unknown party or account {end!r}")
        if owner[flow.source] == owner[flow.target]:
            raise ValueError(f"Flow {flow.label!r} stays inside one party's box and cannot be drawn")
        if flow.kind not in FLOW_STYLES:
            raise ValueError(f"Unknown flow kind {flow.kind!r}")

    columns = max(column for column, _ in slots.values()) + 1
    rows = max(row for _, row in slots.values()) + 1
    margin, gap_x, gap_y = 4.0, 70.0, 64.0
    font_size, small = 11.0, 9.0
    box_w = min(170.0, (width - 2 * margin - gap_x * (columns - 1)) / columns)
    cell_w = (width - 2 * margin - box_w) / max(columns - 1, 1)
    held: dict[str, list[Account]] = defaultdict(list)
    for account in accounts:
        held[account.holder].append(account)

    label_lines = {party.key: wrap(party.label, box_w - 12, font_size) for party in parties}
    detail_lines = {
        party.key: wrap(party.detail, box_w - 12, small) if party.detail else [] for party in parties
    }
    account_lines = {account.key: wrap(account.label, box_w - 24, small) for account in accounts}

    def box_height(party: Party) -> float:
        text = 16 * len(label_lines[party.key]) + 13 * len(detail_lines[party.key])
        inside = sum(4 + 12 * len(account_lines[account.key]) + ACCOUNT_GAP for account in held[party.key])
        return 14 + text + inside

    row_heights = [0.0] * rows
    for party in parties:
        column, row = slots[party.key]
        row_heights[row] = max(row_heights[row], box_height(party))
    top = 30.0 if title else margin
    row_tops = [top + sum(row_heights[:row]) + gap_y * row for row in range(rows)]

    # Layers, bottom to top: boxes, arrow shafts, box text and accounts, arrowheads, arrow labels.
    # Shafts run under a party's name and its other accounts instead of striking through them, and
    # an arrow that ends at an account still shows its head in the gap above or below that account.
    boxes: dict[str, _Box] = {}
    shapes: list[str] = []
    overlays: list[str] = []
    for party in parties:
        column, row = slots[party.key]
        h = box_height(party)
        x = margin + (column * cell_w if columns > 1 else (width - 2 * margin - box_w) / 2)
        y = row_tops[row] + (row_heights[row] - h) / 2
        boxes[party.key] = _Box(x, y, box_w, h)
        shapes.append(_rect(x, y, box_w, h, fill=BOX_FILL, stroke=PALETTE[0], radius=4))
        header_h = 16 * len(label_lines[party.key]) + 13 * len(detail_lines[party.key])
        overlays.append(_rect(x + 1, y + 8, box_w - 2, header_h + 2, fill=BOX_FILL))
        cursor = y + 8
        for line in label_lines[party.key]:
            cursor += 16
            overlays.append(
                _text(x + box_w / 2, cursor - 4, line, size=font_size, anchor="middle", weight="bold")
            )
        for line in detail_lines[party.key]:
            cursor += 13
            overlays.append(_text(x + box_w / 2, cursor - 3, line, size=small, anchor="middle", fill=MUTED))
        cursor += ACCOUNT_GAP
        for account in held[party.key]:
            lines = account_lines[account.key]
            account_h = 4 + 12 * len(lines)
            boxes[account.key] = _Box(x + 10, cursor, box_w - 20, account_h)
            overlays.append(
                _rect(x + 10, cursor, box_w - 20, account_h, fill="#ffffff", stroke=MUTED, dashed=True)
            )
            for number, line in enumerate(lines):
                overlays.append(
                    _text(x + box_w / 2, cursor + 12 * (number + 1) - 1, line, size=small, anchor="middle")
                )
            cursor += account_h + ACCOUNT_GAP

    # Arrows between the same two parties (or their accounts) run side by side, labels staggered.
    owner = {party.key: party.key for party in parties} | {
        account.key: account.holder for account in accounts
    }
    groups: dict[frozenset[str], list[Flow]] = defaultdict(list)
    for flow in flows:
        groups[frozenset((owner[flow.source], owner[flow.target]))].append(flow)
    shafts: list[str] = []
    heads: list[str] = []
    labels: list[str] = []
    for group in groups.values():
        for index, flow in enumerate(group):
            # Offsets are measured against one fixed orientation of the pair so opposite arrows separate.
            sign = 1 if owner[flow.source] < owner[flow.target] else -1
            shift = (index - (len(group) - 1) / 2) * 12 * sign
            where = 0.5 if len(group) == 1 else 0.3 + 0.4 * index / (len(group) - 1)
            if sign < 0:
                where = 1 - where
            side = 0.0 if len(group) == 1 else math.copysign(1.0, shift)
            shaft, head, label = _arrow(boxes[flow.source], boxes[flow.target], shift, flow, where, side)
            shafts.append(shaft)
            heads.append(head)
            labels.append(label)
    parts = shapes + shafts + overlays + heads + labels

    height = max(box.y + box.h for box in boxes.values()) + margin
    kinds = [kind for kind in FLOW_STYLES if any(flow.kind == kind for flow in flows)]
    if legend and kinds:
        legend_y = height + 14
        x = margin
        for kind in kinds:
            if kind not in legend:
                continue
            colour, dashed = FLOW_STYLES[kind]
            parts.append(_line(x, legend_y, x + 26, legend_y, colour, width=1.6, dashed=dashed))
            parts.append(_arrowhead(x + 26, legend_y, 1.0, 0.0, colour))
            parts.append(_text(x + 32, _baseline(legend_y, small), legend[kind], size=small))
            x += 50 + text_width(legend[kind], small)
        height = legend_y + 10
    if title:
        parts.insert(0, _text(0, 18, title, size=13, weight="bold"))
    return Svg(_svg_open(width, height) + "".join(parts) + "</svg>")


def _place(parties: Sequence[Party]) -> dict[str, tuple[int, int]]:
    if not parties:
        raise ValueError("A structure diagram needs at least one party")
    slots: dict[str, tuple[int, int]] = {}
    for party in parties:
        slot = party.slot or STANDARD_SLOTS.get(party.key)
        if slot is not None:
            if slot in slots.values():
                raise ValueError(f"Two parties share the slot {slot}")
            slots[party.key] = slot
    columns = max([column for column, _ in slots.values()] + [2]) + 1
    free = (divmod(index, columns)[::-1] for index in range(10_000))
    for party in parties:
        if party.key not in slots:
            slots[party.key] = next(slot for slot in free if slot not in slots.values())
    return slots


def _arrow(
    start: _Box, end: _Box, shift: float, flow: Flow, where: float, side: float = 0.0
) -> tuple[str, str, str]:
    """Shaft, head and label of the arrow from box to box, moved ``shift`` sideways, label at ``where``.

    ``side`` (±1) puts the label of one of several side-by-side arrows beside its own shaft: between
    two boxes in one row the gap is short, and labels centred on the shafts would cover each other.
    """
    (x1, y1), (x2, y2) = start.centre, end.centre
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    nx, ny = -uy * shift, ux * shift
    p1, p2 = (x1 + nx, y1 + ny), (x2 + nx, y2 + ny)
    t_start = _clip(p1, p2, start)[1]
    t_end = _clip(p1, p2, end)[0]
    ax, ay = p1[0] + (p2[0] - p1[0]) * t_start, p1[1] + (p2[1] - p1[1]) * t_start
    bx, by = p1[0] + (p2[0] - p1[0]) * t_end, p1[1] + (p2[1] - p1[1]) * t_end
    colour, dashed = FLOW_STYLES[flow.kind]
    shaft_end = (bx - ux * 6, by - uy * 6)
    shaft = _line(ax, ay, *shaft_end, colour, width=1.4, dashed=dashed)
    head = _arrowhead(bx, by, ux, uy, colour)

    lx, ly = ax + (bx - ax) * where, ay + (by - ay) * where
    lines = wrap(flow.label, 120, 9.0)
    label_w = max(text_width(line, 9.0) for line in lines) + 6
    label_h = 12 * len(lines) + 2
    if side and abs(ux) > abs(uy):
        lx, ly = lx - uy * side * (label_h / 2 + 3), ly + ux * side * (label_h / 2 + 3)
    label = [_rect(lx - label_w / 2, ly - label_h / 2, label_w, label_h, fill="#ffffff")]
    for number, line in enumerate(lines):
        baseline = ly - label_h / 2 + 11 + 12 * number
        label.append(_text(lx, baseline, line, size=9.0, anchor="middle", fill=colour))
    return shaft, head, "".join(label)


def _clip(p1: tuple[float, float], p2: tuple[float, float], box: _Box) -> tuple[float, float]:
    """Liang-Barsky: the parameter range of segment p1→p2 that lies inside the box."""
    t0, t1 = 0.0, 1.0
    dx, dy = p2[0] - p1[0], p2[1] - p1[1]
    for p, q in (
        (-dx, p1[0] - box.x),
        (dx, box.x + box.w - p1[0]),
        (-dy, p1[1] - box.y),
        (dy, box.y + box.h - p1[1]),
    ):
        if p == 0:
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
    return t0, t1


# ---------------------------------------------------------------------------------------------
# Text and SVG helpers


def text_width(text: str, size: float) -> float:
    """Estimated advance width: full-width (CJK) characters 1 em, others 0.58 em."""
    return sum(size if unicodedata.east_asian_width(char) in "WF" else size * 0.58 for char in text)


def wrap(text: str, max_width: float, size: float) -> list[str]:
    """Break text into lines no wider than ``max_width``: at spaces, or between any CJK characters."""
    lines: list[str] = []
    line = ""
    for token in re.findall(r"\s+|[A-Za-z0-9.,:;%()/&'+\-]+|.", text.strip()):
        candidate = line + token
        if line and text_width(candidate.rstrip(), size) > max_width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line = candidate
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def format_number(value: float) -> str:
    """Thousands separators; decimals only when the value has them."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def format_percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def _truncate(text: str, max_width: float, size: float) -> str:
    if text_width(text, size) <= max_width:
        return text
    while text and text_width(text + "…", size) > max_width:
        text = text[:-1]
    return text + "…"


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _attr(value: str) -> str:
    return escape(_clean(value), quote=True)


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _baseline(middle: float, size: float) -> float:
    # Baseline that centres a line of text on ``middle`` (CJK ascent ≈ 0.88 em, descent ≈ 0.12 em).
    return middle + size * 0.36


def _svg_open(width: float, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" font-family="{_attr(FONT_FAMILY)}">'
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float,
    anchor: str = "start",
    weight: str = "normal",
    fill: str = INK,
) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{_attr(fill)}">{escape(_clean(text), quote=False)}</text>'
    )


def _rect(
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    fill: str = "none",
    stroke: str | None = None,
    radius: float = 0,
    dashed: bool = False,
) -> str:
    extra = f' stroke="{_attr(stroke)}" stroke-width="0.8"' if stroke else ""
    extra += ' stroke-dasharray="3 2"' if dashed else ""
    extra += f' rx="{_n(radius)}"' if radius else ""
    box = f'x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(h)}"'
    return f'<rect {box} fill="{_attr(fill)}"{extra}/>'


def _line(
    x1: float, y1: float, x2: float, y2: float, colour: str, *, width: float = 0.8, dashed: bool = False
) -> str:
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
        f'stroke="{_attr(colour)}" stroke-width="{_n(width)}"{dash}/>'
    )


def _polyline(points: Sequence[tuple[float, float]], colour: str, *, dashed: bool) -> str:
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
    return f'<polyline points="{coords}" fill="none" stroke="{_attr(colour)}" stroke-width="1.6"{dash}/>'


def _arrowhead(x: float, y: float, ux: float, uy: float, colour: str) -> str:
    size = 7.0
    bx, by = x - ux * size, y - uy * size
    left = (bx - uy * size * 0.45, by + ux * size * 0.45)
    right = (bx + uy * size * 0.45, by - ux * size * 0.45)
    points = f"{_n(x)},{_n(y)} {_n(left[0])},{_n(left[1])} {_n(right[0])},{_n(right[1])}"
    return f'<polygon points="{points}" fill="{_attr(colour)}"/>'
