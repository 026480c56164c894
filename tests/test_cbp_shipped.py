"""The shipped CBP Withhold Release Orders and Findings table: it loads, and screening flags its entities.

Without it no trace or `POST /v1/screen` could ever report a CBP_WRO hit; these tests hold the file to
the count and source its `.meta.json` states and check that a WRO entity written as an ERP would write it
is flagged against exactly the shipped version, while an unrelated company is not.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.reference import shipped_lists
from app.screening.location import default_location_detector
from app.screening.model import ScreenRecord
from app.screening.service import Screener
from app.trace.rules import FacilityContext, ListMatchRule
from graph_schema import Company, Facility, ListEntry, ListVersion
from loaders.lists import SHIPPED_DIR, load_shipped
from loaders.local_names import SOURCE_NOTE

META = SHIPPED_DIR / "cbp_wro.meta.json"


@pytest.fixture(scope="module")
def cbp() -> tuple[ListVersion, list[ListEntry]]:
    [pair] = [(v, e) for v, e in load_shipped() if v.list_name == "CBP_WRO"]
    return pair


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(default_location_detector(), shipped_lists())


def test_shipped_cbp_table_loads_with_the_count_and_source_its_meta_states(
    cbp: tuple[ListVersion, list[ListEntry]],
) -> None:
    meta = json.loads(META.read_text(encoding="utf-8"))
    version, entries = cbp
    assert version.entry_count == len(entries) == meta["entry_count"]
    # The official source, then the Chinese-name supplement the version also used.
    official, _, names = version.source.partition(SOURCE_NOTE)
    assert official == meta["source"] and names.startswith("loaders/data/entity_local_names.csv")
    assert version.retrieved_on == date(2026, 11, 28)
    assert any(n.startswith("PARTIAL") for n in meta["notes"])
    # every row cites where it was transcribed from, and says whether the order still stands
    assert all(e.citation and e.citation.startswith("http") for e in entries)
    assert {(e.remarks or "").split(";")[0] for e in entries} <= {
        "Status: Active",
        "Status: Modified",
        "Status: Revoked",
    }
    hoshine = next(e for e in entries if e.name == "Hoshine Silicon Industry Co. Ltd.")
    assert hoshine.covers_subsidiaries and hoshine.effective_date == date(2021, 6, 24)


def test_a_wro_entity_is_flagged_against_the_shipped_version(
    screener: Screener, cbp: tuple[ListVersion, list[ListEntry]]
) -> None:
    version, _ = cbp
    records = [
        ScreenRecord(name="HOSHINE SILICON IND CO LTD", country="CN"),
        ScreenRecord(name="XPCC"),  # the abbreviation CBP's releases use for the corps
    ]
    for result in screener.screen(records):
        hits = [m for m in result.matches if m.list_name == "CBP_WRO"]
        assert hits and hits[0].decision == "match"
        assert hits[0].list_version == version.version_id
    [ref] = [r for r in screener.versions if r.list == "CBP_WRO"]
    assert ref.version_id == version.version_id and ref.entry_count == version.entry_count


def test_an_unrelated_company_gets_no_cbp_hit(screener: Screener) -> None:
    [result] = screener.screen([ScreenRecord(name="Fairview Textiles Ltd", country="US")])
    assert not [m for m in result.matches if m.list_name == "CBP_WRO"]


def _finding_text(operator_name: str, country: str) -> list[str]:
    """The texts of the signals the list rule raises for a facility run by `operator_name`."""
    rule = ListMatchRule(shipped_lists())
    company = Company(company_id="C1", name=operator_name, country=country)
    facility = Facility(facility_id="F1", company_id="C1", country=country)
    return [s.explanation for s in rule.assess(FacilityContext(facility, company, [], {}))]


def test_a_revoked_order_says_so_in_the_finding() -> None:
    # WRP Asia Pacific's 2019 WRO was revoked in 2020: still worth a look, but not a detention order.
    texts = _finding_text("WRP Asia Pacific Sdn. Bhd.", "MY")
    assert any("CBP lists as revoked" in t for t in texts), texts


def test_an_active_order_carries_no_status_note() -> None:
    texts = _finding_text("Hoshine Silicon Industry Co., Ltd.", "CN")
    cbp_texts = [t for t in texts if "Withhold Release Order" in t]
    assert cbp_texts and not any("CBP lists as" in t for t in cbp_texts), texts


def test_malaysian_legal_forms_are_forms_not_names(screener: Screener) -> None:
    # CBP writes "Top Glove Corporation Bhd"; a supplier master spells the form out.
    [result] = screener.screen([ScreenRecord(name="TOP GLOVE CORPORATION BERHAD", country="MY")])
    assert any(m.list_name == "CBP_WRO" and m.decision.value == "match" for m in result.matches)
    # A name that is nothing but a legal form and a generic word matches nobody.
    [other] = screener.screen([ScreenRecord(name="Berhad Sdn Trading", country="MY")])
    assert not [m for m in other.matches if m.decision.value == "match"]


def test_a_vessel_is_matched_by_its_name(screener: Screener) -> None:
    [result] = screener.screen([ScreenRecord(name="Da Wang", country="VU")])
    assert any(m.list_name == "CBP_WRO" and m.entry_name == "Da Wang" for m in result.matches)
