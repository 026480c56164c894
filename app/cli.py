"""The `tracegraph` command: load bundles, trace products, list verdicts, serve the API.

Each command opens the configured store (`--store`, or `TRACEGRAPH_STORE`), so `tracegraph load` in one
shell and `tracegraph trace` in another see the same data: the embedded store persists to a file.
Errors print as the problem they are (every bundle problem on its own line) with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from app.config import Settings, StoreBackend
from app.errors import BadRequestError, BundleInvalidError, TracegraphError
from app.evidence.readiness import ProductReadiness
from app.evidence.render import PackFormat
from app.evidence.render import filename as pack_filename
from app.evidence.render import render as render_pack
from app.ingest import LOAD_STEPS, LoadReport
from app.jobs import CSV_COLUMNS
from app.keys import issue_key, list_keys, revoke_key
from app.progress import ProgressBar
from app.screening.model import ScreenRecord
from app.screening.service import ScreenResult
from app.sealing import Sealer, SealState
from app.service import TraceService
from app.store.base import all_product_ids
from app.store.factory import open_store
from app.trace.lots import EpcisLoadReport
from app.trace.models import Hop, TraceResult, Verdict
from graph_schema import ApiRole, ReviewVerdict
from loaders.epcis import EpcisInvalidError, parse_json
from loaders.lists import FORMATS, ListFormatError, diff_versions, load_list_file

#: `tracegraph screen` flags: every single-valued field of a screening record
SCREEN_FIELDS = tuple(name for name in ScreenRecord.model_fields if name != "aliases")

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
    load.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, help="progress bar (default: on a terminal)"
    )

    screen_all = sub.add_parser(
        "screen-all", help="verdicts for every product (or those listed), shared upstreams judged once"
    )
    screen_all.add_argument("--products", type=Path, help="a file of product IDs, one per line")
    out_format = screen_all.add_mutually_exclusive_group()
    out_format.add_argument("--json", action="store_true", help="print the results as JSON")
    out_format.add_argument("--csv", action="store_true", help="print the results as CSV")
    screen_all.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, help="progress bar (default: on a terminal)"
    )

    trace = sub.add_parser("trace", help="trace one product upstream and print its verdict")
    trace.add_argument("product_id")
    trace.add_argument("--json", action="store_true", help="print the whole trace document as JSON")

    load_epcis = sub.add_parser("load-epcis", help="validate and load a GS1 EPCIS 2.0 JSON(-LD) document")
    load_epcis.add_argument("path", type=Path)
    load_epcis.add_argument("--json", action="store_true", help="print the load report as JSON")
    trace_lot = sub.add_parser("trace-lot", help="trace one lot through its recorded inputs")
    trace_lot.add_argument("lot_id", help="<item_id>.<lot>, or the lot's urn:epc:class:lgtin:… identifier")
    trace_lot.add_argument("--json", action="store_true", help="print the whole trace document as JSON")

    readiness = sub.add_parser(
        "readiness", help="per hop, the records the evidence checklist expects and which are missing"
    )
    readiness.add_argument("product_id")
    readiness.add_argument("--json", action="store_true", help="print the whole readiness document as JSON")

    pack = sub.add_parser("evidence-pack", help="write a product's (or a lot's) evidence pack to a file")
    pack.add_argument(
        "subject_id", metavar="PRODUCT_ID", help="the product's item_id (a lot's ID with --lot)"
    )
    pack.add_argument("--lot", action="store_true", help="the ID is a lot's: write the lot's pack")
    pack.add_argument("--format", choices=[f.value for f in PackFormat], default=PackFormat.PDF.value)
    pack.add_argument(
        "-o",
        "--output",
        type=Path,
        help="file to write (default: the pack's own file name here; - for stdout)",
    )

    products = sub.add_parser("products", help="list products with their verdicts")
    products.add_argument("--verdict", choices=[v.value for v in Verdict])
    products.add_argument("--json", action="store_true")

    screen = sub.add_parser(
        "screen", help="screen one record (from flags) or a CSV of records: XUAR location and list matches"
    )
    screen.add_argument("--csv", type=Path, help="a CSV whose columns are record fields (name, country, ...)")
    for name in SCREEN_FIELDS:
        screen.add_argument(f"--{name.replace('_', '-')}", dest=name, help=f"the record's {name}")
    screen.add_argument(
        "--alias", action="append", default=[], dest="aliases", help="another name (repeatable)"
    )
    screen.add_argument("--json", action="store_true", help="print the results as JSON")

    review = sub.add_parser("review", help="confirm or reject a possible list match")
    review.add_argument("subject", help="company:<company_id>, or the subject printed by `screen`")
    review.add_argument("list", help="list code, e.g. UFLPA")
    review.add_argument("entry_id")
    review.add_argument("verdict", choices=[v.value for v in ReviewVerdict])
    review.add_argument("--reviewer", required=True)
    review.add_argument("--reason", required=True)

    lists = sub.add_parser("lists", help="screening lists: versions in force, history, refresh, diff")
    lists_sub = lists.add_subparsers(dest="lists_command", required=True)
    lists_sub.add_parser("show", help="the version in force per list, then the history")
    lists_load = lists_sub.add_parser("load", help="load a list file in one of the official formats")
    lists_load.add_argument("path", type=Path)
    lists_load.add_argument("--format", required=True, choices=sorted(FORMATS), dest="fmt")
    lists_load.add_argument("--retrieved-on", type=date.fromisoformat, help="ISO date (default: today)")
    lists_diff = lists_sub.add_parser("diff", help="what changed between two versions of a list")
    lists_diff.add_argument("old_version")
    lists_diff.add_argument("new_version")

    keys = sub.add_parser("keys", help="API keys: issue (the secret is printed once), list, revoke")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    keys_create = keys_sub.add_parser("create", help="issue a key; bootstraps the first admin key")
    keys_create.add_argument("--tenant", dest="key_tenant", help="the key's tenant (default: --tenant)")
    keys_create.add_argument("--role", required=True, choices=[r.value for r in ApiRole])
    keys_create.add_argument("--name", help="what the key is for (default: '<role> key from the CLI')")
    keys_create.add_argument("--description")
    keys_create.add_argument("--expires-in-days", type=int, help="days until it stops working")
    keys_create.add_argument("--json", action="store_true", help="print the key and its record as JSON")
    keys_list = keys_sub.add_parser("list", help="a tenant's keys, without secrets")
    keys_list.add_argument("--tenant", dest="key_tenant", help="the tenant (default: --tenant)")
    keys_list.add_argument("--json", action="store_true")
    keys_revoke = keys_sub.add_parser("revoke", help="revoke a key for good")
    keys_revoke.add_argument("key_id")

    tenant_cmd = sub.add_parser(
        "tenant", help="a tenant as a whole: its data version and counts; offboarding"
    )
    tenant_sub = tenant_cmd.add_subparsers(dest="tenant_command", required=True)
    tenant_info = tenant_sub.add_parser("info", help="data version and record counts per kind")
    tenant_info.add_argument("--json", action="store_true")
    tenant_drop = tenant_sub.add_parser(
        "drop", help="offboard: delete every record, key and uploaded file of the tenant, for good"
    )
    tenant_drop.add_argument(
        "--confirm", metavar="TENANT", required=True, help="the tenant's name again, to say you mean it"
    )
    tenant_drop.add_argument("--json", action="store_true")

    webhooks = sub.add_parser("webhooks", help="webhook subscriptions of every tenant: signing-secret keys")
    webhooks_sub = webhooks.add_subparsers(dest="webhooks_command", required=True)
    secrets = webhooks_sub.add_parser(
        "secrets",
        help="which key each stored signing secret is sealed with (TRACEGRAPH_SECRETS_KEY), every tenant",
    )
    secrets.add_argument(
        "--reseal",
        action="store_true",
        help="first rewrite secrets stored as issued or under an older key, sealed with the first key",
    )
    secrets.add_argument("--json", action="store_true")

    changes = sub.add_parser(
        "changes", help="catch up on verdict changes (lists, loads, reviews), then print them newest first"
    )
    changes.add_argument("--since", help="only changes after this seq, or at or after this ISO 8601 time")
    changes.add_argument("--limit", type=int, default=100, help="most changes to print (default 100)")
    changes.add_argument("--json", action="store_true", help="print the changes as JSON")

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


def print_epcis_report(report: EpcisLoadReport, out: TextIO) -> None:
    """An EPCIS load as a person reads it: events and lots written, documents linked, what was skipped."""
    state = "loaded" if report.changed else "no changes (already loaded)"
    out.write(f"{report.document}: {state}; data version {report.data_version}\n")
    for name, counts in (("events", report.events), ("lots", report.lots)):
        out.write(
            f"  {name:8} {counts.created:6} new  {counts.updated:6} updated  {counts.unchanged:6} unchanged\n"
        )
    if report.documents_linked:
        out.write(f"  {len(report.documents_linked)} business transactions matched to documents\n")
    for warning in report.warnings:
        out.write(f"  warning: {warning}\n")


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


def print_readiness(result: ProductReadiness, out: TextIO) -> None:
    """The score and why first, then each hop with what it lacks (required before recommended)."""
    out.write(f"{result.product_id}  {result.product_name}\n")
    state = "READY" if result.ready else "NOT READY"
    out.write(
        f"readiness: {result.score:.0%} {state} ({result.sector} checklist {result.checklist_version})\n"
    )
    out.write(f"  {result.explanation}\n")
    if result.trace_to is not None:
        out.write(f"  trace to {result.trace_to.statement}: {result.trace_to.explanation}\n")
    for hop in result.hops:
        out.write(f"\n  tier {hop.tier} [{hop.score:.0%}] {hop.explanation}\n")
        for record in hop.expected:
            if not record.present:
                out.write(f"    missing {record.requirement.value} {record.type}: {record.why}\n")
    for gap in result.untraced_inputs:
        out.write(f"\n  [untraced] {gap.explanation}\n")
    for finding in result.mass_balance:
        out.write(f"\n  [mass balance] {finding.explanation}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tracegraph` command; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        settings = _settings(args)
    except ValidationError as exc:  # e.g. key-less local mode on Neo4j in production
        for err in exc.errors():
            print(f"error: {err['msg'].removeprefix('Value error, ')}", file=sys.stderr)
        return EXIT_ERROR
    if args.command == "serve":
        return _serve(settings, args)
    try:
        store = open_store(settings)
    except TracegraphError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return EXIT_ERROR
    service = TraceService(store)
    service.webhooks.sealer = Sealer(settings.secrets_key)
    tenant = settings.default_tenant
    try:
        service.start()
        if args.command == "load":
            bar = ProgressBar(LOAD_STEPS, "loading", enabled=args.progress)
            report = service.load(tenant, args.path, progress=lambda step, what: bar.update(step, what))
            bar.close()
            if args.json:
                print(report.model_dump_json(indent=2))
            else:
                print_report(report, sys.stdout)
        elif args.command == "screen-all":
            _screen_all(service, tenant, args)
        elif args.command == "trace":
            result = service.trace(tenant, args.product_id)
            if args.json:
                print(result.model_dump_json(indent=2))
            else:
                print_trace(result, sys.stdout)
        elif args.command == "load-epcis":
            epcis_doc = parse_json(args.path.read_bytes(), args.path.name)
            epcis_report = service.load_epcis(tenant, epcis_doc, args.path.name)
            if args.json:
                print(epcis_report.model_dump_json(indent=2))
            else:
                print_epcis_report(epcis_report, sys.stdout)
        elif args.command == "trace-lot":
            lot_trace = service.trace_lot(tenant, args.lot_id)
            if args.json:
                print(lot_trace.model_dump_json(indent=2))
            else:
                print(f"lot {lot_trace.lot_id}")
                print_trace(lot_trace, sys.stdout)
        elif args.command == "readiness":
            ready = service.readiness(tenant, args.product_id, settings.evidence_checklist)
            if args.json:
                print(ready.model_dump_json(indent=2))
            else:
                print_readiness(ready, sys.stdout)
        elif args.command == "evidence-pack":
            _evidence_pack(service, tenant, settings, args)
        elif args.command == "screen":
            screened = service.screen(tenant, _screen_records(args))
            if args.json:
                print(json.dumps([r.model_dump(mode="json", by_alias=True) for r in screened], indent=2))
            else:
                for one in screened:
                    print_screen(one, sys.stdout)
        elif args.command == "review":
            decision = service.review(
                tenant,
                args.subject,
                args.list,
                args.entry_id,
                ReviewVerdict(args.verdict),
                args.reviewer,
                args.reason,
            )
            print(f"recorded: {decision.subject} vs {decision.list_name} {decision.entry_id}: ", end="")
            print(decision.verdict.value)
        elif args.command == "lists":
            _lists(service, args)
        elif args.command == "keys":
            _keys(service, args, getattr(args, "key_tenant", None) or tenant)
        elif args.command == "changes":
            _changes(service, tenant, args)
        elif args.command == "webhooks":
            _webhook_secrets(service, settings, args)
        elif args.command == "tenant":
            if not _tenant(service, settings, args, tenant):
                return EXIT_INVALID
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
    except EpcisInvalidError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        for problem in exc.problems:
            shown = f" (got {problem.value!r})" if problem.value is not None else ""
            print(f"  {problem.file} {problem.pointer}: {problem.reason}{shown}", file=sys.stderr)
        return EXIT_INVALID
    except BundleInvalidError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    except ListFormatError as exc:
        # A malformed list file: nothing was written, the version in force stays in force.
        print(f"error: {exc}; nothing loaded, the list version in force is unchanged", file=sys.stderr)
        return EXIT_INVALID
    except TracegraphError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        store.close()
    return 0


def _screen_records(args: argparse.Namespace) -> list[ScreenRecord]:
    """Records from `--csv` (one per row; unknown columns are an error, naming the file and column) or
    from the flags."""
    if args.csv is None:
        fields = {name: getattr(args, name) for name in SCREEN_FIELDS if getattr(args, name) is not None}
        if args.aliases:
            fields["aliases"] = args.aliases
        if not fields:
            raise BadRequestError("give at least one record field (e.g. --name) or --csv FILE")
        return [_record(fields, where="the command line")]
    with args.csv.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        allowed = {*SCREEN_FIELDS, "aliases"}
        unknown = sorted(set(reader.fieldnames or ()) - allowed)
        if unknown:
            raise BadRequestError(
                f"{args.csv.name}: unknown column(s) {', '.join(unknown)}; expected some of "
                f"{', '.join(sorted(allowed))}"
            )
        records = []
        for row_no, row in enumerate(reader, start=2):
            fields = {k: v for k, v in row.items() if k and v}
            if "aliases" in fields:
                fields["aliases"] = [a.strip() for a in str(fields["aliases"]).split("|") if a.strip()]
            records.append(_record(fields, where=f"{args.csv.name} row {row_no}"))
        return records


def _record(fields: dict[str, object], where: str) -> ScreenRecord:
    try:
        return ScreenRecord.model_validate(fields)
    except ValidationError as e:
        first = e.errors()[0]
        column = ".".join(str(p) for p in first["loc"])
        raise BadRequestError(f"{where}, column {column}: {first['msg']}") from e


def print_screen(result: ScreenResult, out: TextIO) -> None:
    """One screening result as a reviewer reads it: location verdict and signals, then matches."""
    x = result.xuar
    out.write(f"{result.subject}\n  in XUAR: {x.in_xuar} (confidence {x.confidence:.2f})\n")
    for sig in x.signals:
        out.write(f"    {sig.weight:+.1f} {sig.kind} [{sig.field}: {sig.span!r}] {sig.explanation}\n")
    if not result.matches:
        out.write("  no list matches\n")
    for m in result.matches:
        out.write(f"  {m.decision.value} {m.list_name} {m.entry_id} '{m.entry_name}' score {m.score:.2f}\n")
        for f in m.explanation:
            out.write(f"    {f.score:+.2f} {f.feature}: {f.detail}\n")
    out.write("  lists: " + ", ".join(f"{v.list} {v.version_id}" for v in result.list_versions) + "\n")


def _lists(service: TraceService, args: argparse.Namespace) -> None:
    if args.lists_command == "show":
        versions = service.list_versions()
        seen: set[str] = set()
        for v in versions:
            state = "in force" if v.list_name not in seen else "superseded"
            seen.add(v.list_name)
            print(
                f"{v.list_name:12} {v.version_id:24} {state:10} {v.entry_count:6} entries  "
                f"retrieved {v.retrieved_on}  {v.source}"
            )
    elif args.lists_command == "load":
        loaded = load_list_file(args.path, args.fmt, args.retrieved_on)
        for v in service.add_list_versions(loaded):
            print(f"loaded {v.list_name} {v.version_id}: {v.entry_count} entries (now in force)")
    elif args.lists_command == "diff":
        old = service.list_entries(args.old_version)
        new = service.list_entries(args.new_version)
        diff = diff_versions(old, new)
        for e in diff.added:
            print(f"+ {e.entry_id}  {e.name}")
        for c in diff.changed:
            print(f"~ {c.entry_id}  changed: {', '.join(c.fields)}")
        for e in diff.removed:
            print(f"- {e.entry_id}  {e.name}")
        print(f"{len(diff.added)} added, {len(diff.changed)} changed, {len(diff.removed)} removed")


def _keys(service: TraceService, args: argparse.Namespace, tenant: str) -> None:
    """`tracegraph keys …`: the operator's way in, with direct access to the store (no key needed)."""
    if args.keys_command == "create":
        role = ApiRole(args.role)
        issued = issue_key(
            service.store,
            tenant,
            role,
            args.name or f"{role.value} key from the CLI",
            f"cli:{_os_user()}",
            description=args.description,
            expires_in_days=args.expires_in_days,
        )
        if args.json:
            print(issued.model_dump_json(indent=2))
        else:
            print(issued.key)
            expiry = f"expires {issued.expires_at:%Y-%m-%d %H:%M} UTC" if issued.expires_at else "no expiry"
            print(
                f"issued {issued.role.value} key {issued.key_id} for tenant {issued.tenant} ({expiry}); "
                "the secret above is shown only this once",
                file=sys.stderr,
            )
    elif args.keys_command == "list":
        found = list_keys(service.store, tenant)
        if args.json:
            print(json.dumps([k.model_dump(mode="json") for k in found], indent=2))
            return
        for k in found:
            state = "revoked" if k.revoked_at else "active"
            if k.expires_at and not k.revoked_at:
                state = f"expires {k.expires_at:%Y-%m-%d}"
            print(f"{k.key_id}  {k.role.value:12} {state:18} {k.created_at:%Y-%m-%d}  {k.name}")
    elif args.keys_command == "revoke":
        revoked = revoke_key(service.store, args.key_id)
        who = f"{revoked.role.value}, tenant {revoked.tenant}"
        print(f"revoked {revoked.key_id} ({who}) at {revoked.revoked_at:%Y-%m-%d %H:%M:%S} UTC")


