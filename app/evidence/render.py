"""The evidence pack in each format: JSON (the model), CSV (a zip of tables), HTML (one printable page)
and PDF (drawn in process by fpdf2 from the same model, not printed by a browser).

Every renderer is a pure function of the pack, and byte-identical for identical packs: the zip entries
and the PDF carry the pack's `stamped_at` as their date, and the PDF's file ID is derived from its
content and that date. Nothing reads the clock.

Fonts for the PDF: DejaVu Sans (Debian's `fonts-dejavu-core`, on every machine image of the project)
covers Latin, Vietnamese, Greek and Cyrillic; a CJK font found on the machine (Droid Sans Fallback from
`fonts-droid-fallback`, WenQuanYi, Noto CJK) is added as a fallback for Chinese names. Text that no
available font can show is transliterated (Chinese to pinyin, accents stripped) and the PDF says so;
the JSON, CSV and HTML formats always carry names as loaded.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace, TextStyle, TTFFont
from fpdf.outline import TableOfContents
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel

from app.evidence.flowchart import best_layout, draw_pdf, to_svg
from app.evidence.pack import EvidencePack
from app.trace.models import Severity, Verdict

TEMPLATES = Path(__file__).parent / "templates"
#: the printed page's area for the chart (A4 landscape less margins, in mm): the HTML chart is laid
#: out for print, like the PDF's
HTML_CHART_AREA = (273.0, 170.0)


class PackFormat(StrEnum):
    """The formats a pack is served in, with their media types and file extensions."""

    JSON = "json"
    CSV = "csv"
    HTML = "html"
    PDF = "pdf"

    @property
    def media_type(self) -> str:
        return {
            PackFormat.JSON: "application/json",
            PackFormat.CSV: "application/zip",
            PackFormat.HTML: "text/html; charset=utf-8",
            PackFormat.PDF: "application/pdf",
        }[self]

    @property
    def extension(self) -> str:
        return "zip" if self is PackFormat.CSV else self.value


def render(pack: EvidencePack, fmt: PackFormat) -> bytes:
    """The pack in `fmt`; the one entry point the API and the CLI use."""
    renderers: dict[PackFormat, Callable[[EvidencePack], bytes]] = {
        PackFormat.JSON: render_json,
        PackFormat.CSV: render_csv,
        PackFormat.HTML: render_html,
        PackFormat.PDF: render_pdf,
    }
    return renderers[fmt](pack)


def filename(pack: EvidencePack, fmt: PackFormat) -> str:
    """`evidence-pack-<id>-<data version, 8 characters>.<ext>`: distinct per subject, data and format."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in pack.subject.id)
    return f"evidence-pack-{safe}-{pack.data_version[:8]}.{fmt.extension}"


# -- JSON ---------------------------------------------------------------------------------------------


def render_json(pack: EvidencePack) -> bytes:
    """The pack model itself, indented for people who open it, with a final newline."""
    return pack.model_dump_json(indent=2).encode("utf-8") + b"\n"


# -- CSV ----------------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(_cell(v) for v in value)
    return str(value)


def _flat(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects become `<field>_<member>` columns; lists become `|`-separated cells."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}_"))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _table(model: type[BaseModel], rows: Sequence[BaseModel]) -> bytes:
    """A CSV table whose columns are the model's fields, in the model's order (headers even when empty)."""
    example: dict[str, Any] = {name: None for name in model.model_fields}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            example[name] = {k: None for k in annotation.model_fields}
    header = list(_flat(example))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        flat = _flat(row.model_dump(mode="json"))
        writer.writerow([_cell(flat.get(column)) for column in header])
    return buffer.getvalue().encode("utf-8")


