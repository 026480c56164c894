"""The evidence checklist file: the shipped one is usable and sourced; a malformed one is refused with the
JSON pointer of the problem and what was expected."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph_schema import DocumentType
from loaders.checklist import DEFAULT_CHECKLIST, ChecklistError, load_checklist, parse_checklist

SHIPPED: dict[str, Any] = json.loads(DEFAULT_CHECKLIST.read_text(encoding="utf-8"))


def test_the_shipped_checklist_is_sourced_and_covers_the_issue_sectors() -> None:
    checklist = load_checklist()
    assert {"default", "cotton", "polysilicon", "aluminum", "battery", "tomato", "pvc", "steel"} <= set(
        checklist.sectors
    )
    cited = {source.id for source in checklist.source}
    assert {"cbp-2022", "cbp-2026"} <= cited
    assert all(source.url.startswith("https://") for source in checklist.source)
    # every reason cites a source the checklist lists
    for sector in checklist.sectors.values():
        for stage in sector.stages:
            for spec in stage.records:
                assert any(source_id in spec.why for source_id in cited), spec.why
    meta = json.loads(DEFAULT_CHECKLIST.with_name("evidence_checklist.meta.json").read_text(encoding="utf-8"))
    assert meta["source"] and meta["retrieved_on"]


def test_commodities_resolve_to_sectors_by_key_or_alias_case_insensitively() -> None:
    checklist = load_checklist()
    assert checklist.sector_of("Cotton") == "cotton"
    assert checklist.sector_of("quartz") == "polysilicon"
    assert checklist.sector_of("Aluminium") == "aluminum"
    assert checklist.sector_of("lithium") == "battery"
    assert checklist.sector_of("polyester") == "default"
    assert checklist.sector_of(None) == "default"


def test_the_version_carries_a_hash_of_the_file(tmp_path: Path) -> None:
    original = load_checklist()
    edited = copy.deepcopy(SHIPPED)
    edited["title"] += " (edited)"
    path = tmp_path / "checklist.json"
    path.write_text(json.dumps(edited), encoding="utf-8")
    changed = load_checklist(path)
    assert changed.version == original.version  # the editor forgot to bump it...
    assert changed.version_id != original.version_id  # ...and results still say which file they used
    assert changed.version_id.startswith(f"{original.version}+")


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _drop(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


def _duplicate_stage(data: dict[str, Any]) -> None:
    stages = data["sectors"]["cotton"]["stages"]
    stages.append(copy.deepcopy(stages[0]))


def _duplicate_record(data: dict[str, Any]) -> None:
    records = data["sectors"]["cotton"]["stages"][0]["records"]
    records.append(copy.deepcopy(records[0]))


@pytest.mark.parametrize(
    ("edit", "pointer", "reason"),
    [
        (
            _set(("sectors", "cotton", "stages", 0, "records", 0, "requirement"), "mandatory"),
            "/sectors/cotton/stages/0/records/0/requirement",
            "'required' or 'recommended'",
        ),
        (
            _set(("sectors", "cotton", "stages", 0, "records", 0, "type"), "invoice"),
            "/sectors/cotton/stages/0/records/0/type",
            "commercial_invoice",
        ),
        (
            _set(("sectors", "aluminum", "stages", 0, "match", "roles"), ["smelting"]),
            "/sectors/aluminum/stages/0/match/roles/0",
            "manufacture",
        ),
        (
            _set(("sectors", "cotton", "stages", 0, "match", "activity"), ["farm"]),
            "/sectors/cotton/stages/0/match/activity",
            "unknown key",
        ),
        (_drop(("version",)), "/version", "required key is missing"),
        (_drop(("sectors", "default")), "/sectors", "'default' sector is required"),
        (
            _set(("sectors", "cotton", "aliases"), ["silicon"]),
            "/sectors/polysilicon/aliases/0",
            "already names sector 'cotton'",
        ),
        (_duplicate_stage, "/sectors/cotton/stages/3/id", "used twice"),
        (_duplicate_record, "/sectors/cotton/stages/0/records/1/type", "listed twice"),
        (_set(("sectors", "cotton", "yield_loss_pct"), 140), "/sectors/cotton/yield_loss_pct", "100"),
        (
            _set(("sectors", "cotton", "stages", 0, "records", 0, "why"), ""),
            "/sectors/cotton/stages/0/records/0/why",
            "at least 1",
        ),
    ],
)
def test_a_malformed_checklist_names_the_json_pointer_and_what_was_expected(
    edit: Callable[[dict[str, Any]], None], pointer: str, reason: str
) -> None:
    data = copy.deepcopy(SHIPPED)
    edit(data)
    with pytest.raises(ChecklistError) as caught:
        parse_checklist(json.dumps(data).encode(), "mine.json")
    assert caught.value.pointer == pointer
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"mine.json, at {pointer}:")


def test_broken_json_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ChecklistError, match=r"line 2, column"):
        parse_checklist(b'{"version": "1",\n  "sectors": }')
    with pytest.raises(ChecklistError, match="cannot read"):
        load_checklist(tmp_path / "absent.json")


def test_accepts_lists_the_expected_type_first() -> None:
    checklist = load_checklist()
    transport = next(
        spec
        for stage in checklist.sectors["default"].stages
        for spec in stage.records
        if spec.type is DocumentType.TRANSPORT_DOCUMENT
    )
    assert transport.accepted == [DocumentType.TRANSPORT_DOCUMENT, DocumentType.BILL_OF_LADING]
