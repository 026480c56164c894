"""Checks a bundle fails on its own: one test per kind of problem, each asserting where the user is sent
(file, spreadsheet row, column) and the gist of what they are told."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.loaders.helpers import only, read_csvs, where

COMPANIES_HEADER = "company_id,name,country,parent_company_id,ownership_pct"
FACILITIES_HEADER = "facility_id,company_id,country,activity,latitude,longitude"


# -- columns and cells ------------------------------------------------------------------------------------


def test_required_column_missing(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, items="item_id,name\nI1,Shirt"))
    assert where(problem) == ("items.csv", None, "kind")
    assert problem.reason == "required column is missing"


def test_required_value_empty(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, items="item_id,name,kind\nI1,Shirt,product\nI2,  ,product"))
    assert where(problem) == ("items.csv", 3, "name")
    assert problem.reason == "required value is empty"


def test_duplicate_header_name(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, items="item_id,Name,kind, name \nI1,Shirt,product,Tee"))
    assert where(problem) == ("items.csv", 1, "name")
    assert "more than once" in problem.reason and "columns 2 and 4" in problem.reason


def test_row_with_more_cells_than_the_header(tmp_path: Path) -> None:
    # Trailing empty cells (row 2) are harmless; an unquoted comma (row 3) shifts every later cell.
    parsed = read_csvs(tmp_path, items="item_id,name,kind\nI1,Shirt,product,,\nI2,Shirt, size M,product")
    assert [where(p) for p in parsed.problems] == [("items.csv", 3, None), ("items.csv", 3, "kind")]
    assert "4 cells" in parsed.problems[0].reason and "3 columns" in parsed.problems[0].reason


def test_a_value_the_record_refuses_after_parsing_is_still_a_problem_with_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records are validated a whole file at a time; when the model refuses a value a column's parser let
    through (the parsers are meant to catch everything first), each row is asked again so the problem
    still names its file, row and column."""
    import dataclasses

    from loaders import bundle as module

    spec = module._SPECS["items.csv"]
    lenient = tuple(dataclasses.replace(c, parse=None) if c.name == "kind" else c for c in spec.columns)
    monkeypatch.setitem(module._SPECS, "items.csv", dataclasses.replace(spec, columns=lenient))
    parsed = read_csvs(tmp_path, items="item_id,name,kind\nI1,Shirt,product\nI2,Gadget,gizmo")
    problem = only(parsed)
    assert where(problem) == ("items.csv", 3, "kind") and "product" in problem.reason


@pytest.mark.parametrize(
    ("file", "text", "column", "expected"),
    [
        (
            "items",
            "item_id,name,kind\nI1,Shirt,gadget",
            "kind",
            "expected one of: product, component, material",
        ),
        (
            "facilities",
            "facility_id,company_id,country,activity\nF1,C1,CN,factory",
            "activity",
            "expected one of: farm, mine, processing, manufacturing, trading, warehouse, other",
        ),
        (
            "companies",
            "company_id,name,country,registration_scheme\nC1,Acme,CN,VAT",
            "registration_scheme",
            "expected one of: USCC, LEI, DUNS, OTHER",
        ),
        (
            "documents",
            "document_id,type\nD1,invoice",
            "type",
            "expected one of: purchase_order, commercial_invoice, packing_list",
        ),
    ],
)
def test_value_outside_an_enumeration(
    tmp_path: Path, file: str, text: str, column: str, expected: str
) -> None:
    problem = only(read_csvs(tmp_path, **{file: text}))
    assert where(problem) == (f"{file}.csv", 2, column)
    assert problem.reason.startswith(expected)


def test_enumerations_ignore_case(tmp_path: Path) -> None:
    parsed = read_csvs(
        tmp_path,
        items="item_id,name,kind\nI1,Shirt,PRODUCT",
        companies="company_id,name,country,registration_scheme\nC1,Acme,CN,lei",
        documents="document_id,type\nD1,Bill Of Lading",
    )
    assert parsed.problems == []


