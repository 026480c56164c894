"""The `tracegraph` command: load bundles, trace products, list verdicts, serve the API.

Each command opens the configured store (`--store`, or `TRACEGRAPH_STORE`), so `tracegraph load` in one
shell and `tracegraph trace` in another see the same data: the embedded store persists to a file.
Errors print as the problem they are (every bundle problem on its own line) with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from app.config import PROJECT_ROOT, Settings, StoreBackend
from app.errors import BundleInvalidError, TracegraphError
from app.ingest import LoadReport
from app.service import TraceService
from app.store.factory import open_store
from app.trace.models import Hop, TraceResult, Verdict

DEMO_DIR = PROJECT_ROOT / "app" / "demo" / "bundle"
#: what the demo's products should come out as (the end-to-end tests hold the walk to it)
DEMO_EXPECTED = DEMO_DIR.parent / "expected_verdicts.json"

EXIT_INVALID = 2
EXIT_ERROR = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracegraph", description="Supply-chain traceability for forced-labor (UFLPA) import compliance."
    )
    parser.add_argument(
        "--store",
        choices=[b.value for b in StoreBackend],
        help="graph store (default: TRACEGRAPH_STORE or memory)",
    )
    parser.add_argument("--tenant", help="tenant whose data to use (default: TRACEGRAPH_DEFAULT_TENANT)")
    sub = parser.add_subparsers(dest="command", required=True)

    load = sub.add_parser("load", help="validate and load a bundle (directory or .zip)")
    load.add_argument("path", type=Path)
    load.add_argument("--json", action="store_true", help="print the load report as JSON")

    trace = sub.add_parser("trace", help="trace one product upstream and print its verdict")
    trace.add_argument("product_id")
    trace.add_argument("--json", action="store_true", help="print the whole trace document as JSON")

    products = sub.add_parser("products", help="list products with their verdicts")
    products.add_argument("--verdict", choices=[v.value for v in Verdict])
    products.add_argument("--json", action="store_true")

    serve = sub.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--load-demo", action="store_true", help="load the bundled demo data first")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if args.store:
        overrides["store"] = args.store
    if args.tenant:
        overrides["default_tenant"] = args.tenant
    return Settings(**overrides)  # type: ignore[arg-type]


def print_report(report: LoadReport, out: TextIO) -> None:
    """A load report as a person reads it: what changed per file, then what was ignored."""
    state = "loaded" if report.changed else "no changes (already loaded)"
    out.write(f"{report.bundle}: {state}; data version {report.data_version}\n")
    for name, counts in report.files.items():
        out.write(
            f"  {name:16} {counts.rows:7} rows  {counts.created:6} new  {counts.updated:6} updated"
            f"  {counts.unchanged:6} unchanged\n"
        )
    for name, columns in report.ignored_columns.items():
        out.write(f"  ignored columns in {name}: {', '.join(columns)}\n")
    for name in report.ignored_files:
        out.write(f"  ignored file: {name}\n")
    for warning in report.warnings:
        out.write(f"  warning: {warning}\n")


def _hop_line(hop: Hop) -> str:
    loc = hop.location
    where = ", ".join(p for p in (loc.city, loc.region, loc.country) if p) if loc else "?"
    docs = ", ".join(f"{d.type} {d.number or d.document_id}" for d in hop.documents) or "NO DOCUMENTS"
    share = f", {hop.share:g}%" if hop.share is not None else ""
    return (
        f"    tier {hop.tier}: {hop.item_name or hop.item_id} from {hop.facility_name or hop.facility_id} "
        f"({hop.activity}; {hop.company_name}; {where}{share}) [{docs}]"
    )


def print_trace(result: TraceResult, out: TextIO) -> None:
    """The verdict first, then each finding and gap with the path that leads to it."""
    out.write(f"{result.product_id}  {result.product_name}\n")
    out.write(f"verdict: {result.verdict.value.upper()}\n  {result.summary}\n")
    out.write(
        f"checked {result.stats.states} states at {result.stats.facilities} facilities over "
        f"{result.stats.max_tier} tiers; data {result.data_version}; "
        + "; ".join(f"{r.name} {r.version}" for r in result.reference_versions)
        + "\n"
    )
    for finding in result.findings:
        out.write(f"\n[{finding.severity.value}] {finding.facility_name or finding.facility_id}\n")
        for sig in finding.signals:
            out.write(f"  rule {sig.rule}: {sig.explanation}\n")
        for hop in finding.path:
            out.write(_hop_line(hop) + "\n")
    for gap in result.gaps:
        out.write(f"\n[gap: {gap.reason.value}] {gap.explanation}\n")
        for hop in gap.path:
            out.write(_hop_line(hop) + "\n")
    for cycle in result.cycles:
        out.write(f"\n[cycle] {cycle.explanation}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tracegraph` command; returns the exit code."""
    args = _parser().parse_args(argv)
    settings = _settings(args)
    if args.command == "serve":
        return _serve(settings, args)
    try:
        store = open_store(settings)
    except TracegraphError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return EXIT_ERROR
    service = TraceService(store)
    tenant = settings.default_tenant
    try:
        service.start()
        if args.command == "load":
            report = service.load(tenant, args.path)
            if args.json:
                print(report.model_dump_json(indent=2))
            else:
                print_report(report, sys.stdout)
        elif args.command == "trace":
            result = service.trace(tenant, args.product_id)
            if args.json:
                print(result.model_dump_json(indent=2))
            else:
                print_trace(result, sys.stdout)
        elif args.command == "products":
            verdict = Verdict(args.verdict) if args.verdict else None
            cursor: str | None = None
            rows = []
            while True:
                page = service.list_products(tenant, verdict=verdict, cursor=cursor, limit=500)
                rows.extend(page.items)
                cursor = page.next_cursor
                if cursor is None:
                    break
            if args.json:
                print(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
            else:
                for row in rows:
                    print(f"{row.product_id:14} {row.verdict.value:20} {row.name}")
    except BundleInvalidError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    except TracegraphError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        store.close()
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from app.api.main import create_app

    if args.load_demo:
        store = open_store(settings)
        try:
            service = TraceService(store)
            service.start()
            print_report(service.load(settings.default_tenant, DEMO_DIR), sys.stdout)
        finally:
            store.close()
    uvicorn.run(create_app(settings), host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
