"""The trace document: verdict, findings with evidence paths, gaps, cycles and the supply map.

These models are the API's response schema and the CLI's `--json` output, so every field carries a
description that ends up in the OpenAPI document. Lists are in a deterministic order, so two stores
holding the same data produce byte-identical documents.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from app.screening.model import LocationResult, Match


class Verdict(StrEnum):
    """The outcome for one product, from most to least severe."""

    PRESUMPTION_APPLIES = "presumption_applies"
    NEEDS_REVIEW = "needs_review"
    INCOMPLETE_TRACE = "incomplete_trace"
    NO_RISK_FOUND = "no_risk_found"


class Severity(StrEnum):
    """How strongly a finding weighs: `presumption` triggers the UFLPA presumption; `review` needs a human."""

    PRESUMPTION = "presumption"
    REVIEW = "review"


class Role(StrEnum):
    """What happens to the item at a state of the walk."""

    RESALE = "resale"  # the facility resells the item it bought: the walk follows its suppliers
    MANUFACTURE = "manufacture"  # the facility makes the item from its bill of materials
    ORIGIN = "origin"  # the item has no bill of materials: grown, mined or made here
    UNTRACED = "untraced"  # the walk cannot go further here (see gaps)
    PRODUCT = "product"  # the root: the importer's product


class GapReason(StrEnum):
    NO_TIER1_SOURCING = "no_tier1_sourcing"
    NO_COMPONENT_SOURCING = "no_component_sourcing"
    NON_ORIGINATING_SITE = "non_originating_site"
    ONLY_CYCLIC_SUPPLY = "only_cyclic_supply"
    UNKNOWN_FACILITY = "unknown_facility"


class LotGapReason(StrEnum):
    """Why a lot trace stops: what the EPCIS records do not say."""

    LOT_INPUTS_NOT_RECORDED = "lot_inputs_not_recorded"  # made from a bill of materials, no input lots
    LOT_ORIGIN_UNKNOWN = "lot_origin_unknown"  # no event says where the lot was made or commissioned


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class DocumentRef(Model):
    document_id: str = Field(description="The document's ID in the tenant's data.")
    type: str = Field(description="Document type, e.g. `commercial_invoice`, `bill_of_lading`.")
    number: str | None = Field(None, description="The document's own number (invoice number, B/L number).")
    issued_on: str | None = Field(None, description="Issue date, ISO 8601.")
    uri: str | None = Field(None, description="Where the document itself can be fetched.")
    sha256: str | None = Field(None, description="Hash of the document file, to prove it was not altered.")


class Location(Model):
    country: str = Field(description="ISO 3166-1 alpha-2 country of the facility.", examples=["CN"])
    region: str | None = Field(None, description="Province or state.", examples=["Xinjiang"])
    city: str | None = Field(None, examples=["Aksu"], description="City or town.")
    address: str | None = Field(None, description="Street address as loaded.")
    postal_code: str | None = Field(None, description="Postal code.")
    latitude: float | None = Field(None, description="WGS 84 latitude.")
    longitude: float | None = Field(None, description="WGS 84 longitude.")


class Hop(Model):
    """One step upstream: the facility that supplied (or made) `item_id`, and the link that says so."""

    tier: int = Field(description="Position on this path: 1 is the importer's direct supplier.", examples=[1])
    item_id: str = Field(description="The item that moves along this hop.")
    item_name: str | None = Field(None, description="The item's name.")
    facility_id: str = Field(description="The supplying facility.")
    facility_name: str | None = Field(None, description="The supplying facility's name.")
    activity: str | None = Field(None, description="What the facility does: farm, mine, trading, ...")
    company_id: str | None = Field(None, description="The facility's operator company.")
    company_name: str | None = Field(None, description="The operator's name.")
    location: Location | None = Field(None, description="Where the facility is, as loaded.")
    sourcing_id: str = Field(description="Identity of the sourcing row: item|supplier|buyer|valid_from.")
    share: float | None = Field(None, description="Percent of the buyer's volume from this supplier.")
    valid_from: str | None = Field(None, description="First day the sourcing link applies (ISO 8601).")
    valid_to: str | None = Field(None, description="Last day the sourcing link applies (ISO 8601).")
    documents: list[DocumentRef] = Field(
        default_factory=list, description="Records backing this sourcing link; empty means undocumented."
    )
    # Lot-level evidence (GS1 EPCIS); empty where no lots are recorded.
    lot_ids: list[str] = Field(
        default_factory=list,
        description="Lots of this item recorded at the supplier, then at the buyer: the hop is lot-backed.",
    )
    lot_id: str | None = Field(None, description="In a lot trace: the lot that moves along this hop.")
    event_id: str | None = Field(None, description="In a lot trace: the EPCIS event that made the lot.")
    event_time: str | None = Field(None, description="In a lot trace: when that event happened (ISO 8601).")
    quantity: float | None = Field(None, description="In a lot trace: the lot's quantity, as recorded.")
    uom: str | None = Field(None, description="Unit of that quantity (UN/CEFACT Rec. 20 code).")


class Signal(Model):
    """Why a rule fired: which rule, on which field of which record, with which value, against what."""

    rule: str = Field(description="The rule that fired.", examples=["xuar_location"])
    severity: Severity = Field(
        description="`presumption` triggers the UFLPA presumption; `review` needs a person's judgement."
    )
    subject: str = Field(
        description="What the rule looked at: `facility` or `company`.", examples=["facility"]
    )
    subject_id: str = Field(description="ID of that facility or company.")
    field: str = Field(description="The field that carried the evidence.", examples=["region"])
    value: str = Field(description="The field's value as loaded.", examples=["Xinjiang"])
    matched: str = Field(description="What it matched: a place name, a list entry.", examples=["Xinjiang"])
    reference: str = Field(
        description="The reference data and its version: gazetteer or list version ID.",
        examples=["UFLPA:3f1c0a9b2e11"],
    )
    explanation: str = Field(description="One sentence a person can read.")
    location: LocationResult | None = Field(
        None,
        description=(
            "For location rules: the location detector's whole answer, every signal with the field and text "
            "span that produced it."
        ),
    )
    match: Match | None = Field(
        None,
        description="For list rules: the matched entry, score, decision and per-feature explanation.",
    )


class Finding(Model):
    """A facility on the upstream walk that is at risk, with the path that leads the product to it."""

    facility_id: str = Field(description="The facility at risk.")
    facility_name: str | None = Field(None, description="Its name as loaded.")
    company_id: str | None = Field(None, description="Its operator company.")
    company_name: str | None = Field(None, description="The operator's name as loaded.")
    severity: Severity = Field(description="The strongest severity among the signals.")
    items: list[str] = Field(description="Items this facility contributes to the product.")
    signals: list[Signal] = Field(
        description="Every rule that fired here, strongest first, each with its evidence."
    )
    path: list[Hop] = Field(description="Product → tier-1 facility → … → this facility.")


class Gap(Model):
    """An input the walk could not trace to an origin: what is missing and where."""

    reason: GapReason | LotGapReason = Field(
        description=(
            "Why the walk stopped: no tier-1 supplier, no supplier of a component, a trading site "
            "without suppliers, a closed loop, an unknown facility."
        )
    )
    item_id: str = Field(description="The untraced input.")
    item_name: str | None = Field(None, description="The untraced input's name.")
    at_facility_id: str | None = Field(None, description="Where the input is needed; empty for tier 0.")
    explanation: str = Field(description="What is missing, in a sentence, and where.")
    path: list[Hop] = Field(description="Product → … → the facility where the trace stops.")


class Cycle(Model):
    """A loop in the supply data: the same item at the same facility reached again on one path."""

    states: list[str] = Field(description="State IDs `item@facility` around the loop, first repeated last.")
    explanation: str = Field(description="Why the loop matters and what was done with it.")


class MapNode(Model):
    id: str = Field(description="`item@facility`, or `product:<id>` for the root.")
    item_id: str = Field(description="The item at this state.")
    item_name: str | None = Field(None, description="The item's name.")
    facility_id: str | None = Field(None, description="The facility; empty for the product root.")
    facility_name: str | None = Field(None, description="The facility's name.")
    company_id: str | None = Field(None, description="The facility's operator.")
    company_name: str | None = Field(None, description="The operator's name.")
    activity: str | None = Field(
        None, description="What the facility does: farm, mine, processing, manufacturing, trading, ..."
    )
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 country of the facility.")
    region: str | None = Field(None, description="Province or state of the facility.")
    city: str | None = Field(None, description="City of the facility.")
    tier: int = Field(description="Smallest number of hops from the product.")
    role: Role = Field(
        description="What happens here: resale, manufacture, origin, untraced, or the product itself."
    )
    risk: Severity | None = Field(None, description="Strongest finding at this facility, if any.")
    lot_id: str | None = Field(None, description="In a lot trace: the lot at this state.")


class MapEdge(Model):
    source: str = Field(description="Buyer side (downstream) state ID.")
    target: str = Field(description="Supplier side (upstream) state ID.")
    item_id: str = Field(description="The item that flows from target to source.")
    sourcing_id: str = Field(description="Identity of the sourcing row behind this link.")
    share: float | None = Field(None, description="Percent of the buyer's volume from this supplier.")
    document_ids: list[str] = Field(default_factory=list, description="Documents backing the link.")
    cycle: bool = Field(False, description="True if this link closes a cycle and was not followed.")
    lot_ids: list[str] = Field(
        default_factory=list,
        description=(
            "Lots of this item recorded at the supplier and then at (or consumed at) the buyer; for a tier-1 "
            "link, at the supplier. Non-empty means the link is backed by lot records."
        ),
    )
    event_id: str | None = Field(None, description="In a lot trace: the event that consumed the input lot.")
    quantity: float | None = Field(None, description="In a lot trace: the quantity of the input consumed.")
    uom: str | None = Field(None, description="Unit of that quantity.")


class SupplyMap(Model):
    nodes: list[MapNode] = Field(
        description="Every (item, facility) state the walk visited, plus the product root."
    )
    edges: list[MapEdge] = Field(
        description="Every sourcing link followed, buyer to supplier; cycle-closing links are marked."
    )


class ReferenceVersion(Model):
    name: str = Field(description="Reference data set.", examples=["UFLPA"])
    version: str = Field(description="Version ID: content hash or date.", examples=["UFLPA:3f1c0a9b2e11"])
    source: str | None = Field(None, description="Where the data came from.")
    retrieved_on: str | None = Field(None, description="When it was retrieved (ISO 8601).")


class TraceStats(Model):
    states: int = Field(description="(item, facility) states visited, each once.")
    edges: int = Field(description="Sourcing links followed.")
    max_tier: int = Field(description="Deepest tier reached.")
    facilities: int = Field(description="Distinct facilities checked by the rules.")


class TraceResult(Model):
    """Everything an importer needs to rebut the presumption for one product, or to see why it cannot yet."""

    tenant: str = Field(description="Tenant whose data was traced.")
    product_id: str = Field(description="The traced product's `item_id`.")
    product_name: str = Field(description="The product's name.")
    verdict: Verdict = Field(
        description="presumption_applies, needs_review, incomplete_trace or no_risk_found."
    )
    summary: str = Field(description="Why this verdict, in one or two sentences.")
    data_version: str = Field(description="Version of the tenant's data the trace was made on.")
    reference_versions: list[ReferenceVersion] = Field(
        description="Every list and gazetteer version the rules used."
    )
    rules: list[str] = Field(description="Rules that were applied to every facility.")
    findings: list[Finding] = Field(
        description="Facilities at risk, strongest first, each with its evidence path."
    )
    gaps: list[Gap] = Field(description="Inputs that could not be traced to an origin, each with its path.")
    cycles: list[Cycle] = Field(description="Loops found in the supply data (reported, not followed).")
    supply_map: SupplyMap = Field(description="Everything that was checked: states and links with tiers.")
    stats: TraceStats = Field(description="Size of the upstream walk.")


class LotTraceResult(TraceResult):
    """A lot's trace: the same document as a product's (so packs and views treat both alike), walked
    over the lot's recorded inputs instead of the product's sourcing links.

    `product_id`/`product_name` name the lot's item; the root of the supply map is `lot:<lot_id>`.
    """

    lot_id: str = Field(description="The traced lot's canonical ID, `<item_id>.<lot>`.")
    item_id: str = Field(description="The item the lot is of.")