def test_country_not_an_iso_code(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, companies="company_id,name,country\nC1,Acme,XX"))
    assert where(problem) == ("companies.csv", 2, "country")
    assert problem.reason == "expected an ISO 3166-1 alpha-2 country code such as CN or US"
    assert problem.value == "XX"


@pytest.mark.parametrize(("written", "meant"), [("CHN", "CN"), ("China", "CN"), ("UK", "GB")])
def test_country_hint_for_a_likely_meaning(tmp_path: Path, written: str, meant: str) -> None:
    problem = only(read_csvs(tmp_path, facilities=f"facility_id,company_id,country\nF1,C1,{written}"))
    assert where(problem) == ("facilities.csv", 2, "country")
    assert f"did you mean {meant}?" in problem.reason


@pytest.mark.parametrize("share", ["-1", "100.5", "lots", "50,5"])
def test_share_outside_0_to_100(tmp_path: Path, share: str) -> None:
    problem = only(read_csvs(tmp_path, sourcing=f'item_id,supplier_facility_id,share\nI1,F1,"{share}"'))
    assert where(problem) == ("sourcing.csv", 2, "share")
    assert problem.reason == "expected a number between 0 and 100"


def test_share_written_with_a_percent_sign_is_accepted(tmp_path: Path) -> None:
    parsed = read_csvs(tmp_path, sourcing="item_id,supplier_facility_id,share\nI1,F1,40%")
    assert parsed.bundle is not None and parsed.bundle.sourcing[0].share == 40


def test_ownership_pct_outside_0_to_100(tmp_path: Path) -> None:
    parsed = read_csvs(tmp_path, companies=f"{COMPANIES_HEADER}\nC1,Parent,CN,,\nC2,Child,CN,C1,150")
    problem = only(parsed)
    assert where(problem) == ("companies.csv", 3, "ownership_pct")
    assert problem.reason == "expected a number between 0 and 100"


@pytest.mark.parametrize("quantity", ["-2", "nan", "inf", "two"])
def test_quantity_negative_or_not_a_number(tmp_path: Path, quantity: str) -> None:
    problem = only(read_csvs(tmp_path, bom=f"parent_item_id,component_item_id,quantity\nP,C,{quantity}"))
    assert where(problem) == ("bom.csv", 2, "quantity")
    assert problem.reason == "expected a number of 0 or more"


def test_latitude_out_of_range(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, facilities=f"{FACILITIES_HEADER}\nF1,C1,CN,,95,80"))
    assert where(problem) == ("facilities.csv", 2, "latitude")
    assert problem.reason == "latitude must be between -90 and 90"


def test_longitude_out_of_range(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, facilities=f"{FACILITIES_HEADER}\nF1,C1,CN,,41,-181"))
    assert where(problem) == ("facilities.csv", 2, "longitude")
    assert problem.reason == "longitude must be between -180 and 180"


def test_latitude_without_longitude(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, facilities=f"{FACILITIES_HEADER}\nF1,C1,CN,,41.2,"))
    assert where(problem) == ("facilities.csv", 2, "longitude")
    assert problem.reason.startswith("latitude and longitude must come together")


@pytest.mark.parametrize("value", ["2024/01/05", "05.01.2024", "20240105", "2024-W05-3", "2024-1-5"])
def test_date_not_in_iso_form(tmp_path: Path, value: str) -> None:
    problem = only(read_csvs(tmp_path, documents=f"document_id,type,issued_on\nD1,affidavit,{value}"))
    assert where(problem) == ("documents.csv", 2, "issued_on")
    assert problem.reason == "expected an ISO date YYYY-MM-DD"


def test_date_that_does_not_exist(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, sourcing="item_id,supplier_facility_id,valid_to\nI1,F1,2023-02-29"))
    assert where(problem) == ("sourcing.csv", 2, "valid_to")
    assert problem.reason.startswith("expected an ISO date YYYY-MM-DD")