def _summary_table(pack: EvidencePack) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["field", "value"])
    rows: list[tuple[str, Any]] = [
        ("pack_version", pack.pack_version),
        ("subject_kind", pack.subject.kind.value),
        ("subject_id", pack.subject.id),
        ("subject_name", pack.subject.name),
        ("product_id", pack.subject.product_id),
        ("tenant", pack.tenant),
        ("data_version", pack.data_version),
        ("stamped_at", pack.stamped_at.isoformat()),
        ("verdict", pack.verdict.value),
        ("verdict_text", pack.verdict_text),
        *((f"count_{k}", v) for k, v in pack.counts.model_dump().items()),
    ]
    if pack.readiness is not None:
        rows += [(f"readiness_{k}", v) for k, v in pack.readiness.model_dump(mode="json").items()]
    rows += [(f"executive_summary_{i}", text) for i, text in enumerate(pack.executive_summary, 1)]
    for key, value in rows:
        writer.writerow([key, _cell(value)])
    return buffer.getvalue().encode("utf-8")


#: the tables of the CSV zip, in archive order
CSV_TABLES = (
    "summary.csv",
    "steps.csv",
    "parties.csv",
    "findings.csv",
    "gaps.csv",
    "missing_documents.csv",
    "mass_balance.csv",
    "exhibits.csv",
    "references.csv",
)


def render_csv(pack: EvidencePack) -> bytes:
    """A zip of one CSV table per section (UTF-8, RFC 4180, list cells `|`-separated as in bundles)."""
    fields = EvidencePack.model_fields
    tables = {
        "summary.csv": _summary_table(pack),
        **{
            f"{name}.csv": _table(_row_model(fields[name].annotation), getattr(pack, name))
            for name in (
                "steps",
                "parties",
                "findings",
                "gaps",
                "missing_documents",
                "mass_balance",
                "exhibits",
            )
        },
        "references.csv": _table(
            _row_model(fields["reference_versions"].annotation), pack.reference_versions
        ),
    }
    stamp = (pack.stamped_at.year, pack.stamped_at.month, pack.stamped_at.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in CSV_TABLES:
            info = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, tables[name])
    return buffer.getvalue()


def _row_model(annotation: Any) -> type[BaseModel]:
    """`list[X]` -> X."""
    (model,) = annotation.__args__
    assert isinstance(model, type) and issubclass(model, BaseModel)
    return model


# -- HTML ---------------------------------------------------------------------------------------------


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pct"] = lambda v: "" if v is None else f"{v:.0%}"
    env.filters["join_steps"] = lambda steps: " → ".join(str(s) for s in steps)
    return env


def chart_title(pack: EvidencePack) -> str:
    return f"Supply-chain flow chart of {pack.subject.name} ({pack.subject.id})"


def render_html(pack: EvidencePack) -> bytes:
    """One printable page (print CSS included) with the flow chart inline as SVG."""
    svg = to_svg(best_layout(pack, *HTML_CHART_AREA), chart_title(pack))
    page = _environment().get_template("pack.html.j2").render(pack=pack, chart=Markup(svg))
    return page.encode("utf-8")


# -- PDF ----------------------------------------------------------------------------------------------

REGULAR_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)
BOLD_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
)
#: fonts with Chinese glyphs, first found wins: Debian's fonts-droid-fallback, fonts-wqy-*, Noto CJK
CJK_CANDIDATES = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


@dataclass(frozen=True)
class PdfFonts:
    """Font files for the PDF; `regular=None` means the PDF core font with Latin-1 text only."""

    regular: Path | None
    bold: Path | None = None
    cjk: Path | None = None


def _first(paths: Iterable[str]) -> Path | None:
    return next((Path(p) for p in paths if Path(p).is_file()), None)


@cache
def find_fonts() -> PdfFonts:
    """The best fonts this machine has (see the module docstring)."""
    regular = _first(REGULAR_CANDIDATES)
    if regular is None:
        return PdfFonts(regular=None)
    return PdfFonts(regular=regular, bold=_first(BOLD_CANDIDATES), cjk=_first(CJK_CANDIDATES))


