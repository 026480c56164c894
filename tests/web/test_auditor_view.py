"""The auditor's view in a real headless chromium, on the demo: find a product, follow its flagged path to
the facility and the reason, see what is undocumented, download the evidence pack and read it back."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from app.service import DEMO_DIR
from app.web.harness import FEED_CHANGE, LiveServer
from tests.web.conftest import FEED_TENANT, Console

pytestmark = pytest.mark.browser

EXPECTED: dict[str, str] = json.loads((DEMO_DIR.parent / "expected_verdicts.json").read_text())
FLAGGED = "HP-SH-OXF"


def api_trace(server: LiveServer, product_id: str) -> dict[str, Any]:
    """The trace as the API serves it: what the page must agree with."""
    response = httpx.get(f"{server.url}/v1/products/{product_id}/trace", timeout=30)
    response.raise_for_status()
    trace: dict[str, Any] = response.json()
    return trace


def graph_ready(page: Page) -> None:
    """Wait for the page's graph script: the HTML above it (verdict, tables) can be on screen while a
    loaded machine is still fetching cytoscape."""
    page.wait_for_function("() => window.tracegraph !== undefined && window.tracegraph.cy !== undefined")


def highlighted_states(page: Page) -> list[dict[str, Any]]:
    """The graph's nodes on the highlighted risk path, product first."""
    graph_ready(page)
    states: list[dict[str, Any]] = page.evaluate(
        """() => window.tracegraph.cy.nodes('.risk-path').map(n => n.data())
                 .sort((a, b) => a.tier - b.tier)"""
    )
    return states


def click_node(page: Page, node_id: str) -> None:
    """A real mouse click on a node where the graph draws it (centred in view first)."""
    graph_ready(page)
    box = page.locator("#graph").bounding_box()
    assert box is not None
    position = page.evaluate(
        """(id) => { const cy = window.tracegraph.cy; const n = cy.getElementById(id);
                     cy.zoom(1); cy.center(n); return n.renderedPosition(); }""",
        node_id,
    )
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])