def test_valid_to_before_valid_from(tmp_path: Path) -> None:
    text = "item_id,supplier_facility_id,valid_from,valid_to\nI1,F1,2024-06-01,2024-05-31"
    problem = only(read_csvs(tmp_path, sourcing=text))
    assert where(problem) == ("sourcing.csv", 2, "valid_to")
    assert "before valid_from" in problem.reason


def test_sha256_not_64_hex_characters(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, documents=f"document_id,type,sha256\nD1,affidavit,{'g' * 64}"))
    assert where(problem) == ("documents.csv", 2, "sha256")
    assert "64 hexadecimal characters" in problem.reason


def test_id_holding_the_list_separator(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, documents="document_id,type\nD1|D2,affidavit"))
    assert where(problem) == ("documents.csv", 2, "document_id")
    assert "'|'" in problem.reason


# -- across rows ------------------------------------------------------------------------------------------


def test_duplicate_id_reported_on_both_rows(tmp_path: Path) -> None:
    parsed = read_csvs(
        tmp_path, items="item_id,name,kind\nI1,Shirt,product\nI2,Yarn,material\nI1,Tee,product"
    )
    assert [where(p) for p in parsed.problems] == [("items.csv", 2, "item_id"), ("items.csv", 4, "item_id")]
    first, repeat = parsed.problems
    assert "appears again in row(s) 4" in first.reason
    assert repeat.reason == "duplicate item_id 'I1', first seen in row 2"


def test_duplicate_sourcing_link(tmp_path: Path) -> None:
    text = """
        item_id,supplier_facility_id,buyer_facility_id,valid_from,share
        I1,F1,,2024-01-01,50
        I1,F1,,2025-01-01,50
        I1,F1,F2,2024-01-01,50
        I1,F1,,2024-01-01,20
    """
    parsed = read_csvs(tmp_path, sourcing=text)
    # Same item, supplier and buyer with another valid_from is another link; rows 2 and 5 are one link.
    assert [where(p) for p in parsed.problems] == [("sourcing.csv", 2, None), ("sourcing.csv", 5, None)]
    assert "first seen in row 2" in parsed.problems[1].reason


def test_duplicate_bom_line(tmp_path: Path) -> None:
    parsed = read_csvs(tmp_path, bom="parent_item_id,component_item_id,quantity\nP,C,1\nP,D,1\nP,C,2")
    assert [where(p) for p in parsed.problems] == [("bom.csv", 2, None), ("bom.csv", 4, None)]
    assert parsed.problems[1].reason == "duplicate bill of materials line P → C, first seen in row 2"


def test_bom_item_as_its_own_component(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, bom="parent_item_id,component_item_id\nP,P"))
    assert where(problem) == ("bom.csv", 2, "component_item_id")
    assert problem.reason == "an item cannot be a component of itself"


def test_facility_supplying_itself(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, sourcing="item_id,supplier_facility_id,buyer_facility_id\nI1,F1,F1"))
    assert where(problem) == ("sourcing.csv", 2, "buyer_facility_id")
    assert problem.reason == "a facility cannot supply itself"


def test_company_as_its_own_parent(tmp_path: Path) -> None:
    problem = only(read_csvs(tmp_path, companies=f"{COMPANIES_HEADER}\nC1,Acme,CN,C1,100"))
    assert where(problem) == ("companies.csv", 2, "parent_company_id")
    assert problem.reason == "a company cannot be its own parent"


def test_ownership_chain_loop_within_the_bundle(tmp_path: Path) -> None:
    text = f"{COMPANIES_HEADER}\nC1,A,CN,C2,\nC2,B,CN,C3,\nC3,C,CN,C1,\nC4,D,CN,C1,"
    problem = only(read_csvs(tmp_path, companies=text))
    # Reported once, at the row that closes the loop when reading the file top-down.
    assert where(problem) == ("companies.csv", 4, "parent_company_id")
    assert problem.reason.startswith("ownership chain loops")
    assert "C3 → C1 → C2 → C3" in problem.reason


