"""Webhooks as a receiver meets them: signed payloads that verify, retries with backoff on 5xx, none on
400, every attempt in the delivery log, pending deliveries surviving a restart, internal URLs refused."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from app.config import Settings
from app.errors import BadRequestError
from app.retry import backoff_delay, retry_after_seconds
from app.sealing import SEALED_PREFIX, Sealer, SealState, generate_key
from app.service import DEMO_DIR, TraceService
from app.store.memory import MemoryStore
from app.webhooks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    DeliveryStatus,
    WebhookRequest,
    Webhooks,
    sign,
    verify_signature,
)
from graph_schema import ListEntry, ListVersion

T = "acme"
LATER = datetime.now(UTC) + timedelta(days=2)  # "when every retry is due"


@dataclass
class Receiver:
    """A real HTTP server on localhost answering with the scripted statuses (200 once they run out)."""

    url: str
    answers: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            box[0].received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            status, headers = box[0].answers.pop(0) if box[0].answers else (200, {})
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.append(Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hooks/tracegraph"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box[0]
    server.shutdown()
    server.server_close()


@pytest.fixture
def service(tmp_path: Path) -> TraceService:
    svc = TraceService(MemoryStore(tmp_path / "graph.json"))
    svc.webhooks.allow_private = True  # the receiver is on localhost
    svc.load(T, DEMO_DIR)
    svc.changes.catch_up(T)  # the seed
    return svc


def list_change(svc: TraceService, list_name: str) -> int:
    """A new list naming a demo spinner; returns how many verdicts changed."""
    version = ListVersion(
        version_id=f"{list_name}:v1",
        list_name=list_name,
        source="https://example.org/test-list",
        retrieved_on=date(2026, 5, 1),
        sha256="0" * 64,
        entry_count=1,
    )
    entry = ListEntry(entry_id="E1", list_name=list_name, name="Karnaphuli Spinning Mills Ltd.")
    svc.store.write_list_version(version, [entry])
    return len(svc.changes.catch_up(T))


def test_a_receiver_gets_signed_payloads_that_verify(
    service: TraceService, receiver: Receiver, list_name: str
) -> None:
    hook = service.webhooks.create(T, WebhookRequest(url=receiver.url, description="compliance inbox"))
    changed = list_change(service, list_name)
    assert service.webhooks.dispatch_due() == 1
    ((headers, body),) = receiver.received
    assert verify_signature(hook.secret, body, headers[SIGNATURE_HEADER.lower()])
    payload = json.loads(body)
    assert payload["type"] == "verdict.changed" and payload["tenant"] == T
    assert payload["id"] == headers[DELIVERY_HEADER.lower()]
    feed = service.changes.feed(T).items
    assert [c["seq"] for c in payload["changes"]] == sorted(c.seq for c in feed) and changed == len(feed)
    (delivery,) = service.webhooks.deliveries(T, hook.webhook_id)
    assert delivery.status is DeliveryStatus.DELIVERED and delivery.attempts[0].status == 200
    # The listing never shows the secret again.
    (view,) = service.webhooks.subscriptions(T)
    assert "secret" not in view.model_dump() and hook.secret.endswith(view.secret_hint)


def test_a_5xx_is_retried_and_the_log_shows_both_attempts(
    service: TraceService, receiver: Receiver, list_name: str
) -> None:
    hook = service.webhooks.create(T, WebhookRequest(url=receiver.url))
    receiver.answers = [(500, {})]
    list_change(service, list_name)
    service.webhooks.dispatch_due()
    (pending,) = service.webhooks.deliveries(T, hook.webhook_id)
    assert pending.status is DeliveryStatus.PENDING
    assert pending.attempts[0].status == 500 and pending.attempts[0].next_retry_at is not None
    assert service.webhooks.dispatch_due() == 0  # not due yet: backoff
    assert service.webhooks.dispatch_due(now=LATER) == 1
    (done,) = service.webhooks.deliveries(T, hook.webhook_id)
    assert done.status is DeliveryStatus.DELIVERED
    assert [a.status for a in done.attempts] == [500, 200]
    assert done.attempts[1].next_retry_at is None and all(a.duration_ms >= 0 for a in done.attempts)
    first, second = receiver.received
    assert first[1] == second[1]  # the same body, signed afresh
    assert first[0][DELIVERY_HEADER.lower()] == second[0][DELIVERY_HEADER.lower()]


def test_a_400_is_not_retried(service: TraceService, receiver: Receiver, list_name: str) -> None:
    hook = service.webhooks.create(T, WebhookRequest(url=receiver.url))
    receiver.answers = [(400, {})]
    list_change(service, list_name)
    service.webhooks.dispatch_due()
    assert service.webhooks.dispatch_due(now=LATER) == 0
    (failed,) = service.webhooks.deliveries(T, hook.webhook_id)
    assert failed.status is DeliveryStatus.FAILED
    assert [a.status for a in failed.attempts] == [400] and failed.attempts[0].next_retry_at is None
    assert len(receiver.received) == 1


def test_retry_after_is_honoured_and_unreachable_receivers_are_retried(
    service: TraceService, receiver: Receiver, list_name: str
) -> None:
    slow = service.webhooks.create(T, WebhookRequest(url=receiver.url))
    gone = service.webhooks.create(T, WebhookRequest(url="http://127.0.0.1:9/closed"))
    receiver.answers = [(429, {"Retry-After": "600"})]
    list_change(service, list_name)
    service.webhooks.dispatch_due()
    (throttled,) = service.webhooks.deliveries(T, slow.webhook_id)
    attempt = throttled.attempts[0]
    assert attempt.status == 429 and attempt.next_retry_at is not None
    assert attempt.next_retry_at - attempt.at >= timedelta(seconds=599)
    (refused,) = service.webhooks.deliveries(T, gone.webhook_id)
    assert refused.status is DeliveryStatus.PENDING
    assert refused.attempts[0].status is None and refused.attempts[0].error


def test_a_restarted_service_resumes_pending_deliveries(
    tmp_path: Path, service: TraceService, receiver: Receiver, list_name: str
) -> None:
    hook = service.webhooks.create(T, WebhookRequest(url=receiver.url))
    receiver.answers = [(503, {})]
    list_change(service, list_name)
    service.webhooks.dispatch_due()
    restarted = Webhooks(MemoryStore(tmp_path / "graph.json"), allow_private=True)
    assert restarted.dispatch_due(now=LATER) == 1
    (done,) = restarted.deliveries(T, hook.webhook_id)
    assert [a.status for a in done.attempts] == [503, 200]


def test_a_new_subscription_gets_only_later_changes(
    service: TraceService, receiver: Receiver, list_name: str
) -> None:
    list_change(service, list_name)
    hook = service.webhooks.create(T, WebhookRequest(url=receiver.url))
    assert service.webhooks.enqueue(T) == 0
    assert service.webhooks.deliveries(T, hook.webhook_id) == []


def test_internal_and_non_http_urls_are_refused(service: TraceService) -> None:
    strict = Webhooks(service.store, allow_private=False)
    for url in ("http://127.0.0.1:8000/x", "http://10.1.2.3/x", "http://[::1]/x", "http://169.254.169.254/"):
        with pytest.raises(BadRequestError, match="private or internal"):
            strict.create(T, WebhookRequest(url=url))
    for url in ("ftp://example.com/x", "file:///etc/passwd", "http:///nohost"):
        with pytest.raises(BadRequestError, match="http"):
            strict.create(T, WebhookRequest(url=url))
    assert strict.subscriptions(T) == []


def test_signatures_verify_only_for_the_same_secret_body_and_a_fresh_time() -> None:
    body = b'{"id":"d1","changes":[]}'
    now = 1_800_000_000
    header = sign("whsec_a", body, now)
    assert verify_signature("whsec_a", body, header, now=now + 10)
    assert not verify_signature("whsec_b", body, header, now=now)
    assert not verify_signature("whsec_a", body + b" ", header, now=now)
    assert not verify_signature("whsec_a", body, header, now=now + 301)  # a replay, too late
    assert not verify_signature("whsec_a", body, None, now=now)
    assert not verify_signature("whsec_a", body, "t=x,v1=abc", now=now)
    rotated = f"{header},v1={'0' * 64}"  # an extra signature (e.g. during a secret rotation) is fine
    assert verify_signature("whsec_a", body, rotated, now=now)


def test_backoff_grows_is_capped_jittered_and_yields_to_retry_after() -> None:
    assert [backoff_delay(n, base_s=10) for n in range(4)] == [10, 20, 40, 80]
    assert backoff_delay(20, base_s=10, cap_s=3600) == 3600
    assert all(8 <= backoff_delay(0, base_s=10, jitter=0.2) <= 10 for _ in range(50))
    assert backoff_delay(0, base_s=10, retry_after_s=120) == 120
    assert retry_after_seconds("120") == 120
    stamp = datetime(2026, 5, 1, 12, 0, 30, tzinfo=UTC)
    assert retry_after_seconds("Fri, 01 May 2026 12:00:30 GMT", now=stamp - timedelta(seconds=30)) == 30
    assert retry_after_seconds("soon") is None


def assert_one_delivery_signed_with(svc: TraceService, receiver: Receiver, secret: str) -> None:
    assert svc.webhooks.dispatch_due() == 1
    ((headers, body),) = receiver.received
    assert verify_signature(secret, body, headers[SIGNATURE_HEADER.lower()])


def stored_secret(svc: TraceService, webhook_id: str) -> str:
    raw = svc.store.get_webhook(T, webhook_id)
    assert raw is not None
    return str(raw["secret"])


def test_with_a_key_the_store_never_holds_the_secret_and_payloads_still_verify(
    service: TraceService, receiver: Receiver, list_name: str
) -> None:
    service.webhooks.sealer = Sealer(generate_key())
    hook = service.webhooks.create(T, WebhookRequest(url=receiver.url))
    stored = stored_secret(service, hook.webhook_id)
    assert hook.secret not in json.dumps(service.store.get_webhook(T, hook.webhook_id))
    assert stored.startswith(SEALED_PREFIX)
    list_change(service, list_name)
    assert_one_delivery_signed_with(service, receiver, hook.secret)
    (view,) = service.webhooks.subscriptions(T)
    assert hook.secret.endswith(view.secret_hint) and len(view.secret_hint) == 4


def test_a_secret_stored_before_the_key_is_sealed_as_its_subscription_moves_on(
    service: TraceService, receiver: Receiver, list_name: str
) -> None:
    hook = service.webhooks.create(T, WebhookRequest(url=receiver.url))
    assert stored_secret(service, hook.webhook_id) == hook.secret  # no key yet: as issued
    # as a release before sealing stored it: the secret as issued, no hint kept apart
    raw = service.store.get_webhook(T, hook.webhook_id)
    assert raw is not None
    service.store.put_webhook(T, hook.webhook_id, {k: v for k, v in raw.items() if k != "secret_hint"})
    service.webhooks.sealer = Sealer(generate_key())
    list_change(service, list_name)  # enqueues a delivery and moves the subscription's cursor
    assert stored_secret(service, hook.webhook_id).startswith(SEALED_PREFIX)
    (view,) = service.webhooks.subscriptions(T)
    assert view.secret_hint == hook.secret[-4:]  # the listing still shows it, sealed or not
    assert_one_delivery_signed_with(service, receiver, hook.secret)


def test_a_rotated_key_still_unseals_and_the_new_one_takes_over(
    service: TraceService, receiver: Receiver, list_name: str
) -> None:
    old, new = generate_key(), generate_key()
    service.webhooks.sealer = Sealer(old)
    hook = service.webhooks.create(T, WebhookRequest(url=receiver.url))
    service.webhooks.sealer = Sealer(f"{new},{old}")
    list_change(service, list_name)
    assert Sealer(new).unseal(stored_secret(service, hook.webhook_id)) == hook.secret
    assert_one_delivery_signed_with(service, receiver, hook.secret)


def test_without_its_key_a_sealed_secret_signs_nothing_and_the_delivery_waits(
    service: TraceService, receiver: Receiver, list_name: str
) -> None:
    key = generate_key()
    service.webhooks.sealer = Sealer(key)
    hook = service.webhooks.create(T, WebhookRequest(url=receiver.url))
    list_change(service, list_name)
    service.webhooks.sealer = Sealer()  # restarted without TRACEGRAPH_SECRETS_KEY
    service.webhooks.dispatch_due()
    assert receiver.received == []
    (waiting,) = service.webhooks.deliveries(T, hook.webhook_id)
    assert waiting.status is DeliveryStatus.PENDING
    assert "TRACEGRAPH_SECRETS_KEY is not set" in (waiting.attempts[0].error or "")
    service.webhooks.sealer = Sealer(key)
    assert service.webhooks.dispatch_due(now=LATER) == 1
    assert verify_signature(
        hook.secret, receiver.received[0][1], receiver.received[0][0][SIGNATURE_HEADER.lower()]
    )


def test_a_malformed_secrets_key_is_refused_at_start_naming_the_setting() -> None:
    with pytest.raises(ValidationError, match="TRACEGRAPH_SECRETS_KEY"):
        Settings(secrets_key="not-a-key")
    assert Settings(secrets_key=f"{generate_key()}, {generate_key()}").secrets_key is not None


def test_resealing_moves_every_secret_to_the_new_key_so_the_old_one_can_be_dropped(
    service: TraceService, receiver: Receiver, list_name: str
) -> None:
    old, new = generate_key(), generate_key()
    service.webhooks.sealer = Sealer(old)
    under_old = service.webhooks.create(T, WebhookRequest(url=receiver.url))
    elsewhere = service.webhooks.create("beta", WebhookRequest(url=receiver.url))
    service.webhooks.sealer = Sealer()
    as_issued = service.webhooks.create(T, WebhookRequest(url=receiver.url))
    service.webhooks.sealer = Sealer(f"{new},{old}")  # the rotation starts: new key first

    checked = {t.tenant: t for t in service.webhooks.secret_states()}
    assert checked[T].states == {
        SealState.PLAIN: 1,
        SealState.CURRENT: 0,
        SealState.OLD_KEY: 1,
        SealState.UNKNOWN_KEY: 0,
    }
    assert checked["beta"].states[SealState.OLD_KEY] == 1
    assert stored_secret(service, as_issued.webhook_id) == as_issued.secret  # a check writes nothing

    resealed = {t.tenant: t for t in service.webhooks.secret_states(reseal=True)}
    assert (resealed[T].resealed, resealed["beta"].resealed) == (2, 1)
    for one in resealed.values():
        assert set(one.states) == set(SealState)
        assert one.states[SealState.CURRENT] == sum(one.states.values())
    assert service.webhooks.secret_states(reseal=True)[0].resealed == 0  # nothing left to do
    hints = {v.webhook_id: v.secret_hint for v in service.webhooks.subscriptions(T)}
    assert hints[as_issued.webhook_id] == as_issued.secret[-4:]

    service.webhooks.sealer = Sealer(new)  # the old key is dropped: every subscription still signs
    beta = service.store.get_webhook("beta", elsewhere.webhook_id)
    assert beta is not None and Sealer(new).unseal(str(beta["secret"])) == elsewhere.secret
    list_change(service, list_name)
    assert service.webhooks.dispatch_due() == 2
    secrets = {under_old.webhook_id: under_old.secret, as_issued.webhook_id: as_issued.secret}
    for headers, body in receiver.received:
        secret = secrets[headers[DELIVERY_HEADER.lower()].split("-")[0]]
        assert verify_signature(secret, body, headers[SIGNATURE_HEADER.lower()])


def test_a_reseal_keeps_a_cursor_another_process_moved_meanwhile(
    service: TraceService, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = generate_key(), generate_key()
    service.webhooks.sealer = Sealer(old)
    hook = service.webhooks.create(T, WebhookRequest(url="https://example.com/h"))
    service.webhooks.sealer = Sealer(f"{new},{old}")
    store = service.store
    real_put = store.put_webhook
    raced: list[int] = []

    def put_after_the_service_moved_on(
        tenant: str, webhook_id: str, data: Mapping[str, Any], expected: Mapping[str, Any] | None = None
    ) -> bool:
        if expected is not None and not raced:  # the API process enqueues between our read and write
            moved = store.get_webhook(tenant, webhook_id)
            assert moved is not None
            raced.append(real_put(tenant, webhook_id, {**moved, "cursor": 42}))
        return real_put(tenant, webhook_id, data, expected)

    monkeypatch.setattr(store, "put_webhook", put_after_the_service_moved_on)
    (result,) = service.webhooks.secret_states(reseal=True)
    assert raced == [True] and result.resealed == 1
    stored = store.get_webhook(T, hook.webhook_id)
    assert stored is not None and stored["cursor"] == 42  # not rewound: no change is delivered twice
    assert Sealer(new).unseal(str(stored["secret"])) == hook.secret


def test_a_secret_under_a_key_no_longer_configured_is_reported_and_left_alone(service: TraceService) -> None:
    service.webhooks.sealer = Sealer(generate_key())
    hook = service.webhooks.create(T, WebhookRequest(url="https://example.com/h"))
    before = stored_secret(service, hook.webhook_id)
    service.webhooks.sealer = Sealer(generate_key())  # the old key was dropped too early
    (result,) = service.webhooks.secret_states(reseal=True)
    assert result.states[SealState.UNKNOWN_KEY] == 1 and result.resealed == 0
    assert stored_secret(service, hook.webhook_id) == before
