"""Opening a bundle: directories and zips, the CSV dialect, and what a clean bundle turns into."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.store.base import RecordKind
from graph_schema import Activity, DocumentType, ItemKind, RegistrationScheme
from loaders import BUNDLE_FILES, ParsedBundle, read_bundle
from tests.loaders.helpers import CLEAN, TODAY, dir_files, only, read_csvs, where, write_dir, zip_bytes


def _assert_clean(parsed: ParsedBundle) -> None:
    assert parsed.problems == []
    assert parsed.bundle is not None
    assert parsed.rows_per_file == {
        "companies.csv": 3,
        "facilities.csv": 3,
        "items.csv": 3,
        "bom.csv": 2,
        "sourcing.csv": 3,
        "documents.csv": 2,
    }


def test_clean_bundle_parses_to_records_with_the_values_written() -> None:
    parsed = read_bundle(CLEAN, today=TODAY)
    _assert_clean(parsed)
    bundle = parsed.bundle
    assert bundle is not None

    # The file starts with a UTF-8 BOM, its header is mixed-case, padded and out of contract order.
    c1, c2, c3 = bundle.companies
    assert c1.company_id == "C1"
    assert c1.name == "Xinjiang Example Textile Co., Ltd."  # quoted comma kept whole
    assert c1.name_local == "新疆示例纺织有限公司"
    assert c1.aliases == ["XJ Example", "Example Textile"]  # `|` list, trimmed, empty parts dropped
    assert c1.country == "CN"  # lower-case code accepted
    assert c1.registration_scheme is RegistrationScheme.USCC
    assert c1.parent_company_id is None and c1.ownership_pct is None
    assert c2.aliases == [] and c2.registration_id is None  # empty cell = no value
    assert (c3.parent_company_id, c3.ownership_pct) == ("C1", 51.5)

    f1, f2, f3 = bundle.facilities
    assert f1.activity is Activity.PROCESSING
    assert (f1.latitude, f1.longitude) == (41.1681, 80.2606)
    assert f2.activity is Activity.MANUFACTURING  # the contract's default
    assert f2.region is None and f2.latitude is None
    assert f3.activity is Activity.FARM and f3.country == "CN"

    assert [i.item_id for i in bundle.items] == ["FABRIC", "SHIRT", "YARN"]  # sorted by key
    assert bundle.items[0].kind is ItemKind.COMPONENT and bundle.items[0].name == "Woven fabric, 40s"

    assert [(b.parent_item_id, b.component_item_id, b.quantity, b.unit) for b in bundle.bom] == [
        ("FABRIC", "YARN", 0.3, "kg"),
        ("SHIRT", "FABRIC", 1.2, "m2"),
    ]

    by_item = {s.item_id: s for s in bundle.sourcing}
    shirt = by_item["SHIRT"]
    assert shirt.buyer_facility_id is None  # tier 1: the importer itself
    assert shirt.share == 100 and shirt.valid_from == date(2024, 1, 1) and shirt.valid_to is None
    assert shirt.document_ids == ["D1", "D2"]
    assert by_item["FABRIC"].buyer_facility_id == "F2" and by_item["FABRIC"].valid_to == date(2099, 12, 31)
    assert by_item["YARN"].share is None and by_item["YARN"].document_ids == []

    d1, d2 = bundle.documents
    assert d1.type is DocumentType.PURCHASE_ORDER  # "Purchase Order" read as purchase_order
    assert d1.issued_on == date(2024, 1, 5) and d1.sha256 is None
    assert d2.number == "BL-7, rev 2"
    assert d2.sha256 == "abcdef0123456789" * 4  # normalised to lower case


def test_clean_bundle_reports_what_it_ignored() -> None:
    parsed = read_bundle(CLEAN, today=TODAY)
    assert parsed.ignored_columns == {"companies.csv": ["Notes"]}
    assert parsed.ignored_files == ["README.txt"]
    assert any("Notes" in w for w in parsed.warnings)
    assert any("README.txt" in w for w in parsed.warnings)


def test_zip_with_files_at_its_root(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    archive.write_bytes(zip_bytes(dir_files(CLEAN)))
    parsed = read_bundle(archive, today=TODAY)
    _assert_clean(parsed)
    assert parsed.name == "bundle.zip"


def test_zip_with_files_inside_one_top_level_folder(tmp_path: Path) -> None:
    files = {f"export-2024-03/{name}": data for name, data in dir_files(CLEAN).items()}
    files["__MACOSX/export-2024-03/._companies.csv"] = b"\x00\x05\x16\x07 resource fork"
    files["export-2024-03/.DS_Store"] = b"\x00\x00\x00\x01Bud1"
    archive = tmp_path / "bundle.zip"
    archive.write_bytes(zip_bytes(files))
    parsed = read_bundle(archive, today=TODAY)
    _assert_clean(parsed)
    # macOS debris is not worth a warning; the README is.
    assert parsed.ignored_files == ["export-2024-03/README.txt"]


def test_zip_bytes_from_an_upload() -> None:
    parsed = read_bundle(zip_bytes(dir_files(CLEAN)), today=TODAY)
    _assert_clean(parsed)
    assert parsed.name == "upload.zip"


def test_same_content_gives_the_same_digest_whatever_the_container(tmp_path: Path) -> None:
    from_dir = read_bundle(CLEAN, today=TODAY)
    from_zip = read_bundle(zip_bytes(dir_files(CLEAN)), today=TODAY)
    assert from_dir.content_sha256 == from_zip.content_sha256
    changed = write_dir(tmp_path / "b", {**dir_files(CLEAN), "bom.csv": "parent_item_id,component_item_id\n"})
    assert read_bundle(changed, today=TODAY).content_sha256 != from_dir.content_sha256


def test_file_names_are_case_insensitive(tmp_path: Path) -> None:
    parsed = read_bundle(zip_bytes({"Items.CSV": "item_id,name,kind\nI1,Shirt,product\n"}))
    assert parsed.problems == []
    assert parsed.rows_per_file == {"items.csv": 1}


@pytest.mark.parametrize(
    "entry", ["../items.csv", "/etc/items.csv", "bundle/../../items.csv", "C:/items.csv"]
)
def test_path_traversal_entry_rejects_the_bundle(entry: str) -> None:
    data = zip_bytes({"items.csv": "item_id,name,kind\nI1,Shirt,product\n", entry: "x\n"})
    parsed = read_bundle(data, name="evil.zip")
    problem = only(parsed)
    assert where(problem) == ("evil.zip", None, None)
    assert "path traversal" in problem.reason
    assert problem.value == entry


def test_file_expanding_past_the_limit_is_refused_without_reading_it() -> None:
    # 1 MiB of zeros compresses to about a kilobyte: the limit is on the expanded size.
    data = zip_bytes({"items.csv": b"item_id,name,kind\n" + b"0" * 1024**2})
    assert len(data) < 10_000
    problem = only(read_bundle(data, max_file_bytes=64 * 1024))
    assert where(problem) == ("items.csv", None, None)
    assert "expands to more than" in problem.reason


def test_archive_expanding_past_the_total_limit_is_refused() -> None:
    files = {name: b"x," * 40_000 for name in ("items.csv", "bom.csv")}
    problem = only(read_bundle(zip_bytes(files), name="big.zip", max_total_bytes=100_000))
    assert where(problem) == ("big.zip", None, None)
    assert "expands to more than" in problem.reason


def test_not_a_zip() -> None:
    problem = only(read_bundle(b"company_id,name\nC1,x\n", name="companies.csv"))
    assert where(problem) == ("companies.csv", None, None)
    assert "expected a directory or a .zip" in problem.reason


def test_missing_path(tmp_path: Path) -> None:
    problem = only(read_bundle(tmp_path / "nope"))
    assert problem.reason == "no such directory or .zip file"


def test_bundle_without_any_contract_file_is_an_error(tmp_path: Path) -> None:
    directory = write_dir(tmp_path / "b", {"notes.txt": "hello", "Companies.xlsx": b"PK\x03\x04"})
    parsed = read_bundle(directory)
    problem = only(parsed)
    assert where(problem) == ("b", None, None)
    assert "no bundle files found" in problem.reason and "companies.csv" in problem.reason
    assert parsed.ignored_files == ["Companies.xlsx", "notes.txt"]


def test_header_only_file_is_valid_but_worth_a_warning(tmp_path: Path) -> None:
    parsed = read_csvs(tmp_path, items="item_id,name,kind")
    assert parsed.problems == []
    assert parsed.rows_per_file == {"items.csv": 0}
    assert parsed.warnings == ["items.csv has a header but no data rows"]


def test_empty_file_has_no_header(tmp_path: Path) -> None:
    parsed = read_csvs(tmp_path, items=b"")
    problem = only(parsed)
    assert where(problem) == ("items.csv", None, None)
    assert "expected a header row" in problem.reason


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    # Row 3 spans two lines inside quotes and row 4 is blank: the bad cell is on spreadsheet row 5.
    text = 'item_id,name,kind\nI1,Shirt,product\nI2,"Two-line\nname",product\n\nI3,Yarn,gadget\n'
    problem = only(read_csvs(tmp_path, items=text.encode()))
    assert where(problem) == ("items.csv", 5, "kind")


def test_blank_lines_are_skipped_not_read_as_empty_rows(tmp_path: Path) -> None:
    parsed = read_csvs(tmp_path, items=b"item_id,name,kind\n\nI1,Shirt,product\n,,\n")
    assert parsed.problems == []
    assert parsed.rows_per_file == {"items.csv": 1}


def test_crlf_line_endings_and_a_trailing_star_from_the_docs(tmp_path: Path) -> None:
    parsed = read_csvs(tmp_path, items=b"item_id*,name*,kind*\r\nI1,Shirt,product\r\n")
    assert parsed.problems == []
    assert parsed.bundle is not None and parsed.bundle.items[0].item_id == "I1"


def test_non_utf8_file_names_the_row_where_decoding_fails(tmp_path: Path) -> None:
    latin1 = "item_id,name,kind\nI1,Shirt,product\nI2,Café crème,product\n".encode("latin-1")
    problem = only(read_csvs(tmp_path, items=latin1))
    assert where(problem) == ("items.csv", 3, None)
    assert "not UTF-8" in problem.reason and "0xE9" in problem.reason


def test_utf16_file_gets_a_hint_to_save_as_utf8(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, items="item_id,name,kind\nI1,Shirt,product\n".encode("utf-16")))
    assert where(problem) == ("items.csv", None, None)
    assert "UTF-16" in problem.reason and "UTF-8" in problem.reason


def test_all_bundle_files_are_optional(tmp_path: Path) -> None:
    assert len(BUNDLE_FILES) == 6
    parsed = read_csvs(tmp_path, documents="document_id,type\nD1,affidavit")
    assert parsed.problems == []
    assert parsed.bundle is not None and parsed.bundle.size() == 1


def test_reading_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    # read_bundle pauses the cyclic collector for speed; it must never leave it off for the process.
    assert gc.isenabled()
    read_bundle(CLEAN)
    assert gc.isenabled()
    gc.disable()
    try:
        read_bundle(CLEAN)
        assert not gc.isenabled()
    finally:
        gc.enable()


class Taker:
    """A `FirstLoad` that only records what `read_bundle` hands it."""

    def __init__(self, order: tuple[RecordKind, ...]) -> None:
        self.order = order
        self.asked: list[int] = []
        self.added: dict[RecordKind, list[Any]] = {}

    def start(self, rows: int) -> None:
        assert not self.added, "told the row bound before the first record"
        self.asked.append(rows)

    def add(self, kind: RecordKind, records: Sequence[Any]) -> None:
        self.added[kind] = list(records)

    def commit(self, data_version: str) -> None:
        raise AssertionError("read_bundle never commits")

    def close(self) -> None:
        raise AssertionError("read_bundle never closes")


def test_records_are_handed_over_in_the_takers_order_and_equal_the_bundle() -> None:
    plain = read_bundle(CLEAN, today=TODAY)
    order = tuple(reversed(RecordKind))
    taker = Taker(order)
    early = read_bundle(CLEAN, today=TODAY, early=taker)
    _assert_clean(early)
    assert early.handed_over and not plain.handed_over
    assert list(taker.added) == list(order)
    assert early.bundle == plain.bundle and early.content_sha256 == plain.content_sha256
    assert early.bundle is not None
    assert {kind: getattr(early.bundle, kind.value) for kind in RecordKind} == taker.added
    # The row bound it was given holds every row (and a little more: headers, last lines).
    assert len(taker.asked) == 1 and taker.asked[0] >= sum(early.rows_per_file.values())


def test_nothing_is_handed_over_after_the_first_problem(tmp_path: Path) -> None:
    taker = Taker((RecordKind.COMPANIES, RecordKind.ITEMS, RecordKind.FACILITIES))
    parsed = read_bundle(
        write_dir(
            tmp_path,
            {
                "companies.csv": "company_id,name,country\nC1,Mill,VN\n",
                "items.csv": "item_id,name,kind\nP,Shirt,gadget\n",
                "facilities.csv": "facility_id,company_id,country\nF1,C1,VN\n",
            },
        ),
        early=taker,
    )
    assert [where(p) for p in parsed.problems] == [("items.csv", 2, "kind")]
    assert list(taker.added) == [RecordKind.COMPANIES] and not parsed.handed_over
