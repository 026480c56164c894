"""The evidence pack's formats as a reader gets them: the CSV zip's tables, the printable HTML page with
its flow chart, and a PDF with real text; the same data gives the same bytes in every format."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from app.evidence.flowchart import layout, to_svg
from app.evidence.pack import EvidencePack
from app.evidence.render import (
    CSV_TABLES,
    PackFormat,
    PdfFonts,
    filename,
    find_fonts,
    render,
    render_csv,
    render_html,
    render_pdf,
    transliterate,
)
from app.service import DEMO_DIR, DEMO_EXPECTED, TraceService
from app.store.memory import MemoryStore

EXPECTED: dict[str, str] = json.loads(DEMO_EXPECTED.read_text(encoding="utf-8"))
TENANT = "render-demo"
#: the PDF core font: Latin-1 only, so names in other scripts are transliterated
CORE = PdfFonts(regular=None)


def _service() -> TraceService:
    service = TraceService(MemoryStore(None))
    service.load(TENANT, DEMO_DIR)
    return service


@pytest.fixture(scope="module")
def demo() -> Iterator[TraceService]:
    yield _service()


@pytest.fixture(scope="module")
def packs(demo: TraceService) -> dict[str, EvidencePack]:
    return {product: demo.evidence_pack(TENANT, product) for product in EXPECTED}


def _tables(pack: EvidencePack) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(render_csv(pack))) as archive:
        assert archive.namelist() == list(CSV_TABLES)
        return {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"), newline="")))
            for name in archive.namelist()
        }


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_every_demo_product_renders_in_every_format(packs: dict[str, EvidencePack]) -> None:
    for product, pack in packs.items():
        as_json = json.loads(render(pack, PackFormat.JSON))
        assert as_json["subject"]["id"] == product and as_json["verdict"] == EXPECTED[product]
        assert EvidencePack.model_validate(as_json) == pack  # the JSON is the whole model
        assert zipfile.ZipFile(io.BytesIO(render(pack, PackFormat.CSV))).testzip() is None
        html = render(pack, PackFormat.HTML).decode("utf-8")
        assert html.startswith("<!DOCTYPE html>") and "<svg" in html and pack.verdict_text in html
        pdf = render_pdf(pack, CORE)
        assert pdf.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(pdf)).pages) >= 4
        assert filename(pack, PackFormat.PDF) == f"evidence-pack-{product}-{pack.data_version[:8]}.pdf"


def test_the_same_data_gives_the_same_bytes_in_every_format(packs: dict[str, EvidencePack]) -> None:
    """A second service, loading the demo afresh, renders byte-identical packs."""
    other = _service().evidence_pack(TENANT, "HP-SH-OXF")
    for fmt in PackFormat:
        assert render(other, fmt) == render(packs["HP-SH-OXF"], fmt), fmt
    pdf = render(packs["HP-SH-OXF"], PackFormat.PDF)
    stamp = packs["HP-SH-OXF"].stamped_at.strftime("%Y%m%d")
    assert f"/CreationDate (D:{stamp}000000Z)".encode() in pdf  # the data's date, not the clock


def test_csv_tables_have_headers_and_one_row_per_thing(
    demo: TraceService, packs: dict[str, EvidencePack]
) -> None:
    for product, pack in packs.items():
        trace = demo.trace(TENANT, product)
        readiness = demo.readiness(TENANT, product)
        tables = _tables(pack)
        assert len(tables["steps.csv"]) == len(trace.supply_map.edges)
        assert len(tables["findings.csv"]) == sum(len(f.signals) for f in trace.findings)
        assert len(tables["gaps.csv"]) == len(trace.gaps)
        documents = {d for e in trace.supply_map.edges for d in e.document_ids}
        assert len(tables["exhibits.csv"]) == len(documents)
        facilities = {n.facility_id for n in trace.supply_map.nodes if n.facility_id}
        assert len([r for r in tables["parties.csv"] if r["tier"]]) == len(facilities)
        missing = sum(1 for hop in readiness.hops for e in hop.expected if not e.present)
        assert len(tables["missing_documents.csv"]) == missing
        assert len(tables["references.csv"]) == len(trace.reference_versions)
        summary = {row["field"]: row["value"] for row in tables["summary.csv"]}
        assert summary["verdict"] == EXPECTED[product] and summary["data_version"] == trace.data_version
        assert summary["count_steps"] == str(len(trace.supply_map.edges))
    # headers even for empty tables, and the nested location finding flattened into columns
    clean = _tables(packs["HP-SH-POP"])
    with zipfile.ZipFile(io.BytesIO(render_csv(packs["HP-SH-POP"]))) as archive:
        assert archive.read("gaps.csv").decode().startswith("number,reason,item_id,")
    assert clean["gaps.csv"] == []
    oxford = _tables(packs["HP-SH-OXF"])
    gin = next(r for r in oxford["parties.csv"] if r["party_id"] == "facility:F-ATY-GIN")
    assert gin["location_in_xuar"] == "true" and "Xinjiang" in gin["location_evidence"]
    assert gin["name_local"] == "阿克苏天元棉业有限公司"  # as loaded: CSV is UTF-8
    exhibit = next(r for r in oxford["exhibits.csv"] if r["number"] == "E-1.1")
    assert re.fullmatch(r"[0-9a-f]{64}", exhibit["sha256"])


def test_the_html_page_is_printable_and_escapes_what_it_shows(packs: dict[str, EvidencePack]) -> None:
    pack = packs["HP-SH-OXF"]
    html = render_html(pack).decode("utf-8")
    assert "@media print" in html and "@page" in html
    for entry in pack.contents:
        assert f'id="{entry.anchor}"' in html and f'href="#{entry.anchor}"' in html
    assert "Tianyuan Awat cotton gin" in html and "阿克苏天元棉业有限公司" in html
    assert all(f'id="{e.number}"' in html for e in pack.exhibits)
    assert "Harbor &amp; Pine" in html  # the issuer of the importer's purchase order
    hostile = pack.model_copy(update={"tenant": "<script>alert(1)</script>"})
    page = render_html(hostile).decode("utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_the_flow_chart_shows_every_state_numbered_steps_and_marks_risk_and_gaps(
    packs: dict[str, EvidencePack],
) -> None:
    oxford = packs["HP-SH-OXF"]
    chart = layout(oxford)
    assert len(chart.boxes) == len({s.supplier_state for s in oxford.steps}) + 1  # plus the product
    assert sorted(int(a.label) for a in chart.arrows) == [s.step for s in oxford.steps]
    red = {b.lines[0] for b in chart.boxes if b.style.value == "presumption"}
    assert red == {"Tianyuan Awat cotton gin", "Hongxing cooperative cotton fields"}
    # product on the left, raw materials on the right: x grows with the tier
    product = next(b for b in chart.boxes if b.style.value == "product")
    assert all(b.x >= product.x for b in chart.boxes)
    vertical = layout(oxford, vertical=True)
    assert all(b.y >= vertical.boxes[0].y for b in vertical.boxes)
    svg = to_svg(chart, "chart")
    assert svg.count("<rect") >= len(chart.boxes) and 'class="box presumption"' in svg
    tee = layout(packs["HP-TEE-CRW"])
    (gap,) = [b for b in tee.boxes if b.style.value == "gap"]
    assert gap.lines[0].startswith("G-1: Cotton yarn") and 'stroke-dasharray="5 3"' in to_svg(tee, "t")
    assert any(a.dashed and a.label == "?" for a in tee.arrows)


def test_the_pdf_carries_the_summary_the_findings_and_the_exhibits_as_text(
    packs: dict[str, EvidencePack],
) -> None:
    pack = packs["HP-SH-OXF"]
    text = " ".join(_pdf_text(render_pdf(pack)).split())
    assert "Supply-chain tracing evidence pack" in text
    assert "2 facilities on the chain are at risk" in text  # the executive summary
    assert "Contents" in text and "7. Exhibit index" in text
    assert "F-1.1 presumption: Tianyuan Awat cotton gin" in text
    gazetteer = next(r.version for r in pack.reference_versions if r.name == "xuar_gazetteer")
    assert gazetteer in text and "xuar_location" in text
    assert pack.exhibits[0].sha256 is not None and pack.exhibits[0].sha256 in text
    assert "Hongxing cooperative cotton" in text  # drawn in the flow chart and the tables
    fonts = find_fonts()
    if fonts.cjk is not None:  # a CJK font on the machine: Chinese names as loaded
        assert "阿克苏天元棉业有限公司" in text
        assert "transliterated" not in text


def test_without_a_font_for_a_script_the_pdf_transliterates_and_says_so(
    packs: dict[str, EvidencePack],
) -> None:
    text = " ".join(_pdf_text(render_pdf(packs["HP-SH-OXF"], CORE)).split())
    assert "Bin Zhou Yu He Sha Xian You Xian Gong Si" in text  # 滨州裕禾纱线有限公司 in pinyin
    assert "滨州" not in text
    assert "transliterated here (Chinese to pinyin)" in text
    # letters outside the fonts fall back to their base letters; what the fonts have stays
    latin1 = frozenset(range(32, 256))
    assert transliterate("Công ty Cổ phần Dệt kim Đồng Nai", latin1) == "Công ty Co phan Det kim Dong Nai"
    assert (
        transliterate("合鑫硅业控股(成都)有限公司", latin1)
        == "He Xin Gui Ye Kong Gu (Cheng Du) You Xian Gong Si"
    )