def test_search_finds_a_demo_product_with_its_verdict(live_demo: LiveServer, page: Page) -> None:
    page.goto(f"{live_demo.url}/")  # the root opens the auditor's view
    expect(page.get_by_role("heading", name="Products and lots", exact=True)).to_be_visible()
    expect(page.locator("tr[data-product]")).to_have_count(len(EXPECTED))
    page.get_by_label("Find a product by ID or name, or a lot by ID").fill("oxford")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("tr[data-product]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(FLAGGED)
    expect(rows.first).to_contain_text("Presumption applies")
    presumptions = sum(v == "presumption_applies" for v in EXPECTED.values())
    page.goto(f"{live_demo.url}/ui")
    expect(page.locator("li.verdict-presumption_applies .n")).to_have_text(str(presumptions))
    page.locator("tr[data-product]").get_by_role("link", name=FLAGGED, exact=True).click()
    expect(page).to_have_url(f"{live_demo.url}/ui/products/{FLAGGED}")


def test_the_flagged_path_leads_to_the_xuar_facility_and_its_reason(
    live_demo: LiveServer, page: Page, console: Console
) -> None:
    trace = api_trace(live_demo, FLAGGED)
    finding = trace["findings"][0]
    page.goto(f"{live_demo.url}/ui/products/{FLAGGED}")
    expect(page.locator(".verdict-line")).to_contain_text("Presumption applies")

    states = highlighted_states(page)
    assert states[0]["role"] == "product"
    assert [s["facility_id"] for s in states[1:]] == [hop["facility_id"] for hop in finding["path"]]
    end = states[-1]
    assert end["facility_id"] == finding["facility_id"] and end["region"] == "Xinjiang"
    graph_ready(page)
    edges = page.evaluate("() => window.tracegraph.cy.edges('.risk-path').length")
    assert edges == len(states) - 1

    click_node(page, end["id"])
    panel = page.locator("#panel")
    expect(panel.get_by_role("heading", name=finding["facility_name"])).to_be_visible()
    expect(panel).to_contain_text("xuar_location")
    expect(panel).to_contain_text(finding["signals"][0]["explanation"])
    expect(panel).to_contain_text(finding["company_name"])
    expect(panel.locator("caption", has_text="Location signals")).to_be_visible()
    # The Xinjiang gin's link has no document on file, and the page says so twice: panel and table.
    expect(panel).to_contain_text("No documents on file for this link.")
    undocumented = page.locator("table.undocumented")
    expect(undocumented).to_contain_text(finding["facility_name"])
    assert console.errors == []


def test_show_path_and_the_keyboard_table_reach_the_same_details(live_demo: LiveServer, page: Page) -> None:
    trace = api_trace(live_demo, "HP-PV-410")
    finding = trace["findings"][0]
    page.goto(f"{live_demo.url}/ui/products/HP-PV-410")
    gap_button = page.locator('button.show-path[data-path="gap:0"]')
    gap_button.click()
    expect(gap_button).to_have_attribute("aria-pressed", "true")
    assert highlighted_states(page) == []  # a gap's path is not a risk path
    graph_ready(page)
    assert page.evaluate("() => window.tracegraph.cy.$('.gap-path').length") > 0
    page.locator('button.show-path[data-path="finding:0"]').click()
    assert highlighted_states(page)[-1]["facility_id"] == finding["facility_id"]

    # Without a mouse: the table's "Details" button for the listed operator's wafer plant.
    state = f"{finding['items'][0]}@{finding['facility_id']}"
    button = page.locator(f'table.nodes button.select-node[data-node="{state}"]')
    button.focus()
    page.keyboard.press("Enter")
    panel = page.locator("#panel")
    expect(panel).to_contain_text("List-match explanation")
    match = finding["signals"][0]["match"]
    expect(panel).to_contain_text(match["entry_name"])
    expect(panel).to_contain_text(match["list_version"])


def test_a_links_documents_name_their_issuer_as_the_pack_does(live_demo: LiveServer, page: Page) -> None:
    pack_url = f"{live_demo.url}/v1/products/{FLAGGED}/evidence-pack"
    pack = httpx.get(pack_url, params={"format": "json"}, timeout=30).json()
    exhibit = next(e for e in pack["exhibits"] if e["issuer_name"])
    trace = api_trace(live_demo, FLAGGED)
    edge = next(e for e in trace["supply_map"]["edges"] if exhibit["document_id"] in e["document_ids"])
    page.goto(f"{live_demo.url}/ui/products/{FLAGGED}")
    click_node(page, edge["target"])
    rows = page.locator("#panel tr", has_text=exhibit["document_id"])
    expect(rows.first).to_contain_text(exhibit["issuer_name"])


def test_the_pdf_pack_downloads_and_names_the_product_and_the_finding(
    live_demo: LiveServer, page: Page
) -> None:
    from pypdf import PdfReader

    page.goto(f"{live_demo.url}/ui/products/{FLAGGED}")
    with page.expect_download() as download_info:
        page.locator('a.pack[data-format="pdf"]').click()
    download = download_info.value
    assert download.failure() is None
    path = download.path()
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    finding = api_trace(live_demo, FLAGGED)["findings"][0]
    assert FLAGGED in text
    assert finding["facility_name"] in " ".join(text.split())


def test_every_demo_product_opens_shows_its_verdict_and_offers_every_pack(
    live_demo: LiveServer, page: Page, console: Console
) -> None:
    for product_id, verdict in EXPECTED.items():
        page.goto(f"{live_demo.url}/ui/products/{product_id}")
        expect(page.locator(".verdict-line [data-verdict]")).to_have_attribute("data-verdict", verdict)
        trace = api_trace(live_demo, product_id)
        graph_ready(page)
        drawn = page.evaluate("() => window.tracegraph.cy.nodes().length")
        assert drawn == len(trace["supply_map"]["nodes"]) + len(trace["gaps"]), product_id
        if trace["findings"]:
            end = highlighted_states(page)[-1]
            assert end["facility_id"] == trace["findings"][0]["facility_id"], product_id
            click_node(page, end["id"])
            expect(page.locator("#panel .reason").first).to_contain_text(
                trace["findings"][0]["signals"][0]["explanation"]
            )
        formats = [link.get_attribute("data-format") for link in page.locator("a.pack").all()]
        assert formats == ["pdf", "html", "json", "csv"], product_id
        # Every format but the PDF (seconds to render; read back in full by the test above) per product.
        for link in page.locator("a.pack:not([data-format=pdf])").all():
            href = link.get_attribute("href")
            assert href is not None
            response = page.request.get(f"{live_demo.url}{href}")
            assert response.status == 200, (product_id, href, response.text()[:300])
            assert len(response.body()) > 0
    assert console.errors == []


def test_the_change_feed_shows_a_verdict_that_a_change_of_data_made_worse(
    live_demo: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(extra_http_headers={"X-Tenant-ID": FEED_TENANT})
    page = context.new_page()
    console = Console()
    page.on("console", console.on_console)
    page.goto(f"{live_demo.url}/ui/changes")
    expect(page.get_by_role("heading", name="Changes", exact=True)).to_be_visible()
    expect(page.locator("tr[data-seq]")).to_have_count(0)  # the first judgement seeds, it is not news

    # The crossbar's extrusion plant turns out to be in Aksu, Xinjiang.
    facility_id, moved = FEED_CHANGE
    response = page.request.put(
        f"{live_demo.url}/v1/facilities/{facility_id}", data=moved, headers={"X-Tenant-ID": FEED_TENANT}
    )
    assert response.ok, response.text()
    page.reload()
    row = page.locator('tr[data-subject="HP-RACK-XB"]')
    expect(row).to_have_count(1)
    expect(row).to_contain_text("No risk found")
    expect(row).to_contain_text("Presumption applies")
    expect(row).to_contain_text("Saguenay Profilés extrusion plant")
    row.get_by_role("link", name="HP-RACK-XB").click()
    expect(page.locator(".verdict-line [data-verdict]")).to_have_attribute(
        "data-verdict", "presumption_applies"
    )
    assert console.errors == []
    context.close()


def test_a_lot_is_found_and_traced_through_its_recorded_inputs(
    live_demo: LiveServer, browser: Browser
) -> None:
    """The demo's oxford shirt lot: its recorded inputs lead to the Aksu gin that made its lint."""
    context = browser.new_context()
    page = context.new_page()
    console = Console()
    page.on("console", console.on_console)
    page.goto(f"{live_demo.url}/ui?q=SR-26-0125")
    rows = page.locator("tr[data-lot-row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Presumption applies")
    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lot HP-SH-OXF.SR-26-0125")
    expect(page.locator(".verdict-line [data-verdict]")).to_have_attribute(
        "data-verdict", "presumption_applies"
    )
    # The lot's own links are drawn as lot-backed, and the risky path ends at the Aksu gin that made it.
    graph_ready(page)
    assert page.evaluate("() => window.tracegraph.cy.edges('.lot').length") >= 2
    assert highlighted_states(page)[-1]["facility_id"] == "F-ATY-GIN"
    href = page.locator('a.pack[data-format="json"]').get_attribute("href")
    assert href == "/v1/lots/HP-SH-OXF.SR-26-0125/evidence-pack?format=json"
    assert console.errors == []
    context.close()