def transliterate(text: str, covered: frozenset[int]) -> str:
    """`text` with every character the fonts lack replaced: Chinese by pinyin, others by their base
    letter, or `?`. Lossy, so the PDF notes it; the other formats keep the text as loaded."""
    from pypinyin import lazy_pinyin

    pieces: list[tuple[bool, str]] = []  # (is a pinyin run, text)
    run: list[str] = []

    def flush() -> None:
        if run:
            pieces.append((True, " ".join(w.capitalize() for w in lazy_pinyin("".join(run)))))
            run.clear()

    for ch in text:
        if ch == "\n" or ord(ch) in covered:
            flush()
            pieces.append((False, ch))
        elif "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
            run.append(ch)
        else:
            flush()
            base = "".join(c for c in unicodedata.normalize("NFKD", STROKED.get(ch, ch)) if ord(c) in covered)
            pieces.append((False, base or ("(" if ch == "（" else ")" if ch == "）" else "?")))
    flush()
    out = ""
    after_run = False
    for is_run, piece in pieces:  # pinyin is words of its own: spaced from letters, not from brackets
        if (is_run and out and out[-1] not in " \n([") or (after_run and piece[:1] not in " \n)],.;:"):
            out += " "
        out += piece
        after_run = is_run
    return out


def _cmap(pdf: FPDF, family: str) -> frozenset[int]:
    font = pdf.fonts[family]
    return frozenset(font.cmap) if isinstance(font, TTFFont) else frozenset(range(32, 256))


