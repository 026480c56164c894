"""Loading on both stores: idempotent reloads, updates by ID, nothing written on a failed bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import BundleInvalidError
from app.ingest import load_bundle
from app.reference import build_rules, ensure_reference_data
from app.store.base import GraphStore
from app.trace.models import Verdict
from app.trace.walk import trace_product

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
