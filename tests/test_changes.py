"""Verdict changes as an importer meets them: a new list version, a moved supplier, a review each show
exactly the products whose verdict changed, with the finding that did it; incremental judging gives
exactly what a full re-screen gives."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from app.changes import ChangeKind, SubjectKind
from app.errors import BadRequestError
from app.service import DEMO_DIR, TraceService
from app.store.base import GraphStore, all_product_ids
from app.store.memory import MemoryStore
from app.trace.models import Verdict
from app.upserts import RecordsRequest
from bench.generate import generate
from graph_schema import ListEntry, ListVersion, ReviewVerdict

T = "acme"
#: a facility's location columns, moved to a cotton town in Xinjiang
IN_AKSU = {
    "address": "No. 3 Mianhua Road, Awat County",
    "city": "Aksu",
    "region": "Xinjiang",
    "postal_code": "843200",
    "country": "CN",
    "latitude": "40.64",
    "longitude": "80.378",
}


def verdicts(svc: TraceService, tenant: str) -> dict[str, Verdict]:
    """A full re-screen of every product: the oracle the change feed is held to."""
    ids = all_product_ids(svc.store, tenant)
    return {r.product_id: r.verdict for r in svc.screen_products(tenant, ids)}


def add_list(store: GraphStore, list_name: str, version_id: str, *names: str) -> ListVersion:
    version = ListVersion(
        version_id=version_id,
        list_name=list_name,
        source="https://example.org/test-list",
        retrieved_on=date(2026, 5, 1),
        sha256="0" * 64,
        entry_count=len(names),
    )
    entries = [ListEntry(entry_id=f"E{n}", list_name=list_name, name=name) for n, name in enumerate(names, 1)]
    store.write_list_version(version, entries)
    return version


def edit_csv(bundle: Path, name: str, key: str, row_id: str, **values: str) -> None:
    path = bundle / name
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or ())
        rows = list(reader)
    assert any(r[key] == row_id for r in rows)
    for row in rows:
        if row[key] == row_id:
            row.update(values)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def demo(tmp_path: Path) -> TraceService:
    svc = TraceService(MemoryStore(tmp_path / "graph.json"))
    svc.load(T, DEMO_DIR)
    return svc


def test_the_first_screening_seeds_and_an_unchanged_tenant_has_an_empty_feed(demo: TraceService) -> None:
    assert demo.changes.catch_up(T) == []
    state = demo.changes.state(T)
    assert state is not None and state.mode == "seed" and state.subjects == 10
    assert demo.changes.catch_up(T) == []
    assert demo.changes.feed(T).items == []
    assert demo.changes.state(T) == state  # nothing moved: nothing judged, nothing written


def test_a_new_list_version_shows_exactly_the_products_it_changed(
    store: GraphStore, tenant: str, list_name: str
) -> None:
    svc = TraceService(store)
    svc.load(tenant, DEMO_DIR)
    svc.changes.catch_up(tenant)
    before = verdicts(svc, tenant)
    version = add_list(store, list_name, f"{list_name}:v1", "Karnaphuli Spinning Mills Ltd.")
    after = verdicts(svc, tenant)
    changes = svc.changes.catch_up(tenant)
    expected = {pid for pid in after if after[pid] is not before[pid]}
    assert expected and "HP-SH-POP" in expected  # the demo's poplin shirt spins its yarn at Karnaphuli
    assert {c.subject_id for c in changes} == expected
    for change in changes:
        assert (change.old_verdict, change.new_verdict) == (
            before[change.subject_id],
            after[change.subject_id],
        )
        assert change.cause.kinds == [ChangeKind.LIST]
        assert change.cause.lists[list_name].before is None
        assert change.cause.lists[list_name].after == version.version_id
        assert change.finding is not None and change.finding_status == "appeared"
        assert change.finding.facility_id == "F-KSM-SPIN"
        assert change.finding.matched is not None and f"{list_name} E1" in change.finding.matched
        assert change.finding.reference == version.version_id
        assert version.version_id in change.explanation
    assert [c.seq for c in svc.changes.feed(tenant).items] == sorted((c.seq for c in changes), reverse=True)
    state = svc.changes.state(tenant)
    assert state is not None and state.mode == "list" and state.compared < state.subjects


def test_a_supplier_moved_to_xinjiang_changes_the_products_it_supplies(
    demo: TraceService, tmp_path: Path
) -> None:
    demo.changes.catch_up(T)
    before = verdicts(demo, T)
    bundle = tmp_path / "bundle"
    shutil.copytree(DEMO_DIR, bundle)
    edit_csv(
        bundle,
        "facilities.csv",
        "facility_id",
        "F-KSM-SPIN",
        **IN_AKSU,
    )
    demo.load(T, bundle)
    after = verdicts(demo, T)
    changes = demo.changes.catch_up(T)
    expected = {pid for pid in after if after[pid] is not before[pid]}
    assert expected and {c.subject_id for c in changes} == expected
    for change in changes:
        assert change.new_verdict is Verdict.PRESUMPTION_APPLIES
        assert change.cause.kinds == [ChangeKind.LOAD] and change.cause.lists == {}
        assert change.cause.data_version_before != change.cause.data_version_after
        assert change.finding is not None and change.finding.facility_id == "F-KSM-SPIN"
        assert change.finding.rule == "xuar_location"
    state = demo.changes.state(T)
    assert state is not None and state.mode == "data"


def test_a_review_that_rejects_a_possible_match_improves_the_verdict(demo: TraceService) -> None:
    demo.changes.catch_up(T)
    before = verdicts(demo, T)
    # A product that needs review because of a possible list match, and the match behind it.
    for pid, verdict in sorted(before.items()):
        if verdict is not Verdict.NEEDS_REVIEW:
            continue
        finding = demo.trace(T, pid).findings[0]
        signal = finding.signals[0]
        if signal.match is not None:
            break
    else:
        pytest.fail("the demo has no product needing review over a possible list match")
    assert signal.match is not None
    demo.review(
        T,
        f"company:{signal.subject_id}",
        signal.match.list_name,
        signal.match.entry_id,
        ReviewVerdict.REJECTED,
        "A. Reviewer",
        "different company: other registration number",
    )
    after = verdicts(demo, T)
    changes = demo.changes.catch_up(T)
    expected = {p for p in after if after[p] is not before[p]}
    assert pid in expected and {c.subject_id for c in changes} == expected
    mine = next(c for c in changes if c.subject_id == pid)
    assert mine.cause.kinds == [ChangeKind.REVIEW]
    assert mine.finding_status == "disappeared" and mine.finding is not None
    assert mine.finding.facility_id == finding.facility_id
    assert "no longer" in mine.explanation


def test_a_product_first_seen_after_the_seed_is_a_change(demo: TraceService) -> None:
    demo.changes.catch_up(T)
    request = RecordsRequest.model_validate(
        {"items": [{"item_id": "NEW-1", "name": "New", "kind": "product"}]}
    )
    demo.upsert(T, request, None)
    (change,) = demo.changes.catch_up(T)
    assert (change.subject_id, change.old_verdict) == ("NEW-1", None)
    assert change.new_verdict is verdicts(demo, T)["NEW-1"]
    assert change.finding is not None and change.finding.gap is not None


def test_the_feed_pages_newest_first_and_filters_by_since(demo: TraceService, list_name: str) -> None:
    demo.changes.catch_up(T)
    add_list(demo.store, list_name, f"{list_name}:v1", "Karnaphuli Spinning Mills Ltd.")
    recorded = demo.changes.catch_up(T)
    assert len(recorded) >= 2
    seen: list[int] = []
    cursor: str | None = None
    while True:
        page = demo.changes.feed(T, cursor=cursor, limit=1)
        seen.extend(c.seq for c in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == sorted((c.seq for c in recorded), reverse=True)
    first = min(c.seq for c in recorded)
    assert [c.seq for c in demo.changes.feed(T, since=str(first)).items] == seen[:-1]
    at = recorded[0].changed_at.isoformat()
    assert [c.seq for c in demo.changes.feed(T, since=at).items] == seen
    assert demo.changes.feed(T, since="2999-01-01T00:00:00Z").items == []
    assert demo.changes.feed(T, subject_kind=SubjectKind.LOT).items == []
    with pytest.raises(BadRequestError, match="'since'"):
        demo.changes.feed(T, since="last tuesday")


def test_two_processes_record_each_change_once(tmp_path: Path, list_name: str) -> None:
    first = TraceService(MemoryStore(tmp_path / "graph.json"))
    first.load(T, DEMO_DIR)
    first.changes.catch_up(T)
    second = TraceService(MemoryStore(tmp_path / "graph.json"))  # another process on the same file
    add_list(first.store, list_name, f"{list_name}:v1", "Karnaphuli Spinning Mills Ltd.")
    recorded = second.changes.catch_up(T)
    assert recorded
    assert first.changes.catch_up(T) == []  # its picture was stale; it finds the work done
    assert [c.seq for c in first.changes.feed(T).items] == sorted((c.seq for c in recorded), reverse=True)


def test_incremental_judging_equals_a_full_re_screen(tmp_path: Path, list_name: str) -> None:
    """After a list change and after a bundle change, every snapshot equals a fresh full screening."""
    bundle = tmp_path / "bundle"
    generate(bundle, n_products=40, tiers=4, seed=11, share_xuar=0.0, untraced_share=0.03)
    svc = TraceService(MemoryStore(tmp_path / "graph.json"))
    svc.load(T, bundle)
    svc.changes.catch_up(T)
    with (bundle / "companies.csv").open(encoding="utf-8", newline="") as handle:
        companies = list(csv.DictReader(handle))
    with (bundle / "facilities.csv").open(encoding="utf-8", newline="") as handle:
        facilities = list(csv.DictReader(handle))

    def assert_equal_to_full(mode: str) -> None:
        state = svc.changes.state(T)
        assert state is not None and state.mode == mode
        full = {r.product_id: r for r in svc.screen_products(T, all_product_ids(svc.store, T))}
        keys = [f"product:{pid}" for pid in full]
        stored = svc.store.get_verdict_snapshots(T, keys)
        assert {k.split(":", 1)[1]: v["verdict"] for k, v in stored.items()} == {
            pid: r.verdict.value for pid, r in full.items()
        }
        for pid, r in full.items():
            reason = stored[f"product:{pid}"]["reason"]
            if r.facility_id:
                assert (reason["facility_id"], reason["rule"]) == (r.facility_id, r.rule)

    # A list naming the operators the generator made last (the newest products' own suppliers).
    add_list(svc.store, list_name, f"{list_name}:v1", *(c["name"] for c in companies[-3:]))
    changed = svc.changes.catch_up(T)
    assert changed and all(c.new_verdict is Verdict.NEEDS_REVIEW for c in changed)
    assert_equal_to_full("list")
    state = svc.changes.state(T)
    assert state is not None and state.compared < state.subjects  # only products reaching them
    # A bundle change: a few producing facilities move to Xinjiang.
    for fac in [f for f in facilities if f["activity"] not in ("trading", "warehouse")][
        :: max(1, len(facilities) // 4)
    ]:
        edit_csv(
            bundle,
            "facilities.csv",
            "facility_id",
            fac["facility_id"],
            **IN_AKSU,
        )
    svc.load(T, bundle)
    assert any(c.new_verdict is Verdict.PRESUMPTION_APPLIES for c in svc.changes.catch_up(T))
    assert_equal_to_full("data")


def test_the_cli_catches_up_and_prints_the_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], list_name: str
) -> None:
    """`tracegraph changes` after a list was loaded by another process shows the products it changed."""
    from app.cli import main

    monkeypatch.setenv("TRACEGRAPH_MEMORY_PATH", str(tmp_path / "graph.json"))
    monkeypatch.setenv("TRACEGRAPH_STORE", "memory")
    assert main(["load", str(DEMO_DIR)]) == 0
    assert main(["changes"]) == 0
    assert "first screening" in capsys.readouterr().out
    add_list(
        MemoryStore(tmp_path / "graph.json"), list_name, f"{list_name}:v1", "Karnaphuli Spinning Mills Ltd."
    )
    assert main(["changes", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert "HP-SH-POP" in {c["subject_id"] for c in printed}
    assert all(c["cause"]["lists"][list_name]["after"] == f"{list_name}:v1" for c in printed)


def test_lots_are_tracked_alongside_products(demo: TraceService, list_name: str) -> None:
    """A list change reaches the lots whose recorded inputs lead to the listed company, too."""
    epcis = DEMO_DIR.parent / "epcis" / "shirt_lots.json"
    demo.load_epcis(T, json.loads(epcis.read_text(encoding="utf-8")), epcis.name)
    demo.changes.catch_up(T)
    lots = [lot.lot_id for lot in demo.store.list_lots(T, limit=500)]
    before = {lot_id: demo.trace_lot(T, lot_id).verdict for lot_id in lots}
    add_list(demo.store, list_name, f"{list_name}:v1", "Karnaphuli Spinning Mills Ltd.")
    after = {lot_id: demo.trace_lot(T, lot_id).verdict for lot_id in lots}
    changes = demo.changes.catch_up(T)
    lot_changes = [c for c in changes if c.subject_kind is SubjectKind.LOT]
    assert (
        {c.subject_id for c in lot_changes} == {lot for lot in lots if after[lot] is not before[lot]} != set()
    )
    assert all(c.finding is not None and c.finding.reference == f"{list_name}:v1" for c in lot_changes)
    only_lots = demo.changes.feed(T, subject_kind=SubjectKind.LOT).items
    assert {c.seq for c in only_lots} == {c.seq for c in lot_changes}
