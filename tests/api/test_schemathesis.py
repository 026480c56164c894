"""Schemathesis against the OpenAPI document: generated requests to every operation, in process.

The app runs on the embedded store with the demo loaded, key-less (local mode) and without the rate
limit, so the generated requests reach the routes. Whatever schemathesis sends, the service must never
answer with a server error, and every documented response must match its schema. Examples per operation
are bounded so the test stays well under a minute; the seed is fixed so a failure reproduces.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from app.api.main import create_app
from app.config import AuthMode, Settings
from app.service import DEMO_DIR, TraceService
from app.store.memory import MemoryStore

CHECKS = [not_a_server_error, response_schema_conformance]
DEMO_EXPECTED = json.loads((DEMO_DIR.parent / "expected_verdicts.json").read_text(encoding="utf-8"))


#: the store the app serves; the demo is loaded into it by `demo_loaded`, when the tests run (building the
#: schema at collection only starts the app, which is cheap on an empty embedded store)
STORE = MemoryStore(None)
APP = create_app(Settings(rate_limit_per_s=0, auth=AuthMode.LOCAL), store=STORE)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def demo_loaded() -> None:
    service = TraceService(STORE)
    service.start()
    service.load("default", DEMO_DIR)


@schema.parametrize()
@seed(20261128)
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_responses_match_the_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


def test_demo_traces_match_the_schema() -> None:
    """Generated product IDs are mostly unknown (404), so trace every demo product explicitly too."""
    operation = schema["/v1/products/{product_id}/trace"]["GET"]
    products = sorted(DEMO_EXPECTED)
    assert products
    for product_id in products:
        case = operation.Case(path_parameters={"product_id": product_id})
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == 200