def _tenant(service: TraceService, settings: Settings, args: argparse.Namespace, tenant: str) -> bool:
    """`tracegraph tenant …`; False when `drop` was not confirmed with the tenant's own name."""
    if args.tenant_command == "info":
        info = service.store.tenant_info(tenant)
        if args.json:
            print(
                json.dumps({"tenant": tenant, "data_version": info.data_version, "counts": dict(info.counts)})
            )
            return True
        print(f"tenant {tenant}: data version {info.data_version or '(nothing loaded)'}")
        for kind, count in sorted(info.counts.items()):
            print(f"  {kind:12} {count:>10,}")
        return True
    if args.confirm != tenant:
        print(
            f"error: not dropped: --confirm '{args.confirm}' does not name the tenant '{tenant}' "
            "(give --tenant and --confirm the same name)",
            file=sys.stderr,
        )
        return False
    report = service.offboard(tenant, settings.document_dir)
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print(f"tenant {tenant} offboarded: {report.records:,} records and {report.files:,} files deleted")
    return True


def _webhook_secrets(service: TraceService, settings: Settings, args: argparse.Namespace) -> None:
    """`tracegraph webhooks secrets`: what an operator rotating the secrets key checks before dropping
    the old key (and, with `--reseal`, does so it need not wait for traffic)."""
    found = service.webhooks.secret_states(reseal=args.reseal)
    if args.json:
        print(json.dumps([t.model_dump(mode="json") for t in found], indent=2))
        return
    total = dict.fromkeys(SealState, 0)
    for one in found:
        shown = ", ".join(f"{n} {state.value}" for state, n in one.states.items() if n)
        print(
            f"tenant {one.tenant}: {shown or 'no subscriptions'}"
            + (f" ({one.resealed} resealed)" if one.resealed else "")
        )
        for state, n in one.states.items():
            total[state] += n
    if not found:
        print("no webhook subscriptions")
    elif unknown := total[SealState.UNKNOWN_KEY]:
        print(
            f"{unknown} secret(s) sealed with a key that TRACEGRAPH_SECRETS_KEY does not hold: "
            "those subscriptions cannot sign until it does"
        )
    elif settings.secrets_key is None:
        print("TRACEGRAPH_SECRETS_KEY is not set: secrets are stored as issued")
    elif total[SealState.OLD_KEY] or total[SealState.PLAIN]:
        print("some secrets are not sealed with the first key yet: run with --reseal before dropping a key")
    else:
        print("every secret is sealed with the first key: the keys after it can be dropped")


