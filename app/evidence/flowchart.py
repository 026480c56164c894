"""The supply-chain flow chart of an evidence pack: a layout, drawn as SVG (HTML) and on a PDF page.

CBP asks for a flow chart with every party's role, name and address and numbered steps. The layout is
computed once from the pack (tiers as columns: the importer's product on the left, raw materials on the
right; one box per supply-map state; arrows carry the step numbers and point the way goods move) and
then painted by two small painters, so the HTML page and the PDF show the same chart. No graphviz: the
layout is ours, deterministic, and needs no binary on the server.

Boxes at a facility with a presumption finding are red, with a review finding amber; untraced inputs
are dashed boxes, and a link closing a loop is a dashed arrow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from app.evidence.pack import EvidencePack, PackParty
from app.trace.models import Role, Severity

if TYPE_CHECKING:
    from fpdf import FPDF

BOX_W = 210.0
BOX_H = 66.0
COL_GAP = 70.0
ROW_GAP = 16.0
TIER_GAP_V = 46.0
#: baseline of a box's first line and the distance between lines
LINE_Y0 = 15.0
LINE_H = 14.0
MARGIN = 12.0
LEGEND_H = 30.0
FONT_SIZE = 9.5
#: average glyph width over font size for a sans-serif face, used to fit text into boxes
CHAR_WIDTH = 0.56
ROLE_WORD = {
    Role.MANUFACTURE: "makes",
    Role.RESALE: "resells",
    Role.ORIGIN: "origin of",
    Role.UNTRACED: "untraced",
    Role.PRODUCT: "product",
}


class BoxStyle(StrEnum):
    PRODUCT = "product"
    PARTY = "party"
    PRESUMPTION = "presumption"
    REVIEW = "review"
    GAP = "gap"


#: (fill, stroke) per style, as hex RGB
COLOURS = {
    BoxStyle.PRODUCT: ("#e3ecf7", "#2b5797"),
    BoxStyle.PARTY: ("#ffffff", "#5f6b7a"),
    BoxStyle.PRESUMPTION: ("#fde2e1", "#c62828"),
    BoxStyle.REVIEW: ("#fff1d6", "#c77800"),
    BoxStyle.GAP: ("#fafafa", "#8a8a8a"),
}
LEGEND = (
    (BoxStyle.PRESUMPTION, "presumption (XUAR or listed)"),
    (BoxStyle.REVIEW, "needs review"),
    (BoxStyle.GAP, "untraced input"),
    (BoxStyle.PARTY, "no finding"),
)
LEGEND_NOTE = "arrows: goods moving to the buyer, numbered by step"
#: the legend's width on one line, so the chart is never narrower
LEGEND_W = sum(30 + len(text) * FONT_SIZE * CHAR_WIDTH for _, text in LEGEND) + len(LEGEND_NOTE) * 5.5


@dataclass(frozen=True)
class Box:
    id: str
    x: float
    y: float
    lines: tuple[str, ...]
    style: BoxStyle
    bold: int  # how many leading lines are the name, drawn bold


@dataclass(frozen=True)
class Arrow:
    """Goods moving from (x1, y1) at the supplier to (x2, y2) at the buyer, labelled with the step."""

    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    dashed: bool


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]


def fit(text: str, width: float = BOX_W - 12, size: float = FONT_SIZE) -> str:
    """Shorten `text` with an ellipsis to about `width` at `size` (an estimate: both painters use it)."""
    limit = max(4, int(width / (size * CHAR_WIDTH)))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap2(text: str, width: float = BOX_W - 12, size: float = FONT_SIZE) -> tuple[str, ...]:
    """`text` on up to two lines, broken at a space, the second shortened if need be."""
    limit = max(4, int(width / (size * CHAR_WIDTH)))
    if len(text) <= limit:
        return (text,)
    cut = text.rfind(" ", 0, limit + 1)
    cut = cut if cut > limit // 2 else limit
    return text[:cut].rstrip(), fit(text[cut:].strip(), width, size)


def _party_lines(
    party: PackParty | None, facility_id: str, role: Role, item: str, tier: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    name = party.name if party else facility_id
    place = ", ".join(p for p in ((party.city if party else None), (party.country if party else None)) if p)
    return wrap2(name), (fit(f"tier {tier}: {ROLE_WORD[role]} {item}"), fit(place or "location not recorded"))


def layout(pack: EvidencePack, vertical: bool = False) -> Layout:
    """Place every state of the chain by tier, ordered within a tier to keep arrows short.

    Tiers are columns (product on the left, raw materials on the right) or, `vertical`, rows
    (product on top): a deep chain fits a landscape page better as rows.
    """
    parties = {p.party_id: p for p in pack.parties}
    tier_of: dict[str, int] = {}
    lines: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    style: dict[str, BoxStyle] = {}
    buyers: dict[str, set[str]] = defaultdict(set)
    root = pack.subject.state
    tier_of[root] = 0
    lines[root] = (
        wrap2(pack.subject.name),
        (fit(f"{pack.subject.kind.value} {pack.subject.id}"), fit(f"importer: {pack.tenant}")),
    )
    style[root] = BoxStyle.PRODUCT
    for step in pack.steps:
        state = step.supplier_state
        buyers[state].add(step.buyer_state)
        if step.cycle and state in tier_of:
            continue
        tier_of[state] = min(tier_of.get(state, step.tier), step.tier)
        party = parties.get(f"facility:{step.supplier_facility_id}")
        lines[state] = _party_lines(
            party,
            step.supplier_facility_id or state,
            step.supplier_role,
            step.item_name or step.item_id,
            tier_of[state],
        )
        risk = step.risk
        style[state] = (
            BoxStyle.PRESUMPTION
            if risk is Severity.PRESUMPTION
            else BoxStyle.REVIEW
            if risk is Severity.REVIEW
            else BoxStyle.PARTY
        )
    for gap in pack.gaps:
        node = f"gap:{gap.number}"
        tier_of[node] = tier_of.get(gap.at_state, 0) + 1
        buyers[node].add(gap.at_state)
        lines[node] = (
            wrap2(f"{gap.number}: {gap.item_name or gap.item_id}"),
            (
                fit(f"untraced ({gap.reason.replace('_', ' ')})"),
                fit(f"needed at {gap.at_facility_name or 'the importer'}"),
            ),
        )
        style[node] = BoxStyle.GAP

    order: dict[str, int] = {}
    by_tier: dict[int, list[str]] = defaultdict(list)
    for node, tier in tier_of.items():
        by_tier[tier].append(node)
    for tier in sorted(by_tier):
        # barycentre of the buyers already placed: suppliers sit level with whom they supply
        weights = {}
        for node in by_tier[tier]:
            placed = [order[b] for b in buyers.get(node, ()) if b in order and tier_of[b] < tier]
            weights[node] = (sum(placed) / len(placed) if placed else 0.0, node)
        slot = -1  # a slot level with the buyers if free, else the next one: no overlaps, short arrows
        for node in sorted(by_tier[tier], key=weights.__getitem__):
            slot = max(slot + 1, round(weights[node][0]))
            order[node] = slot

    along, across = (BOX_H + TIER_GAP_V, BOX_W + ROW_GAP) if vertical else (BOX_W + COL_GAP, BOX_H + ROW_GAP)

    def place(node: str) -> tuple[float, float]:
        a, b = MARGIN + tier_of[node] * along, MARGIN + order[node] * across
        return (b, a) if vertical else (a, b)

    boxes = {
        node: Box(
            id=node,
            x=place(node)[0],
            y=place(node)[1],
            lines=lines[node][0] + lines[node][1],
            style=style[node],
            bold=len(lines[node][0]),
        )
        for node in sorted(tier_of, key=lambda n: (tier_of[n], order[n]))
    }
    arrows = [
        _arrow(boxes[s.supplier_state], boxes[s.buyer_state], str(s.step), s.cycle, vertical)
        for s in pack.steps
    ]
    arrows += [
        _arrow(boxes[f"gap:{g.number}"], boxes[g.at_state], "?", True, vertical)
        for g in pack.gaps
        if g.at_state in boxes
    ]
    width = max(max(b.x for b in boxes.values()) + BOX_W + MARGIN, MARGIN * 2 + LEGEND_W)
    height = max(b.y for b in boxes.values()) + BOX_H + MARGIN + LEGEND_H
    return Layout(width=width, height=height, boxes=tuple(boxes.values()), arrows=tuple(arrows))


def best_layout(pack: EvidencePack, width: float, height: float) -> Layout:
    """The orientation that shows the chart largest in a `width` x `height` area."""
    scales = []
    for vertical in (False, True):
        chart = layout(pack, vertical)
        scales.append((min(width / chart.width, height / chart.height), not vertical, chart))
    return max(scales, key=lambda s: (s[0], s[1]))[2]


def _arrow(supplier: Box, buyer: Box, label: str, dashed: bool, vertical: bool) -> Arrow:
    if vertical and supplier.y > buyer.y:  # upstream below: leave from its top into the buyer's bottom
        return Arrow(supplier.x + BOX_W / 2, supplier.y, buyer.x + BOX_W / 2, buyer.y + BOX_H, label, dashed)
    if not vertical and supplier.x > buyer.x:  # upstream on the right: from its left into the buyer's right
        return Arrow(supplier.x, supplier.y + BOX_H / 2, buyer.x + BOX_W, buyer.y + BOX_H / 2, label, dashed)
    # a loop back to the same or an earlier tier: along the boxes' far side
    if vertical:
        return Arrow(
            supplier.x + BOX_W, supplier.y + BOX_H / 2, buyer.x + BOX_W, buyer.y + BOX_H / 2, label, dashed
        )
    return Arrow(
        supplier.x + BOX_W / 2, supplier.y + BOX_H, buyer.x + BOX_W / 2, buyer.y + BOX_H, label, dashed
    )


def label_point(arrow: Arrow) -> tuple[float, float]:
    """Where a step number sits: a third of the way from the supplier, so fan-ins do not collide."""
    return arrow.x1 + (arrow.x2 - arrow.x1) * 0.3, arrow.y1 + (arrow.y2 - arrow.y1) * 0.3


def _head(arrow: Arrow, size: float = 7.0) -> list[tuple[float, float]]:
    dx, dy = arrow.x2 - arrow.x1, arrow.y2 - arrow.y1
    length = max((dx * dx + dy * dy) ** 0.5, 1e-9)
    ux, uy = dx / length, dy / length
    bx, by = arrow.x2 - ux * size, arrow.y2 - uy * size
    return [
        (arrow.x2, arrow.y2),
        (bx - uy * size / 2, by + ux * size / 2),
        (bx + uy * size / 2, by - ux * size / 2),
    ]


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# -- SVG ------------------------------------------------------------------------------------------------


def to_svg(chart: Layout, title: str) -> str:
    """The chart as a standalone SVG document (inline in the HTML page)."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(chart.width)} {_n(chart.height)}" '
        f'width="{_n(chart.width)}" height="{_n(chart.height)}" role="img" aria-label={quoteattr(title)} '
        f'font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
    ]
    for arrow in chart.arrows:
        dash = ' stroke-dasharray="5 4"' if arrow.dashed else ""
        head = " ".join(f"{_n(x)},{_n(y)}" for x, y in _head(arrow))
        lx, ly = label_point(arrow)
        out.append(
            f'<g class="step"><line x1="{_n(arrow.x1)}" y1="{_n(arrow.y1)}" x2="{_n(arrow.x2)}" '
            f'y2="{_n(arrow.y2)}" stroke="#444"{dash}/><polygon points="{head}" fill="#444"/>'
            f'<circle cx="{_n(lx)}" cy="{_n(ly)}" r="9" fill="#fff" stroke="#444"/>'
            f'<text x="{_n(lx)}" y="{_n(ly + 3.3)}" text-anchor="middle" font-size="9">'
            f"{escape(arrow.label)}</text></g>"
        )
    for box in chart.boxes:
        fill, stroke = COLOURS[box.style]
        dash = ' stroke-dasharray="5 3"' if box.style is BoxStyle.GAP else ""
        out.append(
            f'<g class="box {box.style.value}"><rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(BOX_W)}" '
            f'height="{_n(BOX_H)}" rx="4" fill="{fill}" stroke="{stroke}" stroke-width="1.4"{dash}/>'
        )
        for i, line in enumerate(box.lines):
            weight = ' font-weight="bold"' if i < box.bold else ""
            y = box.y + LINE_Y0 + i * LINE_H
            out.append(f'<text x="{_n(box.x + 6)}" y="{_n(y)}"{weight}>{escape(line)}</text>')
        out.append("</g>")
    x, y = MARGIN, chart.height - LEGEND_H + 10
    for legend_style, text in LEGEND:
        fill, stroke = COLOURS[legend_style]
        dash = ' stroke-dasharray="3 2"' if legend_style is BoxStyle.GAP else ""
        out.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="14" height="10" fill="{fill}" stroke="{stroke}"{dash}/>'
            f'<text x="{_n(x + 18)}" y="{_n(y + 9)}">{escape(text)}</text>'
        )
        x += 30 + len(text) * FONT_SIZE * CHAR_WIDTH
    out.append(
        f'<text x="{_n(x)}" y="{_n(y + 9)}">arrows: goods moving to the buyer, numbered by step</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


# -- PDF ------------------------------------------------------------------------------------------------


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def draw_pdf(
    pdf: FPDF, chart: Layout, x0: float, y0: float, width: float, family: str, text: Callable[[str], str]
) -> float:
    """Paint the chart at (x0, y0) scaled to `width` (PDF units); returns the height used.

    Text is real PDF text in the document's fonts (passed through `text`, which fits it to what the
    fonts can show), so it can be searched and copied.
    """
    scale = min(width / chart.width, 1.0)
    pt = FONT_SIZE * scale * pdf.k  # a layout unit is `scale` PDF units; `k` is points per PDF unit

    def at(x: float, y: float) -> tuple[float, float]:
        return x0 + x * scale, y0 + y * scale

    pdf.set_line_width(0.25)
    for arrow in chart.arrows:
        pdf.set_draw_color(68, 68, 68)
        pdf.set_fill_color(68, 68, 68)
        if arrow.dashed:
            pdf.set_dash_pattern(dash=1.2, gap=1)
        pdf.line(*at(arrow.x1, arrow.y1), *at(arrow.x2, arrow.y2))
        pdf.set_dash_pattern()
        pdf.polygon([at(x, y) for x, y in _head(arrow)], style="F")
        lx, ly = at(*label_point(arrow))
        pdf.set_fill_color(255, 255, 255)
        pdf.circle(lx, ly, 9 * scale, style="DF")
        pdf.set_font(family, "", pt * 0.95)
        label_w = pdf.get_string_width(arrow.label)
        pdf.text(lx - label_w / 2, ly + pt * 0.35 / pdf.k, arrow.label)
    for box in chart.boxes:
        fill, stroke = COLOURS[box.style]
        pdf.set_fill_color(*_rgb(fill))
        pdf.set_draw_color(*_rgb(stroke))
        if box.style is BoxStyle.GAP:
            pdf.set_dash_pattern(dash=1.2, gap=0.8)
        x, y = at(box.x, box.y)
        pdf.rect(x, y, BOX_W * scale, BOX_H * scale, style="DF", round_corners=True, corner_radius=4 * scale)
        pdf.set_dash_pattern()
        for i, line in enumerate(box.lines):
            pdf.set_font(family, "B" if i < box.bold else "", pt)
            size = pt
            while pdf.get_string_width(text(line)) > (BOX_W - 10) * scale and size > 3:
                size -= 0.25
                pdf.set_font(family, "B" if i < box.bold else "", size)
            pdf.text(*at(box.x + 6, box.y + LINE_Y0 + i * LINE_H), text(line))
    x, y = MARGIN, chart.height - LEGEND_H + 10
    pdf.set_font(family, "", pt)
    for legend_style, caption in LEGEND:
        fill, stroke = COLOURS[legend_style]
        pdf.set_fill_color(*_rgb(fill))
        pdf.set_draw_color(*_rgb(stroke))
        pdf.rect(*at(x, y), 14 * scale, 10 * scale, style="DF")
        pdf.text(*at(x + 18, y + 9), caption)
        x += 30 + len(caption) * FONT_SIZE * CHAR_WIDTH
    pdf.text(*at(x, y + 9), LEGEND_NOTE)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)
    return chart.height * scale
