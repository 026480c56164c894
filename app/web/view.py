"""What the auditor's pages show, assembled from the service's answers: no rule or walk of its own.

A trace page embeds one JSON document (`trace_view`) holding the trace itself plus what the graph and its
side panel need without a further request: cytoscape elements with positions layered by tier, the
element IDs of every finding's and gap's path, and the stored records (facility address, operator,
documents) of every facility and link the trace touches. Everything is sorted, so the same data renders
the same page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from app.evidence.pack import TraceRecords
from app.service import TraceService
from app.trace.models import Verdict
from graph_schema import ItemKind

#: vertical distance between tiers and horizontal distance between states of one tier, in graph units
TIER_GAP = 100
ROW_GAP = 210
#: products shown on the search page at most; a narrower query finds the rest
MAX_SEARCH_RESULTS = 200
#: lots shown on the search page at most (each is traced for its verdict)
MAX_SEARCH_LOTS = 50
#: items read per store page while searching
_SCAN_PAGE = 500

VERDICT_LABELS: Mapping[str, str] = {
    Verdict.PRESUMPTION_APPLIES: "Presumption applies",
    Verdict.NEEDS_REVIEW: "Needs review",
    Verdict.INCOMPLETE_TRACE: "Incomplete trace",
    Verdict.NO_RISK_FOUND: "No risk found",
}


def state_id(item_id: str, facility_id: str, lot_id: str | None = None) -> str:
    """The supply map's ID of an (item, facility) state as `app.trace.walk` writes it, or of a lot at its
    facility as `app.trace.lots` does."""
    return f"{lot_id or item_id}@{facility_id}"


def search_products(svc: TraceService, tenant: str, query: str) -> tuple[list[dict[str, Any]], bool]:
    """Products whose ID or name contains `query` (any case), with verdicts, and whether more matched.

    Items are scanned in ID order and only the matches are traced (traces are cached by data version),
    so a search costs one trace per product shown, not one per product loaded.
    """
    needle = query.strip().casefold()
    found: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        batch = svc.store.list_items(tenant, kind=ItemKind.PRODUCT, after=after, limit=_SCAN_PAGE)
        for item in batch:
            if needle and needle not in item.item_id.casefold() and needle not in item.name.casefold():
                continue
            if len(found) == MAX_SEARCH_RESULTS:
                return found, True
            result = svc.trace(tenant, item.item_id)
            found.append(
                {
                    "product_id": item.item_id,
                    "name": item.name,
                    "commodity": item.commodity,
                    "verdict": result.verdict.value,
                    "summary": result.summary,
                    "findings": len(result.findings),
                    "gaps": len(result.gaps),
                }
            )
        if len(batch) < _SCAN_PAGE:
            return found, False
        after = batch[-1].item_id


def search_lots(svc: TraceService, tenant: str, query: str) -> tuple[list[dict[str, Any]], bool]:
    """Lots whose ID contains `query`, each with its trace's verdict, and whether more matched."""
    page = svc.list_lots(tenant, q=query.strip() or None, limit=MAX_SEARCH_LOTS)
    rows = []
    for lot in page.items:
        result = svc.trace_lot(tenant, lot.lot_id)
        rows.append(
            {
                "lot_id": lot.lot_id,
                "item_id": lot.item_id,
                "item_name": result.product_name,
                "lot": lot.lot,
                "facility_id": lot.facility_id,
                "quantity": lot.quantity,
                "uom": lot.uom,
                "verdict": result.verdict.value,
                "summary": result.summary,
            }
        )
    return rows, page.next_offset is not None


def verdict_counts(rows: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, int]]:
    """(verdict, label, count) for every verdict, most severe first, zeros included."""
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["verdict"]] += 1
    return [(v.value, VERDICT_LABELS[v], counts[v.value]) for v in Verdict]


