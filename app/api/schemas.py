"""Request and response bodies that exist only at the HTTP boundary (the domain models live elsewhere)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from app.jobs import MAX_JOB_PRODUCTS
from app.screening.model import ScreenRecord
from app.screening.service import ListVersionRef, ScreenResult
from app.service import MAX_SCREEN_RECORDS
from graph_schema import ApiRole, ReviewVerdict

_EXAMPLE_RECORD: dict[str, JsonValue] = {
    "name": "XINJIANG DAQO NEW ENERGY CO LTD",
    "country": "CN",
    "address": "Shihezi Economic and Technological Development Zone, Xinjiang",
}


class ScreenRequest(BaseModel):
    """Records to screen, e.g. suppliers at onboarding, before any bundle exists."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"records": [_EXAMPLE_RECORD]}]}
    )

    records: list[ScreenRecord] = Field(
        min_length=1, max_length=MAX_SCREEN_RECORDS, description="The records, any subset of fields each."
    )


class ScreenResponse(BaseModel):
    results: list[ScreenResult] = Field(description="One result per record, in the order sent.")


class ReviewRequest(BaseModel):
    """A person's decision on a possible match: honoured whenever the same subject is screened again."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={
            "examples": [
                {
                    "subject": "company:C-XJ-POLY",
                    "list": "UFLPA",
                    "entry_id": "uflpa:i:xinjiang-daqo-new-energy-co-ltd",
                    "verdict": "rejected",
                    "reviewer": "a.auditor@example.com",
                    "reason": "different USCC and registered in Jiangsu; not the listed entity",
                }
            ]
        },
    )

    subject: str = Field(
        description="`company:<company_id>` for a loaded company, or the `subject` of a screening result."
    )
    list_name: str = Field(alias="list", description="List code of the entry, e.g. `UFLPA`.")
    entry_id: str = Field(description="The list entry's ID as given in the match.")
    verdict: ReviewVerdict = Field(description="`confirmed` (it is the entry) or `rejected` (it is not).")
    reviewer: str = Field(min_length=1, max_length=200, description="Who decided.")
    reason: str = Field(min_length=1, max_length=2000, description="Why: the evidence relied on.")


class ListVersionsResponse(BaseModel):
    current: list[ListVersionRef] = Field(description="The version of each list in force, by list code.")
    history: list[ListVersionRef] = Field(description="Every stored version, newest first.")


class KeyRequest(BaseModel):
    """A key to issue: its role, what it is for, and optionally how long it lives."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"role": "integration", "name": "ERP nightly export", "expires_in_days": 90}]
        },
    )

    role: ApiRole = Field(description="`admin`, `importer`, `auditor` or `integration`.")
    name: str = Field(min_length=1, max_length=200, description="What the key is for, e.g. the integration.")
    description: str | None = Field(None, max_length=2000, description="Longer note on the key's purpose.")
    expires_in_days: int | None = Field(
        None, ge=1, le=3650, description="Days until the key stops working; absent = it does not expire."
    )


class ScreeningRequest(BaseModel):
    """A batch screening: named products, or every product of the tenant."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"product_ids": ["HP-SH-OXF", "HP-PV-410"], "callback_url": "https://erp.example.com/hook"},
                {"all": True},
            ]
        },
    )

    product_ids: list[str] | None = Field(
        None, max_length=MAX_JOB_PRODUCTS, description="Up to 100,000 product IDs; omit with `all`."
    )
    all: bool = Field(False, description="Screen every product of the tenant.")
    callback_url: str | None = Field(
        None, max_length=2000, description="POSTed the job's final state (JSON) when it ends."
    )
