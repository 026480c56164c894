"""Render the README's screenshots of the auditor's view from the demo, with the browser tests' setup.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

The demo is loaded into a throw-away embedded store, the app is served on a free loopback port, and
Debian's chromium (`bash scripts/chromium.sh`) takes 1280x800 pictures: the search page, a flagged
product with its risky path highlighted and the flagged facility's details open, a lot (from the browser
tests' EPCIS document) and the change feed after a facility of the demo moves into the XUAR. Only the
throw-away store changes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from app.api.main import create_app
from app.config import PROJECT_ROOT, AuthMode, Settings, StoreBackend
from app.service import TraceService
from app.store.memory import MemoryStore
from app.web.harness import CHROMIUM_ARGS, FEED_CHANGE, LiveServer, chromium_executable

SIZE = {"width": 1280, "height": 800}
FLAGGED = "HP-SH-OXF"
#: the demo's oxford shirt lot, whose lint was ginned in Aksu
LOT = "HP-SH-OXF.SR-26-0125"


def shoot(page: Page, url: str, out: Path) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out))
    print(f"wrote {out}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    executable = chromium_executable()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.json"
        settings = Settings(store=StoreBackend.MEMORY, memory_path=path, auth=AuthMode.LOCAL, run_jobs=False)
        store = MemoryStore(path)
        service = TraceService(store)
        service.start()
        service.load_demo(settings.default_tenant)
        with LiveServer(create_app(settings, store=store)) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
            page = browser.new_page(viewport=SIZE)
            shoot(page, f"{server.url}/ui", args.out / "search.png")

            page.goto(f"{server.url}/ui/products/{FLAGGED}")
            end = page.evaluate(
                """() => { const cy = window.tracegraph.cy;
                           const path = cy.nodes('.risk-path')
                             .sort((a, b) => a.data('tier') - b.data('tier'));
                           const last = path[path.length - 1]; window.tracegraph.select(last.id());
                           cy.fit(cy.elements(), 20); return last.id(); }"""
            )
            assert end, "the flagged product shows no risk path"
            page.evaluate(
                """() => { document.querySelector('main').scrollIntoView();
                           const panel = document.getElementById('panel');
                           const why = [...panel.querySelectorAll('h3')]
                             .find(h => h.textContent.startsWith('Why'));
                           if (why) { panel.scrollTop = why.offsetTop - panel.offsetTop - 8; } }"""
            )
            page.screenshot(path=str(args.out / "product.png"))
            print(f"wrote {args.out / 'product.png'}")

            # The feed is seeded by its first judgement; then a facility moves.
            page.goto(f"{server.url}/ui/changes")
            page.goto(f"{server.url}/ui/lots/{LOT}")
            page.evaluate(
                """() => { const gin = window.tracegraph.cy.nodes('.risk-path')
                             .filter(n => n.data('facility_id') === 'F-ATY-GIN');
                           window.tracegraph.select(gin[0].id());
                           document.querySelector('main').scrollIntoView(); }"""
            )
            page.screenshot(path=str(args.out / "lot.png"))
            print(f"wrote {args.out / 'lot.png'}")
            facility_id, moved = FEED_CHANGE
            assert page.request.put(f"{server.url}/v1/facilities/{facility_id}", data=moved).ok
            shoot(page, f"{server.url}/ui/changes", args.out / "changes.png")
            browser.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
