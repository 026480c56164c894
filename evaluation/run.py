"""Run the screening evaluation: `python -m evaluation.run [--check] [--write docs/screening.md]`.

Prints, for the location detector (if its module is present) and the entity matcher, each method's
precision / recall / F1 per category and overall with its time per record, then a throughput check of the
matcher. `--check` exits non-zero if our figures fall under `evaluation.floors` or a baseline's F1 reaches
ours; `--write` regenerates the figures section of the screening document.
"""

from __future__ import annotations

import argparse
import importlib
import random
import sys
import time
from datetime import date
from pathlib import Path

from app.screening import matcher as matcher_mod
from app.screening.matcher import EntityMatcher
from app.screening.model import ScreenRecord
from evaluation import floors
from evaluation.metrics import MethodScores
from evaluation.names_eval import (
    NOMENKLATURA_THRESHOLD,
    RAPIDFUZZ_THRESHOLD,
    eval_lists,
    evaluate_names,
    load_pairs,
)
from graph_schema import ListEntry, ListVersion

ROOT = Path(__file__).resolve().parent.parent


def table(title: str, results: list[MethodScores]) -> str:
    """A Markdown table: one row per method overall, then one per (method, category)."""
    lines = [
        f"### {title}",
        "",
        "| method | category | n | TP | FP | FN | TN | precision | recall | F1 | ms/record |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for ms in results:
        o = ms.overall
        lines.append(
            f"| **{ms.method}** | **overall** | {o.n} | {o.tp} | {o.fp} | {o.fn} | {o.tn} | "
            f"**{o.precision:.3f}** | **{o.recall:.3f}** | **{o.f1:.3f}** | {ms.ms_per_record:.2f} |"
        )
    for ms in results:
        for cat, s in sorted(ms.per_category.items()):
            lines.append(
                f"| {ms.method} | {cat} | {s.n} | {s.tp} | {s.fp} | {s.fn} | {s.tn} | "
                f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | |"
            )
    return "\n".join(lines)


def _loaded_lists() -> tuple[list[tuple[ListVersion, list[ListEntry]]], str]:
    """Every list the repository ships (the list loaders if present, else the UFLPA file)."""
    try:
        lists_mod = importlib.import_module("loaders.lists")
        loaded = lists_mod.load_shipped()
        out = [(v, list(e)) for v, e in loaded]
        if out:
            return out, "loaders.lists.load_shipped()"
    except Exception as e:  # the list loaders are being built in parallel; fall back, say so
        note = f"loaders.lists unavailable ({type(e).__name__}); "
    else:
        note = ""
    from loaders.uflpa import load_uflpa_file

    return [load_uflpa_file()], note + "loaders/uflpa.py"


_SYLLABLES = (  # noqa: SIM905
    "an bao bei chang chen da dong fang feng fu gao guang hai hao he hong hua jia jin kang li lian long "
    "mei ming nan ning peng qi rui sheng shi tai tian tong wei xin xing yi yong yu yuan zhi zhong"
).split()
_PLACES = "Shanghai Ningbo Xiamen Wuxi Hefei Urumqi Shenzhen Qingdao Changzhou Foshan Kashgar Aksu".split()  # noqa: SIM905
_TRADES = "Textile Garment Trading Electronics Machinery Chemical Solar Food Packaging Logistics".split()  # noqa: SIM905
_FORMS = ("Co., Ltd.", "CO LTD", "Company Limited", "Group Co., Ltd.", "Corp.", "")


def synthetic_padding(
    count: int, rng: random.Random, source: str
) -> tuple[ListVersion, list[ListEntry]] | None:
    """`count` synthetic Chinese-style list entries (None if none are needed).

    Why: speed has to be measured against list sizes the full CSL and UFLPA list reach, not the few
    hundred entries shipped; the evaluation and `bench.matcher_speed` pad the same way so their
    figures compare.
    """
    if count <= 0:
        return None
    version = ListVersion(
        version_id="SYNTHETIC:pad",
        list_name="SYNTHETIC",
        source=source,
        retrieved_on=date(2026, 1, 1),
        sha256="0" * 64,
        entry_count=count,
    )
    entries = [
        ListEntry(entry_id=f"syn:{i}", list_name="SYNTHETIC", name=_synthetic_name(rng)) for i in range(count)
    ]
    return version, entries


def _synthetic_name(rng: random.Random) -> str:
    trade = "".join(rng.choice(_SYLLABLES) for _ in range(2)).capitalize()
    return f"{rng.choice(_PLACES)} {trade} {rng.choice(_TRADES)} {rng.choice(_FORMS)}".strip()


def throughput(n: int = floors.THROUGHPUT_RECORDS, pad_to: int = 3000) -> dict[str, float | int | str]:
    """Time `n` generated records through `EntityMatcher.match` against all lists (padded to `pad_to`).

    Why padded: the shipped lists are a few hundred entries today; the full CSL's Chinese entries and the
    complete UFLPA list are a few thousand, and the budget has to hold there. The padding is synthetic
    Chinese-style company names, the hardest case for the index (shared places and trade words).
    """
    lists, source = _loaded_lists()
    lists = lists + eval_lists(load_pairs())
    rng = random.Random(20260101)
    real = sum(len(e) for _, e in lists)
    padding = synthetic_padding(pad_to - real, rng, "evaluation.run padding")
    if padding is not None:
        lists.append(padding)
    build_start = time.perf_counter()
    m = EntityMatcher(lists)
    build_s = time.perf_counter() - build_start
    listed = [e.name for _, es in lists for e in es]
    records = []
    for i in range(n):
        if i % 3 == 0:
            name = rng.choice(listed).upper().replace(".", "").replace(",", "")
        else:
            name = _synthetic_name(rng)
        records.append(ScreenRecord(name=name, country="CN"))
    start = time.perf_counter()
    hits = 0
    for r in records:
        hits += bool(m.match(r))
    seconds = time.perf_counter() - start
    return {
        "records": n,
        "entries": m.entry_count,
        "real_entries": real,
        "lists_source": source,
        "build_seconds": round(build_s, 3),
        "seconds": round(seconds, 3),
        "ms_per_record": round(seconds * 1000 / n, 3),
        "records_with_a_result": hits,
    }


def _location() -> tuple[list[MethodScores] | None, str]:
    try:
        mod = importlib.import_module("evaluation.location_eval")
    except ImportError as e:
        return None, f"location evaluation skipped: {e}"
    try:
        return list(mod.evaluate_location()), ""
    except Exception as e:  # another engineer's module in progress: report, do not crash the names half
        return None, f"location evaluation failed: {type(e).__name__}: {e}"


def check(
    names: list[MethodScores], tp: dict[str, float | int | str], location: list[MethodScores] | None = None
) -> list[str]:
    """Every floor or comparison our figures fail (empty = pass); a location evaluation that could not
    run is a failure too, so the gate cannot pass by skipping half of it."""
    failures: list[str] = []
    if location is None:
        failures.append("location evaluation did not run")
    else:
        lo = location[0]
        if lo.overall.precision < floors.LOCATION_PRECISION_MIN:
            failures.append(
                f"location precision {lo.overall.precision:.3f} < {floors.LOCATION_PRECISION_MIN}"
            )
        if lo.overall.recall < floors.LOCATION_RECALL_MIN:
            failures.append(f"location recall {lo.overall.recall:.3f} < {floors.LOCATION_RECALL_MIN}")
        if lo.ms_per_record > floors.LOCATION_MS_PER_RECORD_MAX:
            failures.append(
                f"location {lo.ms_per_record:.2f} ms/record > {floors.LOCATION_MS_PER_RECORD_MAX}"
            )
        for baseline in location[1:]:
            if baseline.overall.f1 >= lo.overall.f1:
                theirs, ours_f1 = baseline.overall.f1, lo.overall.f1
                failures.append(f"location baseline {baseline.method} F1 {theirs:.3f} >= ours {ours_f1:.3f}")
    ours = names[0]
    o = ours.overall
    if o.precision < floors.NAMES_PRECISION_MIN:
        failures.append(f"names precision {o.precision:.3f} < {floors.NAMES_PRECISION_MIN}")
    if o.recall < floors.NAMES_RECALL_MIN:
        failures.append(f"names recall {o.recall:.3f} < {floors.NAMES_RECALL_MIN}")
    if o.f1 < floors.NAMES_F1_MIN:
        failures.append(f"names F1 {o.f1:.3f} < {floors.NAMES_F1_MIN}")
    if ours.ms_per_record > floors.NAMES_MS_PER_RECORD_MAX:
        failures.append(f"names {ours.ms_per_record:.2f} ms/record > {floors.NAMES_MS_PER_RECORD_MAX}")
    for baseline in names[1:]:
        if baseline.overall.f1 >= o.f1:
            failures.append(f"baseline {baseline.method} F1 {baseline.overall.f1:.3f} >= ours {o.f1:.3f}")
    if float(tp["seconds"]) > floors.THROUGHPUT_SECONDS_MAX:
        failures.append(f"throughput {tp['seconds']} s > {floors.THROUGHPUT_SECONDS_MAX} s")
    return failures


def render_figures(
    names: list[MethodScores],
    location: list[MethodScores] | None,
    location_note: str,
    tp: dict[str, float | int | str],
) -> str:
    """The generated part of docs/screening.md."""
    pairs = load_pairs()
    n_pos = sum(p.expected for p in pairs)
    parts = [
        "<!-- generated by `python -m evaluation.run --write docs/screening.md`: edit the text above -->",
        "## Figures",
        "",
        f"Name set: {len(pairs)} pairs ({n_pos} same entity, {len(pairs) - n_pos} hard negatives) over "
        f"{len({(p.target.list_name, p.target.entry_id) for p in pairs})} real list entries.",
        "",
        table("Entity matcher vs baselines (pairwise, positive = decision `match`)", names),
        "",
        f"Baseline thresholds: nomenklatura score >= {NOMENKLATURA_THRESHOLD} (yente's default match "
        f"threshold; the algorithms ship none), rapidfuzz token_set_ratio >= {RAPIDFUZZ_THRESHOLD:.0f}.",
        "",
        "Our errors: " + (", ".join(names[0].errors) or "none") + " (see `evaluation/name_pairs.csv`).",
        "",
        "### Throughput",
        "",
        f"{tp['records']:,} generated records through `EntityMatcher.match` against "
        f"{tp['entries']:,} entries ({tp['real_entries']} real, from {tp['lists_source']} and the "
        f"evaluation targets; the rest synthetic padding): **{tp['seconds']} s** "
        f"({tp['ms_per_record']} ms/record; index built in "
        f"{tp['build_seconds']} s).",
        "",
    ]
    if location is not None:
        parts += [table("Location detector", location), ""]
    else:
        parts += ["### Location detector", "", location_note, ""]
    return "\n".join(parts)


_MARKER = "<!-- generated by `python -m evaluation.run"


def write_doc(path: Path, figures: str) -> None:
    """Replace the generated section of the document, keeping the hand-written text above it."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Screening\n\n"
    head = text.split(_MARKER, 1)[0].rstrip() + "\n\n"
    path.write_text(head + figures, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run, print, optionally check and write; the exit status is the check's verdict."""
    parser = argparse.ArgumentParser(prog="python -m evaluation.run", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if figures fall under evaluation.floors")
    parser.add_argument("--write", type=Path, help="regenerate the figures section of this Markdown file")
    args = parser.parse_args(argv)

    location, location_note = _location()
    if location is not None:
        print(table("Location detector", location), end="\n\n")
    else:
        print(location_note, end="\n\n")
    names = evaluate_names()
    print(table("Entity matcher vs baselines", names), end="\n\n")
    print("our errors:", " ".join(names[0].errors) or "none")
    tp = throughput()
    print(
        f"throughput: {tp['records']} records x {tp['entries']} entries in {tp['seconds']} s "
        f"({tp['ms_per_record']} ms/record); thresholds match>={matcher_mod.MATCH_THRESHOLD} "
        f"possible>={matcher_mod.POSSIBLE_THRESHOLD}"
    )
    if args.write:
        write_doc(
            args.write if args.write.is_absolute() else ROOT / args.write,
            render_figures(names, location, location_note, tp),
        )
        print(f"wrote {args.write}")
    if args.check:
        failures = check(names, tp, location)
        for f in failures:
            print("CHECK FAILED:", f, file=sys.stderr)
        if failures:
            return 1
        print("check passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
