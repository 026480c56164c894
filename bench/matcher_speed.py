"""How fast is `EntityMatcher.match`, and is it still the matcher it was: `python -m bench.matcher_speed`.

    python -m bench.matcher_speed                 # 20,000 suppliers + the evaluation queries, vs HEAD
    python -m bench.matcher_speed --suppliers 5000 --no-profile
    python -m bench.matcher_speed --baseline-ref HEAD~3

The matcher is built from the shipped lists (`app.reference.shipped_lists`) and the evaluation targets,
padded with synthetic Chinese-style entries to `--pad-to` entries the way `evaluation.run.throughput`
pads (the full CSL's Chinese entries and the complete UFLPA list are a few thousand). Two workloads:

- (a) generated supplier companies, named like the benchmark bundle's (`bench.generate`'s company
  generator: "Qingdao Hengkang Industrial Co., Ltd." / 青岛恒康实业有限公司, address, USCC): almost all
  match nothing, which is what batch screening meets;
- (b) the queries of the evaluation sets (`evaluation/name_pairs.csv` and the held-out set): mostly
  listed names and their hard negatives.

The matcher as committed at `--baseline-ref` (default HEAD) is loaded from git into temporary modules
and run side by side on the same records in the same process, and every output of the two (default
call, and `include_no_match=True, limit=50` on (b)) is compared: the speed-up must change no decision.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import subprocess
import sys
import time
import types
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from app.reference import shipped_lists
from app.screening.matcher import EntityMatcher
from app.screening.model import Match, ScreenRecord
from bench.generate import _PLACES, _TRADER_PLACES, _XUAR, GeneratorConfig, _Generator
from evaluation.holdout_run import NAME_PAIRS as HOLDOUT_PAIRS
from evaluation.names_eval import eval_lists, load_pairs
from evaluation.run import synthetic_padding
from graph_schema import ListEntry, ListVersion

ROOT = Path(__file__).resolve().parent.parent
Lists = list[tuple[ListVersion, list[ListEntry]]]


def load_baseline(ref: str) -> Any | None:
    """`app.screening.matcher` (and the `names` it imports) as committed at `ref`, as temporary modules.

    The old `names` is loaded too, so the baseline normalises with its own (uncached, unoptimised) code.
    """
    sources: dict[str, str] = {}
    for mod in ("names", "matcher"):
        try:
            sources[mod] = subprocess.run(
                ["git", "show", f"{ref}:app/screening/{mod}.py"],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        except (OSError, subprocess.CalledProcessError) as e:
            print(f"baseline {ref} unavailable ({e}); timing the current matcher only")
            return None
    loaded: dict[str, types.ModuleType] = {}
    for mod in ("names", "matcher"):
        name = f"_baseline_{mod}"
        module = types.ModuleType(name)
        module.__file__ = f"<{ref}:app/screening/{mod}.py>"
        sys.modules[name] = module  # dataclasses look their module up while the class body runs
        code = sources[mod].replace("from app.screening.names import", "from _baseline_names import")
        exec(compile(code, module.__file__, "exec"), module.__dict__)
        loaded[mod] = module
    return loaded["matcher"]


def matcher_lists(pad_to: int) -> Lists:
    """Shipped lists + both evaluation sets' targets, padded to `pad_to` entries like `evaluation.run`."""
    lists: Lists = [(v, list(e)) for v, e in shipped_lists()]
    for path in (None, HOLDOUT_PAIRS):
        pairs = load_pairs() if path is None else load_pairs(path)
        for version, entries in eval_lists(pairs):
            tag = "eval" if path is None else "holdout"
            lists.append((version.model_copy(update={"version_id": f"{version.list_name}:{tag}"}), entries))
    rng = random.Random(20260101)
    padding = synthetic_padding(
        pad_to - sum(len(e) for _, e in lists),
        rng,
        "bench.matcher_speed padding (evaluation.run's generator)",
    )
    if padding is not None:
        lists.append(padding)
    return lists


def supplier_records(n: int, seed: int = 42) -> list[ScreenRecord]:
    """`n` distinct supplier companies from the bundle generator, as a trace screens them."""
    gen = _Generator(GeneratorConfig(seed=seed))
    places = (*_PLACES, *_XUAR, *_TRADER_PLACES)
    while len(gen.companies) < n:
        gen._company(gen.rng.choice(places))
    # columns: company_id, name, name_local, aliases, country, registration_id, scheme, address, ...
    return [
        ScreenRecord(
            name=c[1],
            name_local=c[2] or None,
            country=c[4] or None,
            registration_id=c[5] or None,
            address=c[7] or None,
        )
        for c in gen.companies[:n]
    ]


def eval_records() -> list[ScreenRecord]:
    return [p.record for p in (*load_pairs(), *load_pairs(HOLDOUT_PAIRS))]