#: letters whose base letter Unicode does not decompose to (Vietnamese, Polish, Croatian, ...)
STROKED = {"Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "Ħ": "H", "ħ": "h", "ı": "i"}


class _PackPdf(FPDF):
    def __init__(self, pack: EvidencePack, family: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.pack = pack
        self.family = family

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(self.family, "", 7)
        self.set_text_color(110, 110, 110)
        self.cell(
            0,
            5,
            f"Evidence pack {self.pack.subject.id} · data version {self.pack.data_version} · "
            f"{self.pack.stamped_at.isoformat()} · page {self.page_no()}/{{nb}}",
            align="C",
        )
        self.set_text_color(0, 0, 0)


VERDICT_COLOURS = {
    Verdict.PRESUMPTION_APPLIES: (198, 40, 40),
    Verdict.NEEDS_REVIEW: (199, 120, 0),
    Verdict.INCOMPLETE_TRACE: (90, 90, 90),
    Verdict.NO_RISK_FOUND: (46, 125, 50),
}


def render_pdf(pack: EvidencePack, fonts: PdfFonts | None = None) -> bytes:
    """The printable pack as a PDF: cover and summary, contents, flow chart, tables; real, searchable text."""
    fonts = fonts if fonts is not None else find_fonts()
    family = "helvetica" if fonts.regular is None else "dejavu"
    pdf = _PackPdf(pack, family)
    covered = frozenset(range(32, 256))  # the core font: Latin-1
    if fonts.regular is not None:
        pdf.add_font(family, "", str(fonts.regular))
        pdf.add_font(family, "B", str(fonts.bold or fonts.regular))
        covered = _cmap(pdf, family)
        if fonts.cjk is not None:
            pdf.add_font("cjk", "", str(fonts.cjk))
            pdf.set_fallback_fonts(["cjk"], exact_match=False)
            covered |= _cmap(pdf, "cjk")
    lossy = any(ord(c) not in covered for c in set(render_json(pack).decode("utf-8")) if c >= " ")

    def t(text: object) -> str:
        value = "" if text is None else str(text)
        return value if all(c == "\n" or ord(c) in covered for c in value) else transliterate(value, covered)

    pdf.set_creation_date(datetime.combine(pack.stamped_at, time(), UTC))
    pdf.set_title(t(f"Evidence pack: {pack.subject.name} ({pack.subject.id})"))
    pdf.set_subject(t(f"Supply-chain tracing, data version {pack.data_version}"))
    pdf.set_author(t(pack.tenant))
    pdf.set_creator("tracegraph")
    pdf.set_auto_page_break(True, margin=14)
    pdf.set_margins(12, 12, 12)
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str, level: int = 0) -> None:
        pdf.start_section(t(text), level=level)
        pdf.set_font(family, "B", 14 if level == 0 else 11)
        pdf.multi_cell(width, 7, t(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def para(text: str, size: float = 9.5, bold: bool = False) -> None:
        pdf.set_font(family, "B" if bold else "", size)
        pdf.multi_cell(width, size * 0.5, t(text), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1.5)

    def table(headers: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[float]) -> None:
        pdf.set_font(family, "", 7.5)
        rows = list(rows)
        if not rows:
            para("None.", 9)
            return
        with pdf.table(
            col_widths=tuple(widths),
            width=width,
            line_height=3.6,
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 235, 242)),
            text_align="LEFT",
            first_row_as_headings=True,
            repeat_headings=1,
        ) as grid:
            grid.row([t(h) for h in headers])
            for row in rows:
                grid.row([t(v) for v in row])
        pdf.ln(3)

    # cover and executive summary
    pdf.add_page()
    pdf.set_font(family, "B", 20)
    pdf.multi_cell(width, 10, "Supply-chain tracing evidence pack", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 14)
    pdf.multi_cell(
        width,
        7,
        t(f"{pack.subject.name} ({pack.subject.kind.value} {pack.subject.id})"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_text_color(*VERDICT_COLOURS[pack.verdict])
    para(f"Verdict: {pack.verdict_text} ({pack.verdict.value})", 12, bold=True)
    pdf.set_text_color(0, 0, 0)
    para(
        f"Tenant {pack.tenant} · data version {pack.data_version} · stamped {pack.stamped_at.isoformat()} "
        f"(the newest date in the data) · pack version {pack.pack_version}",
        9,
    )
    heading("1. Executive summary")
    for text in pack.executive_summary:
        para(text)
    if pack.readiness is not None:
        para(f"Readiness: {pack.readiness.score:.0%}. {pack.readiness.explanation}", 9)
    if lossy:
        para(
            "Note: names in scripts this PDF's fonts cannot show are transliterated here (Chinese to "
            "pinyin); the JSON, CSV and HTML formats of this pack carry them as loaded.",
            8,
        )

    # contents, with page numbers filled in at the end
    pdf.add_page()
    pdf.set_font(family, "B", 14)
    pdf.cell(width, 8, "Contents", new_x="LMARGIN", new_y="NEXT")
    toc = TableOfContents(text_style=TextStyle(font_family=family, font_size_pt=10))
    pdf.insert_toc_placeholder(toc.render_toc)

    heading("2. Supply-chain flow chart")
    room_h = pdf.h - pdf.get_y() - 16
    chart = best_layout(pack, width, room_h)
    chart_w = min(width, room_h * chart.width / chart.height)
    used = draw_pdf(pdf, chart, pdf.l_margin, pdf.get_y(), chart_w, family, t)
    pdf.set_y(pdf.get_y() + used + 2)

    pdf.add_page()
    heading("3. Supply-chain steps")
    para(
        "Step N is one sourcing link; goods move from the supplier to the buyer. Steps run tier by tier "
        "from the importer upstream; exhibits are listed in section 7.",
        8.5,
    )
    table(
        ("Step", "Tier", "Buyer", "Supplier", "Item", "Share", "Exhibits", "Finding"),
        (
            (
                s.step,
                s.tier,
                s.buyer_name,
                f"{s.supplier_name} ({s.supplier_company or '-'}, {s.supplier_country or '-'})",
                (s.item_name or s.item_id)
                + (f"\nlot {', '.join(s.lot_ids)}" if s.lot_ids else "")
                + (f" · {s.quantity:g} {s.uom or ''}" if s.quantity is not None else ""),
                "" if s.share is None else f"{s.share:g}%",
                ", ".join(s.exhibits) or "none on file",
                (s.risk.value if s.risk else "") + (" (loop, not followed)" if s.cycle else ""),
            )
            for s in pack.steps
        ),
        (9, 8, 40, 62, 44, 12, 60, 22),
    )

    heading("4. Parties by tier")
    table(
        ("Tier", "Party and role", "Operator", "Address", "Location finding"),
        (
            (
                "owner" if p.tier is None else p.tier,
                f"{p.name}\n{p.role}\nsteps: {', '.join(map(str, p.steps)) or '-'}",
                "\n".join(x for x in (p.company_name, p.name_local, p.registration_id) if x),
                f"{p.address or '-'}\n{p.country or ''}",
                p.location.summary + ("\n" + "; ".join(p.location.evidence) if p.location.evidence else ""),
            )
            for p in pack.parties
        ),
        (11, 70, 55, 60, 75),
    )

    heading("5. Risk findings and their evidence")
    if not pack.findings:
        para("No facility on the chain triggered a risk rule.")
    for f in pack.findings:
        colour = VERDICT_COLOURS[
            Verdict.PRESUMPTION_APPLIES if f.severity is Severity.PRESUMPTION else Verdict.NEEDS_REVIEW
        ]
        pdf.set_text_color(*colour)
        para(
            f"{f.number} {f.severity.value}: {f.facility_name or f.facility_id} ({f.company_name or '-'})",
            10,
            bold=True,
        )
        pdf.set_text_color(0, 0, 0)
        para(f.explanation, 9)
        para(
            f"Rule {f.rule} on {f.subject}, field {f.field} = '{f.value}', matched {f.matched}. "
            f"Reference: {f.reference_name or ''} {f.reference}.",
            8.5,
        )
        para(f"Evidence path, steps {' → '.join(map(str, f.path_steps))}: {f.path}", 8.5)
        for line in f.evidence:
            para(f"• {line}", 8)

    heading("6. Gaps and missing documents")
    heading("Untraced inputs", 1)
    table(
        ("Gap", "Input", "Needed at", "Why", "Steps"),
        (
            (
                g.number,
                g.item_name or g.item_id,
                g.at_facility_name or "the importer",
                g.explanation,
                " → ".join(map(str, g.path_steps)),
            )
            for g in pack.gaps
        ),
        (12, 45, 50, 140, 30),
    )
    heading("Missing documents", 1)
    if pack.readiness is None:
        para("The evidence checklist was not applied to this pack.", 9)
    else:
        table(
            ("Step", "Tier", "Item", "Supplier", "Missing record", "Requirement", "Why"),
            (
                (
                    m.step or "",
                    m.tier,
                    m.item_name or "",
                    m.supplier_facility_id,
                    m.type,
                    m.requirement,
                    m.why,
                )
                for m in pack.missing_documents
            ),
            (10, 9, 40, 38, 32, 22, 126),
        )
    heading("Quantities (mass balance)", 1)
    table(
        ("Check", "Item", "Facility", "Expected", "Actual", "Explanation"),
        (
            (
                m.check.value,
                m.item_id,
                m.facility_id or "importer",
                f"{m.expected:g} {m.unit}",
                f"{m.actual:g} {m.unit}",
                m.explanation,
            )
            for m in pack.mass_balance
        ),
        (28, 30, 32, 22, 22, 139),
    )
    if pack.cycles:
        heading("Loops in the supply data", 1)
        for cycle in pack.cycles:
            para(f"{' → '.join(cycle.states)}: {cycle.explanation}", 8.5)

    heading("7. Exhibit index")
    table(
        ("Exhibit", "Type", "Number", "Issued", "Issuer", "Steps", "SHA-256 and location"),
        (
            (
                e.number,
                e.type.replace("_", " "),
                e.number_on_document or "",
                e.issued_on.isoformat() if e.issued_on else "",
                e.issuer_name or e.issuer_company_id or "",
                ", ".join(map(str, e.steps)),
                f"{e.sha256 or 'no hash'}\n{e.uri or ''}" if e.on_file else f"{e.document_id}: not on file",
            )
            for e in pack.exhibits
        ),
        (15, 28, 30, 18, 48, 14, 120),
    )

    heading("8. Reference data versions")
    table(
        ("Reference", "Version", "Retrieved", "Source"),
        ((r.name, r.version, r.retrieved_on or "", (r.source or "")[:300]) for r in pack.reference_versions),
        (28, 62, 20, 163),
    )

    return bytes(pdf.output())
