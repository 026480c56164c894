"""The application service: what the API and the CLI both call. Routes and commands stay thin.

It owns the store, the risk rules (rebuilt when a list version changes) and a cache of trace results
keyed by (tenant, product, data version, reference versions): a result is reused only while nothing
it depends on has changed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from pydantic import BaseModel, Field

from app.errors import BadRequestError
from app.ingest import LoadReport, load_bundle
from app.reference import build_rules, ensure_reference_data
from app.store.base import GraphStore
from app.trace.models import TraceResult, Verdict
from app.trace.rules import UFLPA, RiskRule
from app.trace.walk import trace_product
from graph_schema import ItemKind


class ProductSummary(BaseModel):
    product_id: str = Field(description="The product's `item_id`.")
    name: str = Field(description="The product's name.")
    hts_code: str | None = Field(None, description="Harmonized Tariff Schedule code.")
    commodity: str | None = Field(None, description="Commodity, e.g. cotton, polysilicon.")
    verdict: Verdict = Field(description="The product's verdict on the current data and lists.")
    summary: str = Field(description="Why, in a sentence or two.")
    findings: int = Field(description="Facilities at risk on the upstream walk.")
    gaps: int = Field(description="Untraced inputs.")


class ProductPage(BaseModel):
    items: list[ProductSummary] = Field(description="Products in ID order.")
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` to get the next page; absent on the last page."
    )


class TraceService:
    """Loads bundles and traces products for tenants over one store."""

    def __init__(self, store: GraphStore, cache_size: int = 4096) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._rules: list[RiskRule] | None = None
        self._rules_key: str | None = None
        self._cache: OrderedDict[tuple[str, str, str, str], TraceResult] = OrderedDict()
        self._cache_size = cache_size
        self._started = False
        self._start_lock = threading.Lock()

    def start(self) -> None:
        """Apply the schema and the bundled reference data; idempotent, and cheap once it succeeded.

        Called at start-up and again before each operation, so a service started while its store was
        down gets ready by itself once the store answers (until then operations raise 503s).
        """
        if self._started:
            return
        with self._start_lock:
            if not self._started:
                self.store.ensure_schema()
                ensure_reference_data(self.store)
                self._started = True

    def rules(self) -> tuple[list[RiskRule], str]:
        """Risk rules bound to the current list version (rebuilt only when the version changes)."""
        self.start()
        current = self.store.current_list_version(UFLPA)
        key = current.version_id if current else ""
        with self._lock:
            if self._rules is None or key != self._rules_key:
                self._rules = build_rules(self.store)
                self._rules_key = key
            return self._rules, key

    def load(self, tenant: str, source: Path | bytes, name: str | None = None) -> LoadReport:
        self.start()
        return load_bundle(self.store, tenant, source, name)

    def trace(self, tenant: str, product_id: str) -> TraceResult:
        rules, rules_key = self.rules()
        data_version = self.store.data_version(tenant)
        key = (tenant, product_id, data_version, rules_key)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        result = trace_product(self.store, tenant, product_id, rules)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result

    def list_products(
        self, tenant: str, verdict: Verdict | None = None, cursor: str | None = None, limit: int = 50
    ) -> ProductPage:
        """Products in ID order, with verdicts; filtering by verdict traces as many products as needed."""
        if not 1 <= limit <= 500:
            raise BadRequestError("limit must be between 1 and 500")
        out: list[ProductSummary] = []
        after = cursor
        while len(out) < limit:
            batch = self.store.list_items(tenant, kind=ItemKind.PRODUCT, after=after, limit=limit)
            if not batch:
                return ProductPage(items=out, next_cursor=None)
            for item in batch:
                after = item.item_id
                result = self.trace(tenant, item.item_id)
                if verdict is not None and result.verdict is not verdict:
                    continue
                out.append(
                    ProductSummary(
                        product_id=item.item_id,
                        name=item.name,
                        hts_code=item.hts_code,
                        commodity=item.commodity,
                        verdict=result.verdict,
                        summary=result.summary,
                        findings=len(result.findings),
                        gaps=len(result.gaps),
                    )
                )
                if len(out) == limit:
                    break
        more = self.store.list_items(tenant, kind=ItemKind.PRODUCT, after=after, limit=1)
        return ProductPage(items=out, next_cursor=after if more else None)
