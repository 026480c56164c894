"""The benchmark: load a generated bundle into each store and trace products, beside the baselines.

    python -m bench.run                      # 100k nodes, both stores (needs `make neo4j-up`)
    python -m bench.run --size L             # S 10k, M 100k, L 1M nodes
    python -m bench.run --nodes 20000 --stores memory
    python -m bench.run --size M --write docs/benchmarks.md   # replaces that size's section

Everything runs in one process on one generated bundle (seeded, so reproducible), and each figure is
printed next to its baseline (`bench/baselines.py`) measured in the same run: batched loading beside
row-at-a-time writes, the tier-batched walk beside one round trip per state. Each run loads into a new
tenant, so runs never disturb each other or anyone's data.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from app.config import Settings, StoreBackend
from app.errors import TracegraphError
from app.ingest import load_bundle
from app.reference import build_rules, ensure_reference_data
from app.store.base import GraphStore, all_product_ids
from app.store.factory import open_store
from app.store.neo4j_store import Neo4jStore
from app.trace.models import TraceResult
from app.trace.rules import RiskRule
from app.trace.screen_all import screen_all
from app.trace.walk import trace_product
from bench.baselines import Unbatched, row_at_a_time
from bench.generate import BundleStats, generate
from loaders.bundle import validate_bundle

OUT = Path(__file__).resolve().parent / "out"
#: the sizes issue 5 names: S 10k, M 100k, L 1M nodes (about 5 edges per node at L)
SIZES = {"S": 10_000, "M": 100_000, "L": 1_000_000}


@dataclass
class Row:
    store: str
    measure: str
    ours: str
    baseline: str
    note: str = ""


#: defaults of how a run measures (the header's command names them when a run used others)
LOADS = 3
DEEP_REPEATS = 100


def pct(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def timed_trace(
    store: GraphStore, tenant: str, product_id: str, rules: Sequence[RiskRule]
) -> tuple[float, TraceResult]:
    """Seconds for one trace, and its document, returned rather than dropped: freeing a 1,000-state
    document's objects takes milliseconds that belong to whoever holds it (the service, after answering),
    so the clock stops first, and a caller rebinding its variable frees the previous one after this one's
    clock stopped too."""
    start = time.perf_counter()
    result = trace_product(store, tenant, product_id, rules)
    return time.perf_counter() - start, result


def ms(samples: Sequence[float]) -> str:
    return f"p50 {pct(samples, 0.5) * 1000:.1f} ms, p95 {pct(samples, 0.95) * 1000:.1f} ms"


def bench_store(
    name: str, store: GraphStore, bundle_dir: Path, stats: BundleStats, args: argparse.Namespace
) -> list[Row]:
    """Measure one store in fresh tenants, and delete them afterwards so runs do not pile up data."""
    run = uuid.uuid4().hex[:8]
    try:
        return _bench_store(name, store, run, bundle_dir, stats, args)
    finally:
        for tenant in (f"bench-{run}", f"bench-{run}-baseline", f"bench-{run}-warmup"):
            try:
                store.drop_tenant(tenant)
            except TracegraphError as e:  # the figures are measured: say what is left, keep them
                print(f"could not drop tenant {tenant}: {e.detail}", file=sys.stderr)


def _bench_store(
    name: str, store: GraphStore, run: str, bundle_dir: Path, stats: BundleStats, args: argparse.Namespace
) -> list[Row]:
    rows: list[Row] = []
    tenant = f"bench-{run}"
    total_rows = sum(stats.rows.values())
    ensure_reference_data(store)
    rules = build_rules(store)

    # A warm-up load of the same bundle into a scratch tenant, dropped before measuring: the first write
    # after a Neo4j start runs the JVM's JIT compiler over the write path (measured: ~4x the server CPU of
    # later loads), which says how long ago the server started, not how fast it loads. Reported apart.
    warm_s = 0.0
    if args.warmup:
        warm_s = timed(lambda: load_bundle(store, f"bench-{run}-warmup", bundle_dir))
        store.drop_tenant(f"bench-{run}-warmup")

    # Loading: validation alone, then the whole load (validate, diff, write; on Neo4j a first load below
    # the staged size is written while it is validated, see `GraphStore.first_load`), `--loads` times
    # into new tenants (all but the last dropped again): on a shared 2-core machine one load varies by
    # ±15%, so the figure is the median.
    validate_s = timed(lambda: validate_bundle(bundle_dir, store, tenant))
    load_runs: list[float] = []
    for i in range(args.loads):
        into = tenant if i == args.loads - 1 else f"bench-{run}-load{i}"
        load_runs.append(timed(partial(load_bundle, store, into, bundle_dir)))
        if into != tenant:
            store.drop_tenant(into)
    load_s = statistics.median(load_runs)
    parsed = validate_bundle(bundle_dir, store, f"bench-{run}-baseline")
    assert parsed.bundle is not None
    start = time.perf_counter()
    sample = row_at_a_time(store, f"bench-{run}-baseline", parsed.bundle, args.baseline_rows, 20.0)
    baseline_s = time.perf_counter() - start
    rows.append(
        Row(
            name,
            f"load {total_rows:,} rows (validate + diff + write)",
            f"{total_rows / load_s:,.0f} rows/s ({load_s:.1f} s)",
            f"{sample / baseline_s:,.0f} rows/s",
            (
                f"median of {len(load_runs)} loads into new tenants "
                f"({', '.join(f'{total_rows / s:,.0f}' for s in load_runs)} rows/s); "
                if len(load_runs) > 1
                else ""
            )
            + f"baseline: row at a time, {sample:,} rows; "
            f"validation alone {total_rows / validate_s:,.0f} rows/s ({validate_s:.1f} s"
            + (
                "; Neo4j writes a first load while validating it)"
                if isinstance(store, Neo4jStore) and not store.stages(total_rows)
                else ")"
            )
            + (
                f"; after a warm-up load of the same bundle into a scratch tenant "
                f"({total_rows / warm_s:,.0f} rows/s, {warm_s:.1f} s)"
                if args.warmup
                else ""
            ),
        )
    )
    reload_s = timed(lambda: load_bundle(store, tenant, bundle_dir))
    rows.append(Row(name, "reload the same bundle (no changes)", f"{reload_s:.1f} s", "-", "nothing written"))

    # Tracing: a seeded sample of products, and the deep product (~1,000 upstream states).
    products = all_product_ids(store, tenant)
    rng = random.Random(args.seed)
    picked = rng.sample(products, min(args.traces, len(products)))
    # The first sight of each supplier includes screening it (the detectors cache their answer per
    # company and facility for the process): timed apart, then the steady state over the same sample.
    first: list[float] = []
    for pid in picked:
        seconds, result = timed_trace(store, tenant, pid, rules)
        first.append(seconds)
    times: list[float] = []
    states: list[int] = []
    for pid in picked:
        seconds, result = timed_trace(store, tenant, pid, rules)
        times.append(seconds)
        states.append(result.stats.states)
    unbatched: GraphStore = Unbatched(store)  # type: ignore[assignment]
    naive_times = []
    for pid in picked[: args.baseline_traces]:
        seconds, slow = timed_trace(unbatched, tenant, pid, rules)
        naive_times.append(seconds)
        assert slow == trace_product(store, tenant, pid, rules), pid
    rows.append(
        Row(
            name,
            f"first trace of {len(picked)} sampled products (suppliers screened on first sight)",
            ms(first),
            "-",
            "the detectors' answers are then cached per process",
        )
    )
    rows.append(
        Row(
            name,
            f"trace {len(picked)} sampled products",
            ms(times),
            ms(naive_times),
            f"states per trace: mean {statistics.mean(states):.0f}, max {max(states)}",
        )
    )
    if stats.deep_product_id:
        deep = stats.deep_product_id
        deep_times: list[float] = []
        deep_states = 0
        for _ in range(args.deep_repeats):
            seconds, result = timed_trace(store, tenant, deep, rules)
            deep_times.append(seconds)
            deep_states = result.stats.states
        naive_deep: list[float] = []
        for _ in range(max(3, min(10, args.deep_repeats // 5))):
            seconds, slow = timed_trace(unbatched, tenant, deep, rules)
            naive_deep.append(seconds)
        assert slow == result, "the baseline must give the same answer"
        rows.append(
            Row(
                name,
                f"trace the deep product ({deep_states:,} states, {result.stats.max_tier} tiers)",
                ms(deep_times),
                ms(naive_deep),
                "baseline: the same walk, one round trip per key; the first of the "
                f"{len(deep_times)} traces, before any of its suppliers was screened or (Neo4j) its "
                f"records decoded and kept for this data version: {deep_times[0] * 1000:.0f} ms",
            )
        )

    # Screening every product: the shared state graph judged once, beside one walk per product.
    # The first run also screens every supplier not seen yet (detector answers are cached per
    # process); timed apart, then both methods run with warm detectors.
    cold_s = timed(lambda: screen_all(store, tenant, products, rules))
    start = time.perf_counter()
    batch = screen_all(store, tenant, products, rules)
    screen_s = time.perf_counter() - start
    naive_n = min(len(products), args.naive_screen)
    start = time.perf_counter()
    naive = {pid: trace_product(store, tenant, pid, rules).verdict for pid in products[:naive_n]}
    naive_s = time.perf_counter() - start
    assert all(naive[b.product_id] is b.verdict for b in batch[:naive_n]), "screen_all must agree"
    naive_rate = naive_n / naive_s
    rows.append(
        Row(
            name,
            f"screen all {len(products):,} products (verdicts)",
            f"{len(products) / screen_s:,.0f} products/s ({screen_s:.1f} s)",
            f"{naive_rate:,.0f} products/s (~{len(products) / naive_rate:.0f} s)",
            f"baseline: one walk per product, timed on {naive_n:,} of them; ours is "
            f"{(len(products) / screen_s) / naive_rate:.1f}x; first run (screening every supplier) "
            f"{cold_s:.1f} s; peak RSS {_peak_rss_mib():,.0f} MiB (this process)",
        )
    )
    return rows


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render(rows: list[Row], header: str) -> str:
    lines = [
        header,
        "",
        "| store | measure | tracegraph | baseline | note |",
        "|---|---|---|---|---|",
        *(f"| {r.store} | {r.measure} | {r.ours} | {r.baseline} | {r.note} |" for r in rows),
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), help="preset: S 10k, M 100k, L 1M nodes")
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--products", type=int, help="exactly this many products instead of a node target")
    parser.add_argument(
        "--shared-components",
        type=float,
        default=0.6,
        help="chance a BOM line reuses an existing component (a catalogue of variants: 0.97)",
    )
    parser.add_argument("--share-xuar", type=float, default=0.02, help="share of origins in the XUAR")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--deep-states", type=int, default=1000)
    parser.add_argument("--stores", default="neo4j,memory", help="comma-separated: neo4j, memory")
    parser.add_argument("--traces", type=int, default=200, help="sampled products to trace")
    parser.add_argument("--baseline-traces", type=int, default=50)
    parser.add_argument(
        "--deep-repeats",
        type=int,
        default=DEEP_REPEATS,
        help="traces of the deep product (the first, cold, is also reported apart)",
    )
    parser.add_argument("--loads", type=int, default=LOADS, help="measured loads (the median is reported)")
    parser.add_argument(
        "--no-warmup",
        dest="warmup",
        action="store_false",
        help="measure the first load directly (by default one warm-up load of the bundle comes first)",
    )
    parser.add_argument("--baseline-rows", type=int, default=2000, help="rows for the row-at-a-time baseline")
    parser.add_argument("--naive-screen", type=int, default=300, help="products the naive screen walks")
    parser.add_argument("--write", type=Path, help="also replace the results section of this markdown file")
    parser.add_argument("--section", help="the section's marker name (default: bench-<size>)")
    args = parser.parse_args(argv)
    if args.size:
        args.nodes = SIZES[args.size]

    shape = f"{args.products}p" if args.products else str(args.nodes)
    bundle_dir = OUT / (
        f"bundle-{shape}-{args.seed}-{args.deep_states}-{args.shared_components}-{args.share_xuar}"
    )
    started = time.perf_counter()
    stats = generate(
        bundle_dir,
        n_products=args.products,
        seed=args.seed,
        nodes=None if args.products else args.nodes,
        deep_states=args.deep_states,
        shared_components=args.shared_components,
        share_xuar=args.share_xuar,
    )
    print(
        f"generated {stats.nodes:,} nodes ({stats.products:,} products) "
        f"in {time.perf_counter() - started:.1f} s at {bundle_dir}",
        file=sys.stderr,
    )
    gauge_before = cpu_gauge_ms()
    rows: list[Row] = []
    database_nodes: int | None = None
    for name in args.stores.split(","):
        backend = StoreBackend(name.strip())
        settings = Settings(store=backend, memory_path=OUT / f"memory-{uuid.uuid4().hex[:8]}.json")
        store = open_store(settings)
        try:
            if isinstance(store, Neo4jStore):
                database_nodes = store.database_nodes()
            print(f"benchmarking {backend.value} ...", file=sys.stderr)
            rows += bench_store(backend.value, store, bundle_dir, stats, args)
        finally:
            store.close()
            if backend is StoreBackend.MEMORY:
                settings.memory_path.unlink(missing_ok=True)
    header = (
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node() and 'this machine'}: "
        f"{platform.python_implementation()} {platform.python_version()}, {_cpus()} cores; bundle seed "
        f"{args.seed}, {stats.nodes:,} nodes, {stats.products:,} products "
        f"(`python -m bench.run {_size_args(args)} --seed {args.seed} --stores {args.stores}`). "
        f"CPU gauge (`cpu_gauge_ms`, lower is faster): {gauge_before:.0f} ms before, "
        f"{cpu_gauge_ms():.0f} ms after."
        + (
            f" The Neo4j database held {database_nodes:,} nodes before the run (a long-used one loads "
            "slower; see the method)."
            if database_nodes is not None
            else ""
        )
    )
    table = render(rows, header)
    print(table)
    if args.write:
        # Each size has its own section, so the M and L figures stand side by side in the document.
        section = args.section or (f"bench-{args.size}" if args.size else "bench")
        begin, end = f"<!-- {section}:begin -->", f"<!-- {section}:end -->"
        text = args.write.read_text(encoding="utf-8")
        if begin not in text:
            text += f"\n{begin}\n{end}\n"
        before, _, rest = text.partition(begin)
        _, _, after = rest.partition(end)
        args.write.write_text(f"{before}{begin}\n{table}{end}{after}", encoding="utf-8")
    return 0


def _size_args(args: argparse.Namespace) -> str:
    """The command-line words that reproduce this run's bundle and measurements."""
    if args.products:
        words = f"--products {args.products}"
    else:
        words = f"--size {args.size}" if args.size else f"--nodes {args.nodes}"
    if args.shared_components != 0.6:
        words += f" --shared-components {args.shared_components}"
    if args.share_xuar != 0.02:
        words += f" --share-xuar {args.share_xuar}"
    # and how it was measured, where that differs from the defaults
    if args.loads != LOADS:
        words += f" --loads {args.loads}"
    if args.deep_repeats != DEEP_REPEATS:
        words += f" --deep-repeats {args.deep_repeats}"
    return words


def cpu_gauge_ms(repeats: int = 3) -> float:
    """How fast this machine runs this kind of Python right now: the best of `repeats` timings of one
    fixed piece of work shaped like ours (build 200k small dicts, sort them, index them by key, ~60 MB,
    so that a neighbour's pressure on caches and memory shows as well as a slower core). The shared
    machine's speed drifts by 20-50% between hours, so a run's figures are read against the gauge taken
    with them rather than against another hour's run."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        rows = [{"id": f"K{(i * 7919) % 200_003:07d}", "n": i % 97} for i in range(200_000)]
        rows.sort(key=lambda row: (row["n"], row["id"]))
        index = {row["id"]: row for row in rows}
        best = min(best, time.perf_counter() - started)
        del rows, index
    return best * 1000


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
