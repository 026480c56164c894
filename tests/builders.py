"""Plain functions that build valid records with sensible defaults, so a test names only what it is about.

Every builder takes the record's ID first and keyword overrides for any field, e.g.
`facility("F1", company_id="C1", region="Xinjiang")`. `full_*` builders set every optional field, for
round-trip tests that must cover each value type (dates, lists, floats, enums).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from graph_schema import (
    Activity,
    BomLine,
    Bundle,
    Company,
    Document,
    DocumentType,
    Facility,
    Item,
    ItemKind,
    ListEntry,
    ListVersion,
    RegistrationScheme,
    Review,
    ReviewVerdict,
    Sourcing,
)


def company(company_id: str = "C1", **fields: Any) -> Company:
    return Company(**{"company_id": company_id, "name": f"Company {company_id}", "country": "CN", **fields})


def facility(facility_id: str = "F1", company_id: str = "C1", **fields: Any) -> Facility:
    return Facility(
        **{"facility_id": facility_id, "company_id": company_id, "country": "CN", **fields},
    )


def item(item_id: str = "I1", kind: ItemKind | str = ItemKind.PRODUCT, **fields: Any) -> Item:
    return Item(**{"item_id": item_id, "name": f"Item {item_id}", "kind": kind, **fields})


def bom_line(parent_item_id: str, component_item_id: str, **fields: Any) -> BomLine:
    return BomLine(parent_item_id=parent_item_id, component_item_id=component_item_id, **fields)


def sourcing(
    item_id: str = "I1", supplier_facility_id: str = "F1", buyer_facility_id: str | None = None, **fields: Any
) -> Sourcing:
    return Sourcing(
        item_id=item_id,
        supplier_facility_id=supplier_facility_id,
        buyer_facility_id=buyer_facility_id,
        **fields,
    )


def document(
    document_id: str = "D1", doc_type: DocumentType | str = DocumentType.PURCHASE_ORDER, **fields: Any
) -> Document:
    return Document(**{"document_id": document_id, "type": doc_type, **fields})


def bundle(
    companies: list[Company] | None = None,
    facilities: list[Facility] | None = None,
    items: list[Item] | None = None,
    bom: list[BomLine] | None = None,
    sourcing: list[Sourcing] | None = None,
    documents: list[Document] | None = None,
) -> Bundle:
    return Bundle(
        companies=list(companies or []),
        facilities=list(facilities or []),
        items=list(items or []),
        bom=list(bom or []),
        sourcing=list(sourcing or []),
        documents=list(documents or []),
    )


def list_version(version_id: str = "v1", list_name: str = "uflpa_entity_list", **fields: Any) -> ListVersion:
    return ListVersion(
        **{
            "version_id": version_id,
            "list_name": list_name,
            "source": "https://www.dhs.gov/uflpa-entity-list",
            "retrieved_on": date(2024, 6, 1),
            "sha256": "0" * 64,
            "entry_count": 0,
            **fields,
        }
    )


def list_entry(entry_id: str = "E1", list_name: str = "uflpa_entity_list", **fields: Any) -> ListEntry:
    return ListEntry(**{"entry_id": entry_id, "list_name": list_name, "name": f"Entity {entry_id}", **fields})


# -- every optional field set ------------------------------------------------------------------------


def full_company(company_id: str = "C1", **fields: Any) -> Company:
    return company(
        company_id,
        **{
            "name_local": "新疆示例有限公司",
            "aliases": ["Example Co", "XJ Example"],
            "registration_id": "91650000MA7XXXXX1X",
            "registration_scheme": RegistrationScheme.USCC,
            "address": "1 Road, Urumqi",
            "parent_company_id": "P1",
            "ownership_pct": 51.5,
            **fields,
        },
    )


def full_facility(facility_id: str = "F1", company_id: str = "C1", **fields: Any) -> Facility:
    return facility(
        facility_id,
        company_id,
        **{
            "name": "Spinning mill",
            "activity": Activity.PROCESSING,
            "address": "2 Road",
            "city": "Aksu",
            "region": "Xinjiang",
            "postal_code": "843000",
            "latitude": 41.1681,
            "longitude": 80.2606,
            "os_id": "CN2024000XYZ",
            **fields,
        },
    )


def full_item(item_id: str = "I1", **fields: Any) -> Item:
    return item(
        item_id, **{"kind": ItemKind.COMPONENT, "hts_code": "5205.11", "commodity": "cotton", **fields}
    )


def full_sourcing(
    item_id: str = "I1", supplier_facility_id: str = "F1", buyer_facility_id: str | None = "F2", **fields: Any
) -> Sourcing:
    return sourcing(
        item_id,
        supplier_facility_id,
        buyer_facility_id,
        **{
            "share": 12.5,
            "valid_from": date(2024, 1, 1),
            "valid_to": date(2024, 12, 31),
            "document_ids": ["D1", "D2"],
            **fields,
        },
    )


def full_document(document_id: str = "D1", **fields: Any) -> Document:
    return document(
        document_id,
        **{
            "type": DocumentType.BILL_OF_LADING,
            "number": "BL-001",
            "issued_on": date(2024, 3, 5),
            "issuer_company_id": "C1",
            "uri": "s3://evidence/bl-001.pdf",
            "sha256": "a" * 64,
            **fields,
        },
    )


def full_list_entry(entry_id: str = "E1", list_name: str = "uflpa_entity_list", **fields: Any) -> ListEntry:
    return list_entry(
        entry_id,
        list_name,
        **{
            "aliases": ["Alias One", "Alias Two"],
            "name_local": "示例",
            "covers_subsidiaries": True,
            "section": "forced-labor",
            "effective_date": date(2023, 6, 12),
            "citation": "88 FR 38080",
            "entity_type": "entity",
            "source_list": "Entity List (EL) - Bureau of Industry and Security",
            "programs": ["EAR"],
            "countries": ["CN", "HK"],
            "addresses": ["No. 1 Example Road, Urumqi, Xinjiang, CN"],
            "identifiers": ["USCC:91650100MA7111114Q"],
            "remarks": "example remarks",
            **fields,
        },
    )


def review(subject: str, list_name: str, entry_id: str, verdict: ReviewVerdict, **fields: Any) -> Review:
    return Review(
        **{
            "review_id": f"{subject}|{list_name}|{entry_id}",
            "subject": subject,
            "list_name": list_name,
            "entry_id": entry_id,
            "verdict": verdict,
            "reviewer": "a.auditor@example.com",
            "reason": "checked the registration certificate",
            "decided_at": datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
            **fields,
        }
    )
