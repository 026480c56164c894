"""Properties of the bundle loader on generated bundles (hypothesis).

Valid bundles (random companies with ownership chains, facilities, items, a DAG of bill-of-materials lines,
sourcing links with documents) must load, and loading them again must change nothing. The same bundles
with garbage written into random cells, or rows dropped and repeated, must never crash the loader: it
answers with problems, each naming its file (and row and column where there is one), and writes nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import BundleInvalidError, Problem
from app.ingest import load_bundle
from app.store.memory import MemoryStore
from loaders import read_bundle
from loaders.bundle import BUNDLE_FILES
from tests.loaders.helpers import TODAY

T = "loader-properties"
LABEL = "generated.zip"
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Rows = dict[str, list[dict[str, str]]]

COLUMNS: dict[str, list[str]] = {
    "companies.csv": ["company_id", "name", "country", "parent_company_id", "ownership_pct"],
    "facilities.csv": [
        "facility_id",
        "company_id",
        "name",
        "activity",
        "region",
        "country",
        "latitude",
        "longitude",
    ],
    "items.csv": ["item_id", "name", "kind", "hts_code"],
    "bom.csv": ["parent_item_id", "component_item_id", "quantity", "unit"],
    "sourcing.csv": [
        "item_id",
        "supplier_facility_id",
        "buyer_facility_id",
        "share",
        "valid_from",
        "valid_to",
        "document_ids",
    ],
    "documents.csv": ["document_id", "type", "number", "issued_on"],
}

names = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=10)
countries = st.sampled_from(["US", "CN", "VN", "DE", "cn"])
optional = st.sampled_from([True, False])


@st.composite
def valid_rows(draw: st.DrawFn) -> Rows:
    n_companies = draw(st.integers(1, 4))
    companies = []
    for i in range(n_companies):
        parent = draw(st.none() | st.integers(0, i - 1)) if i else None
        companies.append(
            {
                "company_id": f"C{i}",
                "name": draw(names),
                "country": draw(countries),
                "parent_company_id": "" if parent is None else f"C{parent}",
                "ownership_pct": "" if parent is None else str(draw(st.integers(0, 100))),
            }
        )
    facilities = []
    for i in range(draw(st.integers(1, 4))):
        located = draw(optional)
        facilities.append(
            {
                "facility_id": f"F{i}",
                "company_id": f"C{draw(st.integers(0, n_companies - 1))}",
                "name": draw(names),
                "activity": draw(st.sampled_from(["", "farm", "Processing", "manufacturing", "trading"])),
                "region": draw(st.sampled_from(["", "Jiangsu", "Texas"])),
                "country": draw(countries),
                "latitude": f"{draw(st.floats(-90, 90)):.4f}" if located else "",
                "longitude": f"{draw(st.floats(-180, 180)):.4f}" if located else "",
            }
        )
    n_items = draw(st.integers(1, 5))
    items = [
        {
            "item_id": f"I{i}",
            "name": draw(names),
            "kind": draw(st.sampled_from(["product", "component", "material"])),
            "hts_code": draw(st.sampled_from(["", "6205.20"])),
        }
        for i in range(n_items)
    ]
    pairs = [(a, b) for a in range(n_items) for b in range(a + 1, n_items)]
    bom = (
        [
            {
                "parent_item_id": f"I{a}",
                "component_item_id": f"I{b}",
                "quantity": draw(st.sampled_from(["", "0.3", "2"])),
                "unit": draw(st.sampled_from(["", "kg"])),
            }
            for a, b in sorted(draw(st.sets(st.sampled_from(pairs))))
            if pairs
        ]
        if pairs
        else []
    )
    documents = [
        {
            "document_id": f"D{i}",
            "type": draw(st.sampled_from(["commercial_invoice", "Bill of Lading", "purchase_order"])),
            "number": draw(st.sampled_from(["", "INV-1"])),
            "issued_on": draw(st.sampled_from(["", "2024-03-01"])),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    facility_ids = [f["facility_id"] for f in facilities]
    link = st.tuples(
        st.integers(0, n_items - 1), st.sampled_from(facility_ids), st.sampled_from(["", *facility_ids])
    )
    sourcing = []
    for item_index, supplier, buyer in sorted(draw(st.sets(link, max_size=8))):
        if supplier == buyer:
            continue
        docs = (
            draw(st.lists(st.sampled_from([d["document_id"] for d in documents]), unique=True))
            if documents
            else []
        )
        sourcing.append(
            {
                "item_id": f"I{item_index}",
                "supplier_facility_id": supplier,
                "buyer_facility_id": buyer,
                "share": draw(st.sampled_from(["", "5", "2.5%"])),
                "valid_from": draw(st.sampled_from(["", "2024-01-01"])),
                "valid_to": draw(st.sampled_from(["", "2030-12-31"])),
                "document_ids": "|".join(docs),
            }
        )
    return {
        "companies.csv": companies,
        "facilities.csv": facilities,
        "items.csv": items,
        "bom.csv": bom,
        "sourcing.csv": sourcing,
        "documents.csv": documents,
    }


def csv_files(rows: Rows) -> dict[str, str]:
    out = {}
    for file, table in rows.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS[file], lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
        out[file] = buffer.getvalue()
    return out


def zipped(files: Mapping[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


garbage = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "|", "a|b", ">", "nan", "inf", "1_000", "-1", "101", "2024-02-30", "ZZ", "\n"]),
    st.sampled_from(['"', "=cmd()", "\x00", "😀", "ＣＮ", "C0", "I0", "F0", "D0"]),
)


@st.composite
def mangled_files(draw: st.DrawFn) -> dict[str, str | bytes]:
    """A valid bundle with random cells overwritten, rows dropped or repeated, and a file sometimes
    replaced by raw bytes (not UTF-8, not CSV) or left out."""
    rows = draw(valid_rows())
    for _ in range(draw(st.integers(1, 6))):
        file = draw(st.sampled_from(sorted(rows)))
        table = rows[file]
        action = draw(st.sampled_from(["cell", "cell", "cell", "drop", "repeat"]))
        if not table:
            continue
        index = draw(st.integers(0, len(table) - 1))
        if action == "cell":
            table[index][draw(st.sampled_from(COLUMNS[file]))] = draw(garbage)
        elif action == "drop":
            del table[index]
        else:
            table.append(dict(table[index]))
    files: dict[str, str | bytes] = dict(csv_files(rows))
    if draw(st.booleans()):
        file = draw(st.sampled_from(sorted(files)))
        if draw(st.booleans()):
            files[file] = draw(st.binary(max_size=40))
        else:
            del files[file]
    return files


def assert_located(problem: Problem, files: Mapping[str, str | bytes]) -> None:
    """A problem names where it is: the file (or the bundle as a whole), and a real row and column."""
    assert problem.file in (*BUNDLE_FILES, LABEL), problem
    assert problem.reason, problem
    if problem.row is not None:
        content = files.get(problem.file, b"")
        lines = (content if isinstance(content, str) else content.decode("utf-8", "replace")).count("\n")
        assert 1 <= problem.row <= max(lines, 1) + 1, problem
    if problem.column is not None:
        assert problem.file in COLUMNS and problem.column in COLUMNS[problem.file], problem
    if problem.value is not None and problem.file in COLUMNS:
        assert problem.row is not None or problem.column is not None, problem


@SETTINGS
@given(mangled_files())
def test_garbage_never_crashes_the_loader_and_every_problem_is_located(files: dict[str, str | bytes]) -> None:
    parsed = read_bundle(zipped(files), LABEL, today=TODAY)
    assert parsed.ok == (parsed.bundle is not None)
    for problem in parsed.problems:
        assert_located(problem, files)

    store = MemoryStore(None)
    store.ensure_schema()
    try:
        load_bundle(store, T, zipped(files), LABEL)
    except BundleInvalidError as e:
        assert e.problems
        for problem in e.problems:
            assert_located(problem, files)
        assert store.data_version(T) == ""  # a refused bundle writes nothing
    else:
        assert store.data_version(T) != ""


@SETTINGS
@given(valid_rows())
def test_valid_bundles_load_and_reload_without_changes(rows: Rows) -> None:
    data = zipped(csv_files(rows))
    parsed = read_bundle(data, LABEL, today=TODAY)
    assert parsed.problems == []

    store = MemoryStore(None)
    store.ensure_schema()
    first = load_bundle(store, T, data, LABEL)
    assert first.changed
    for file, table in rows.items():
        counts = first.files.get(file)
        assert counts is None or counts.rows == len(table), (file, counts)

    again = load_bundle(store, T, data, LABEL)
    assert not again.changed
    assert again.data_version == first.data_version
    assert all(c.created == 0 and c.updated == 0 for c in again.files.values())


@pytest.mark.parametrize(
    ("file", "column", "bad"),
    [
        ("companies.csv", "country", "Narnia"),
        ("facilities.csv", "activity", "juggling"),
        ("facilities.csv", "latitude", "north"),
        ("items.csv", "kind", "gadget"),
        ("bom.csv", "quantity", "-2"),
        ("sourcing.csv", "share", "150"),
        ("sourcing.csv", "valid_from", "2024-02-30"),
        ("documents.csv", "issued_on", "yesterday"),
    ],
)
def test_an_unparsable_cell_is_reported_at_its_file_row_and_column(file: str, column: str, bad: str) -> None:
    rows: Rows = {
        "companies.csv": [{"company_id": "C0", "name": "A", "country": "US"}],
        "facilities.csv": [
            {"facility_id": "F0", "company_id": "C0", "country": "US", "latitude": "1", "longitude": "2"},
            {"facility_id": "F1", "company_id": "C0", "country": "US"},
        ],
        "items.csv": [
            {"item_id": "I0", "name": "P", "kind": "product"},
            {"item_id": "I1", "name": "M", "kind": "material"},
        ],
        "bom.csv": [{"parent_item_id": "I0", "component_item_id": "I1", "quantity": "1"}],
        "sourcing.csv": [
            {"item_id": "I0", "supplier_facility_id": "F0", "share": "10", "valid_from": "2024-01-01"}
        ],
        "documents.csv": [{"document_id": "D0", "type": "commercial_invoice", "issued_on": "2024-01-01"}],
    }
    rows[file][0][column] = bad
    parsed = read_bundle(zipped(csv_files(rows)), LABEL, today=TODAY)
    assert [(p.file, p.row, p.column, p.value) for p in parsed.problems] == [(file, 2, column, bad)]
