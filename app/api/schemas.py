"""Request and response bodies that exist only at the HTTP boundary (the domain models live elsewhere)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from app.screening.model import ScreenRecord
from app.screening.service import ListVersionRef, ScreenResult
from app.service import MAX_SCREEN_RECORDS
from graph_schema import ReviewVerdict

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