def _evidence_pack(service: TraceService, tenant: str, settings: Settings, args: argparse.Namespace) -> None:
    """Write the pack; the same bytes as `GET …/evidence-pack?format=…` for the same data."""
    checklist = settings.evidence_checklist
    pack = (
        service.lot_evidence_pack(tenant, args.subject_id, checklist)
        if args.lot
        else service.evidence_pack(tenant, args.subject_id, checklist)
    )
    fmt = PackFormat(args.format)
    content = render_pack(pack, fmt)
    if str(args.output) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    path = args.output or Path(pack_filename(pack, fmt))
    path.write_bytes(content)
    print(f"{path}: {pack.subject.kind.value} {pack.subject.id}, {pack.verdict.value}, {len(content)} bytes")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"


def _changes(service: TraceService, tenant: str, args: argparse.Namespace) -> None:
    """`tracegraph changes`: judge what moved since the last judgement (as the API's worker would), then
    print the feed; the first run for a tenant only records where its verdicts stand."""
    recorded = service.changes.catch_up(tenant)
    page = service.changes.feed(tenant, since=args.since, limit=args.limit)
    if args.json:
        print(json.dumps([c.model_dump(mode="json") for c in page.items], indent=2))
        return
    state = service.changes.state(tenant)
    if state is not None and state.mode == "seed" and not page.items:
        print(f"first screening of tenant {tenant}: {state.subjects} verdicts recorded; changes from now on")
    for c in page.items:
        old = c.old_verdict.value if c.old_verdict else "(new)"
        print(f"#{c.seq:<5} {c.changed_at:%Y-%m-%d %H:%M} {c.subject_id:14} {old} -> {c.new_verdict.value}")
        print(f"       {c.explanation}")
    if recorded:
        print(f"{len(recorded)} new change(s) recorded now", file=sys.stderr)