def _layout(node_tiers: Mapping[str, int], links: Iterable[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """Preset positions: one row per tier (the product at the top; supply chains run deeper than wide, so
    rows fit a screen better than columns), and within a tier each state placed under the mean position
    of its buyers, so links mostly run straight and rarely cross."""
    buyers: dict[str, list[str]] = defaultdict(list)
    for source, target in links:
        buyers[target].append(source)
    by_tier: dict[int, list[str]] = defaultdict(list)
    for node, tier in node_tiers.items():
        by_tier[tier].append(node)
    across: dict[str, float] = {}
    positions: dict[str, dict[str, float]] = {}
    for tier in sorted(by_tier):

        def barycentre(node: str) -> tuple[float, str]:
            placed = [across[b] for b in buyers[node] if b in across]
            return (sum(placed) / len(placed) if placed else 0.0, node)

        column = sorted(by_tier[tier], key=barycentre)
        for index, node in enumerate(column):
            across[node] = (index - (len(column) - 1) / 2) * ROW_GAP
            positions[node] = {"x": across[node], "y": float(tier * TIER_GAP)}
    return positions


def _node_label(node: Mapping[str, Any]) -> str:
    if node["role"] == "product":
        name = str(node["item_name"] or node["item_id"])
        return f"{name}\nlot {node['lot_id']}" if node.get("lot_id") else name
    where = node["facility_name"] or node["facility_id"]
    what = node["item_name"] or node["item_id"]
    return f"{where}\n{what}" + (f" · lot {node['lot_id']}" if node.get("lot_id") else "")


def trace_view(trace: Mapping[str, Any], records: TraceRecords) -> dict[str, Any]:
    """The page's embedded document for a product or lot trace (`trace` is its JSON form), with the
    records `read_trace_records` read in the trace's snapshot."""
    supply = trace["supply_map"]
    root = next(n["id"] for n in supply["nodes"] if n["role"] == "product")
    tiers = {n["id"]: n["tier"] for n in supply["nodes"]}
    risk_by_facility = {f["facility_id"]: f["severity"] for f in trace["findings"]}

    elements: list[dict[str, Any]] = []
    for node in supply["nodes"]:
        classes = [node["role"]]
        if node["risk"]:
            classes.append(node["risk"])
        elements.append(
            {"group": "nodes", "data": {**node, "label": _node_label(node)}, "classes": " ".join(classes)}
        )

    edge_ids: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    links: list[tuple[str, str]] = []
    for index, edge in enumerate(supply["edges"]):
        eid = f"edge:{index}"
        edge_ids[(edge["source"], edge["target"])][edge["sourcing_id"]] = eid
        links.append((edge["source"], edge["target"]))
        classes = []
        if edge.get("cycle"):
            classes.append("cycle")
        if edge.get("lot_ids"):
            classes.append("lot")
        if not edge.get("document_ids"):
            classes.append("undocumented")
        share = edge.get("share")
        elements.append(
            {
                "group": "edges",
                "data": {**edge, "id": eid, "label": f"{share:g}%" if share is not None else ""},
                "classes": " ".join(classes),
            }
        )

    def hop_elements(path: list[Mapping[str, Any]]) -> tuple[list[str], list[str]]:
        nodes, edges, previous = [root], [], root
        for hop in path:
            current = state_id(hop["item_id"], hop["facility_id"], hop.get("lot_id"))
            nodes.append(current)
            between = edge_ids.get((previous, current), {})
            found = between.get(hop["sourcing_id"]) or next(iter(between.values()), None)
            if found is not None:
                edges.append(found)
            previous = current
        return nodes, edges

    paths: list[dict[str, Any]] = []
    for index, finding in enumerate(trace["findings"]):
        nodes, edges = hop_elements(finding["path"])
        paths.append({"key": f"finding:{index}", "kind": "finding", "nodes": nodes, "edges": edges})

    for index, gap in enumerate(trace["gaps"]):
        gap_node = f"gap:{index}"
        nodes, edges = hop_elements(gap["path"])
        at = nodes[-1]
        tiers[gap_node] = tiers.get(at, 0) + 1
        links.append((at, gap_node))
        label = f"untraced: {gap['item_name'] or gap['item_id']}"
        elements.append(
            {
                "group": "nodes",
                "data": {"id": gap_node, "label": label, "role": "gap", "gap": index, **gap, "path": None},
                "classes": "gap",
            }
        )
        gap_edge = f"gap-edge:{index}"
        elements.append(
            {"group": "edges", "data": {"id": gap_edge, "source": at, "target": gap_node}, "classes": "gap"}
        )
        paths.append(
            {"key": f"gap:{index}", "kind": "gap", "nodes": [*nodes, gap_node], "edges": [*edges, gap_edge]}
        )

    positions = _layout(tiers, links)
    for element in elements:
        if element["group"] == "nodes":
            element["position"] = positions[element["data"]["id"]]

    facility_ids = sorted({n["facility_id"] for n in supply["nodes"] if n["facility_id"]})
    facilities, companies, documents = records.facilities, records.companies, records.documents

    signals: dict[str, list[Any]] = defaultdict(list)
    for finding in trace["findings"]:
        signals[finding["facility_id"]].extend(finding["signals"])

    return {
        "trace": trace,
        "root": root,
        "elements": elements,
        "paths": paths,
        "default_path": "finding:0" if trace["findings"] else None,
        "facilities": {
            fid: {
                **facilities[fid].model_dump(mode="json"),
                "risk": risk_by_facility.get(fid),
                "signals": signals.get(fid, []),
            }
            for fid in facility_ids
            if fid in facilities
        },
        "companies": {cid: c.model_dump(mode="json") for cid, c in sorted(companies.items())},
        "documents": {did: d.model_dump(mode="json") for did, d in sorted(documents.items())},
    }


def readiness_rows(readiness: Mapping[str, Any], trace: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The readiness table's rows, one per hop in the readiness document's order (tier, then ID), each
    with its supplier's name and the graph node it leads to."""
    names = {n["facility_id"]: n["facility_name"] for n in trace["supply_map"]["nodes"] if n["facility_id"]}
    return [
        {
            **hop,
            "supplier_name": names.get(hop["supplier_facility_id"]) or hop["supplier_facility_id"],
            "node": state_id(hop["item_id"], hop["supplier_facility_id"], hop.get("lot_id")),
        }
        for hop in readiness["hops"]
    ]


def undocumented_links(trace: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Links of the trace with no document at all: what an auditor asks for first."""
    names = {n["id"]: n for n in trace["supply_map"]["nodes"]}
    rows = []
    for edge in trace["supply_map"]["edges"]:
        if edge.get("document_ids"):
            continue
        supplier, buyer = names.get(edge["target"], {}), names.get(edge["source"], {})
        rows.append(
            {
                "tier": supplier.get("tier"),
                "item": supplier.get("item_name") or edge["item_id"],
                "supplier": supplier.get("facility_name") or supplier.get("facility_id"),
                "buyer": buyer.get("facility_name") or "the importer",
                "sourcing_id": edge["sourcing_id"],
                "node": edge["target"],
            }
        )
    return sorted(rows, key=lambda r: (r["tier"] or 0, r["sourcing_id"]))