def timed(
    fns: Sequence[Callable[[ScreenRecord], list[Match]]], records: Sequence[ScreenRecord], block: int = 100
) -> list[tuple[float, list[Any]]]:
    """ms/record of each function over the records, and its outputs: one pass (cold caches, as in
    production), the functions taking turns block by block so a busy machine slows them alike."""
    seconds = [0.0] * len(fns)
    outs: list[list[Any]] = [[] for _ in fns]
    for lo in range(0, len(records), block):
        chunk = records[lo : lo + block]
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            outs[i].extend(fn(r) for r in chunk)
            seconds[i] += time.perf_counter() - start
    return [(s * 1000 / max(1, len(records)), out) for s, out in zip(seconds, outs, strict=True)]


def dumped(results: list[list[Match]]) -> list[list[dict[str, Any]]]:
    return [[m.model_dump() for m in ms] for ms in results]


def profile(fn: Callable[[ScreenRecord], list[Match]], records: Sequence[ScreenRecord], top: int) -> str:
    prof = cProfile.Profile()
    prof.enable()
    for r in records:
        fn(r)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    lines = buf.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(line.replace(str(ROOT) + "/", "") for line in lines[start:] if line.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.matcher_speed", description=__doc__)
    parser.add_argument("--suppliers", type=int, default=20_000, help="generated supplier records")
    parser.add_argument("--pad-to", type=int, default=3000, help="pad the lists to this many entries")
    parser.add_argument("--baseline-ref", default="HEAD", help="git ref of the matcher to compare with")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile summaries")
    parser.add_argument("--top", type=int, default=15, help="functions per profile summary")
    args = parser.parse_args(argv)

    lists = matcher_lists(args.pad_to)
    suppliers = supplier_records(args.suppliers)
    queries = eval_records()
    print(
        f"lists: {sum(len(e) for _, e in lists)} entries ({len(lists)} list versions); "
        f"(a) {len(suppliers)} suppliers ({len({r.name for r in suppliers})} distinct names), "
        f"(b) {len(queries)} evaluation queries"
    )

    old_mod = load_baseline(args.baseline_ref)
    rows: list[tuple[str, float, float | None]] = []
    identical = True
    t0 = time.perf_counter()
    new = EntityMatcher(lists)
    new_build = time.perf_counter() - t0
    old = None
    old_build = None
    if old_mod is not None:
        t0 = time.perf_counter()
        old = old_mod.EntityMatcher(lists)
        old_build = time.perf_counter() - t0
    rows.append(("build (s, not ms)", new_build, old_build))

    workloads: list[tuple[str, Sequence[ScreenRecord], dict[str, Any]]] = [
        ("(a) suppliers, match()", suppliers, {}),
        ("(b) eval queries, match()", queries, {}),
        ("(b) eval queries, limit=50 include_no_match", queries, {"limit": 50, "include_no_match": True}),
    ]
    for label, records, kwargs in workloads:
        # both start with cold normalisation caches (separate modules), as a batch run meets its names
        fns: list[Callable[[ScreenRecord], list[Match]]] = [partial(new.match, **kwargs)]
        if old is not None:
            fns.append(partial(old.match, **kwargs))
        (new_ms, new_out), *baseline = timed(fns, records)
        old_ms, old_out = baseline[0] if baseline else (None, [])
        rows.append((label, new_ms, old_ms))
        if old is not None:
            same = dumped(new_out) == dumped(old_out)
            identical &= same
            diffs = sum(a != b for a, b in zip(dumped(new_out), dumped(old_out), strict=True))
            print(f"{label}: outputs identical to {args.baseline_ref}: {same} ({diffs} records differ)")
        hits = sum(bool(o) for o in new_out)
        print(f"{label}: {hits}/{len(records)} records with a result")

    print()
    print(f"| workload | ms/record now | ms/record at {args.baseline_ref} | speed-up |")
    print("| --- | ---: | ---: | ---: |")
    for label, now, before in rows:
        speed = f"{before / now:.1f}x" if before and now else "-"
        before_s = f"{before:.3f}" if before is not None else "-"
        print(f"| {label} | {now:.3f} | {before_s} | {speed} |")
    print()

    if not args.no_profile:
        # warm caches now: the profile shows the steady state of the matching itself
        sample = suppliers[: min(len(suppliers), 5000)]
        print(f"## profile, current matcher, (a) first {len(sample)} suppliers (second pass)")
        print(profile(new.match, sample, args.top))
        if old is not None:
            print(f"\n## profile, matcher at {args.baseline_ref}, same records (second pass)")
            print(profile(old.match, sample, args.top))
    if old is not None and not identical:
        print("OUTPUTS DIFFER from the baseline", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