def test_bom_cycle_within_the_bundle(tmp_path: Path) -> None:
    text = "parent_item_id,component_item_id\nA,B\nB,C\nX,A\nC,A"
    problem = only(read_csvs(tmp_path, bom=text))
    assert where(problem) == ("bom.csv", 5, "component_item_id")
    assert problem.reason == "bill of materials cycle: C → A → B → C (other lines: rows 2, 3)"


def test_each_bom_cycle_reported_once(tmp_path: Path) -> None:
    text = "parent_item_id,component_item_id\nA,B\nB,A\nC,D\nD,E\nE,C"
    parsed = read_csvs(tmp_path, bom=text)
    assert [where(p) for p in parsed.problems] == [
        ("bom.csv", 3, "component_item_id"),
        ("bom.csv", 6, "component_item_id"),
    ]
    assert "B → A → B" in parsed.problems[0].reason
    assert "E → C → D → E" in parsed.problems[1].reason


# -- warnings ---------------------------------------------------------------------------------------------


def test_expired_link_is_kept_with_a_warning(tmp_path: Path) -> None:
    parsed = read_csvs(tmp_path, sourcing="item_id,supplier_facility_id,valid_to\nI1,F1,2020-12-31\nI1,F2,")
    assert parsed.problems == []
    assert parsed.bundle is not None and len(parsed.bundle.sourcing) == 2
    assert parsed.warnings == [
        "sourcing.csv: 1 link(s) have a valid_to in the past; expired links are still walked (rows 2)"
    ]


def test_current_shares_over_100_percent_get_a_warning(tmp_path: Path) -> None:
    text = """
        item_id,supplier_facility_id,buyer_facility_id,share,valid_from,valid_to
        I1,F1,B1,70,,
        I1,F2,B1,50,2024-01-01,
        I1,F3,B1,90,2020-01-01,2020-12-31
        I1,F4,,100,,
    """
    parsed = read_csvs(tmp_path, sourcing=text)
    assert parsed.problems == []
    share_warnings = [w for w in parsed.warnings if "add up to" in w]
    # The expired 90% (row 4) does not count; the importer's own 100% is fine.
    assert share_warnings == [
        "sourcing.csv: current shares of item 'I1' bought by facility 'B1' add up to 120% (rows 2, 3)"
    ]


def test_ownership_pct_without_a_parent_is_kept_with_a_warning(tmp_path: Path) -> None:
    parsed = read_csvs(tmp_path, companies=f"{COMPANIES_HEADER}\nC1,Acme,CN,,60")
    assert parsed.problems == []
    assert parsed.warnings == [
        "companies.csv: ownership_pct is given without a parent_company_id and means nothing (rows 2)"
    ]


# -- everything at once -----------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_in_reading_order(tmp_path: Path) -> None:
    parsed = read_csvs(
        tmp_path,
        documents="document_id,type,issued_on\nD1,memo,yesterday",
        companies="name,company_id,country\nAcme,C1,ZZ\n,C2,CN\nBeta,C1,US",
        items="item_id,name\nI1,Shirt",
        bom="parent_item_id,component_item_id,quantity\nP,P,-1",
    )
    assert [where(p) for p in parsed.problems] == [
        ("companies.csv", 2, "company_id"),
        ("companies.csv", 2, "country"),
        ("companies.csv", 3, "name"),
        ("companies.csv", 4, "company_id"),
        ("items.csv", None, "kind"),
        ("bom.csv", 2, "component_item_id"),
        ("bom.csv", 2, "quantity"),
        ("documents.csv", 2, "type"),
        ("documents.csv", 2, "issued_on"),
    ]
    assert parsed.bundle is None
    # The report still says what was read.
    assert parsed.rows_per_file == {"companies.csv": 3, "items.csv": 1, "bom.csv": 1, "documents.csv": 1}
