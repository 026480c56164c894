"""Loading on both stores: idempotent reloads, updates by ID, nothing written on a failed bundle."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from app.errors import BundleInvalidError
from app.ingest import load_bundle
from app.reference import build_rules, ensure_reference_data
from app.store.base import BufferedFirstLoad, FirstLoad, GraphStore, RecordKind
from app.trace.models import Verdict
from app.trace.walk import trace_product
from graph_schema.records import Record

FILES = {
    "companies.csv": "company_id,name,country\nC1,Mill Co,VN\nC2,Farm Co,US\n",
    "facilities.csv": "facility_id,company_id,activity,region,country\nF1,C1,,,VN\nG1,C2,farm,Texas,US\n",
    "items.csv": "item_id,name,kind\nP,Shirt,product\nL,Lint,material\n",
    "bom.csv": "parent_item_id,component_item_id\nP,L\n",
    "sourcing.csv": "item_id,supplier_facility_id,buyer_facility_id\nP,F1,\nL,G1,F1\n",
}


def write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def verdict(store: GraphStore, tenant: str) -> Verdict:
    ensure_reference_data(store)
    return trace_product(store, tenant, "P", build_rules(store)).verdict


def test_reload_changes_nothing_and_a_later_bundle_updates_by_id(
    store: GraphStore, tenant: str, tmp_path: Path
) -> None:
    first = load_bundle(store, tenant, write(tmp_path / "a", FILES))
    assert first.changed and first.files["facilities.csv"].created == 2
    assert verdict(store, tenant) is Verdict.NO_RISK_FOUND

    again = load_bundle(store, tenant, write(tmp_path / "a", FILES))
    assert not again.changed and again.data_version == first.data_version
    assert again.files["sourcing.csv"].unchanged == 2

    # The farm turns out to be in Xinjiang: one facility row, updated by its ID; nothing else resent.
    moved = {"facilities.csv": "facility_id,company_id,activity,region,country\nG1,C2,farm,Xinjiang,CN\n"}
    update = load_bundle(store, tenant, write(tmp_path / "b", moved))
    assert update.changed and update.data_version != first.data_version
    assert update.files["facilities.csv"].updated == 1 and update.files["facilities.csv"].created == 0
    assert store.get_facilities(tenant, ["G1"])["G1"].region == "Xinjiang"
    assert store.tenant_info(tenant).counts["facilities"] == 2
    assert verdict(store, tenant) is Verdict.PRESUMPTION_APPLIES


def test_a_bad_bundle_leaves_the_store_as_it_was(store: GraphStore, tenant: str, tmp_path: Path) -> None:
    load_bundle(store, tenant, write(tmp_path / "a", FILES))
    before = store.tenant_info(tenant)
    bad = dict(FILES)
    bad["facilities.csv"] += "F2,C1,,,Vietnam\n"
    bad["sourcing.csv"] += "L,NOPE,F1\n"
    with pytest.raises(BundleInvalidError) as caught:
        load_bundle(store, tenant, write(tmp_path / "b", bad))
    where = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert ("facilities.csv", 4, "country") in where
    assert ("sourcing.csv", 4, "supplier_facility_id") in where
    assert store.tenant_info(tenant) == before


class Handover:
    """Wraps a store's `first_load` and records what the loader handed over and how it ended."""

    def __init__(self, store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.added: list[RecordKind] = []
        self.ends: list[str] = []
        self.order: tuple[RecordKind, ...] = ()
        real = store.first_load

        def first_load(tenant: str) -> FirstLoad:
            load = real(tenant)
            self.order = load.order
            spy = self

            class Spy:
                order = load.order

                def start(self, rows: int) -> None:
                    load.start(rows)

                def add(self, kind: RecordKind, records: Sequence[Record]) -> None:
                    spy.added.append(kind)
                    load.add(kind, records)

                def commit(self, data_version: str) -> None:
                    spy.ends.append("commit")
                    load.commit(data_version)

                def close(self) -> None:
                    spy.ends.append("close")
                    load.close()

            return Spy()

        monkeypatch.setattr(store, "first_load", first_load)


def test_a_first_load_is_handed_over_file_by_file_and_an_invalid_one_leaves_nothing(
    store: GraphStore, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handover = Handover(store, monkeypatch)
    bad = dict(FILES)
    bad["sourcing.csv"] += "L,NOPE,F1\n"  # resolves nowhere: found only once every file has been read
    with pytest.raises(BundleInvalidError) as caught:
        load_bundle(store, tenant, write(tmp_path / "bad", bad))
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [
        ("sourcing.csv", 4, "supplier_facility_id")
    ]
    assert "documents.csv" not in FILES
    assert handover.added == list(handover.order)  # a missing file is handed over as no records
    assert handover.ends == ["close"]
    assert store.data_version(tenant) == "" and store.get_companies(tenant, ["C1", "C2"]) == {}

    report = load_bundle(store, tenant, write(tmp_path / "good", FILES))
    assert handover.ends == ["close", "commit", "close"]
    assert report.files["sourcing.csv"].created == 2 and store.data_version(tenant) == report.data_version
    assert verdict(store, tenant) is Verdict.NO_RISK_FOUND

    load_bundle(store, tenant, write(tmp_path / "good", FILES))  # a reload compares instead
    assert handover.ends == ["close", "commit", "close"]


def test_a_bad_cell_stops_the_handing_over_at_its_file(
    store: GraphStore, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handover = Handover(store, monkeypatch)
    bad = dict(FILES)
    bad["facilities.csv"] += "F2,C1,,,Vietnam\n"
    with pytest.raises(BundleInvalidError):
        load_bundle(store, tenant, write(tmp_path / "bad", bad))
    before = list(handover.order[: handover.order.index(RecordKind.FACILITIES)])
    assert handover.added == before
    assert handover.ends == ["close"] and store.data_version(tenant) == ""


@pytest.mark.neo4j
def test_a_first_load_written_early_reports_and_versions_as_a_sequential_one(
    neo4j_store: GraphStore, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only Neo4j writes early; the embedded store's first load is the sequential one already."""
    store = neo4j_store
    early = load_bundle(store, tenant, write(tmp_path / "a", FILES))
    monkeypatch.setattr(store, "first_load", lambda t: BufferedFirstLoad(store, t))
    other = f"{tenant}-other"
    sequential = load_bundle(store, other, write(tmp_path / "a", FILES))
    assert early.model_dump(exclude={"tenant"}) == sequential.model_dump(exclude={"tenant"})