def _screen_all(service: TraceService, tenant: str, args: argparse.Namespace) -> None:
    if args.products is not None:
        lines = args.products.read_text(encoding="utf-8").splitlines()
        ids = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    else:
        ids = all_product_ids(service.store, tenant)
    bar = ProgressBar(len(ids), "reading upstreams", enabled=args.progress)
    results = service.screen_products(tenant, ids, progress=bar.update)
    bar.close()
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in results], indent=2))
    elif args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(CSV_COLUMNS)
        for r in results:
            row = r.model_dump(mode="json")
            writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])
    else:
        for r in results:
            where = f"  {r.facility_id} ({r.rule})" if r.facility_id else (f"  gap: {r.gap}" if r.gap else "")
            print(f"{r.product_id:14} {r.verdict.value:20}{where}")
    missing = len(ids) - len(results)
    if missing:
        print(f"warning: {missing} of the listed products are not loaded", file=sys.stderr)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from app.api.main import create_app

    if args.load_demo:
        store = open_store(settings)
        try:
            service = TraceService(store)
            service.start()
            report, lots_report = service.load_demo(settings.default_tenant)
            print_report(report, sys.stdout)
            print_epcis_report(lots_report, sys.stdout)
        finally:
            store.close()
    uvicorn.run(create_app(settings), host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
