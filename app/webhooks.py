"""Webhooks: verdict changes pushed to the tenant's own servers, signed, retried, and logged.

- **Subscriptions** (`Webhook` nodes, tenant data) name an http(s) URL and the events wanted
  (`verdict.changed`). Each gets a signing secret, shown once in the answer to the request that created
  it. The secret must sign every payload, so it cannot be stored hashed like an API key: with
  `TRACEGRAPH_SECRETS_KEY` set it is stored sealed with that key (`app.sealing`), so a copy of the
  store's data cannot forge payloads to the tenant's receiver; without it, as issued (then the store's
  credentials guard it). It is never returned again (listings show its last four characters) and never
  logged.
- **Deliveries** come from the change feed, which is the outbox: each subscription remembers the last
  change `seq` it was given (`cursor`), and `enqueue` turns the changes after it into deliveries of at
  most `MAX_CHANGES_PER_DELIVERY`, then moves the cursor. A crash between the two re-sends those changes
  (at least once); receivers de-duplicate by the delivery ID or by each change's `seq`.
- **Sending**: `POST` of the JSON body with `X-Tracegraph-Delivery: <id>` and `X-Tracegraph-Signature:
  t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the secret>`. A receiver verifies with
  `verify_signature` (or its own ten lines): recompute the HMAC over the raw body, compare in constant
  time, and refuse timestamps more than five minutes off, so a captured payload cannot be replayed later.
- **Retries**: network errors, 5xx and 429 are retried with exponential backoff and jitter (honouring
  `Retry-After`), up to `MAX_ATTEMPTS`; any other 4xx means the receiver refuses it, so it is not retried.
  Every attempt (time, status or error, duration, next retry) is kept on the delivery, which stays
  `pending` in the store until it succeeds or gives up: a restarted service resumes it.
- **SSRF**: only http(s) URLs; unless allowed by `TRACEGRAPH_WEBHOOK_ALLOW_PRIVATE` (the default outside
  production), a URL whose host resolves to a private, loopback, link-local or otherwise non-global
  address is refused, when subscribing and again before every attempt (DNS can change). Redirects are
  not followed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, Field

from app.changes import VerdictChange
from app.errors import BadRequestError, ConflictError, NotFoundError
from app.retry import backoff_delay, retry_after_seconds, retryable_status
from app.sealing import SEALED_PREFIX, SealedSecretError, Sealer, SealState
from app.store.base import GraphStore
from app.worker import Worker

log = logging.getLogger("tracegraph.webhooks")

SIGNATURE_HEADER = "X-Tracegraph-Signature"
DELIVERY_HEADER = "X-Tracegraph-Delivery"
#: a signature older (or newer) than this is refused by `verify_signature`: replays have a short window
SIGNATURE_TOLERANCE_S = 300
MAX_ATTEMPTS = 8
#: first retry after this long, doubling (with up to 20% jitter) to at most `RETRY_CAP_S`
RETRY_BASE_S = 10.0
RETRY_CAP_S = 3600.0
MAX_CHANGES_PER_DELIVERY = 100
SEND_TIMEOUT_S = 10.0
MAX_WEBHOOKS_PER_TENANT = 20
#: deliveries shown by the log at most
MAX_LOG = 500
#: compare-and-set tries per subscription when resealing its secret
RESEAL_ATTEMPTS = 5


class WebhookEvent(StrEnum):
    VERDICT_CHANGED = "verdict.changed"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # not delivered yet; a retry is due at `next_attempt_at`
    DELIVERED = "delivered"  # the receiver answered 2xx
    FAILED = "failed"  # gave up: refused (4xx), or out of attempts


class WebhookRequest(BaseModel):
    url: str = Field(description="Where to POST payloads: an http(s) URL.", max_length=2000)
    events: list[WebhookEvent] = Field(
        default_factory=lambda: [WebhookEvent.VERDICT_CHANGED],
        min_length=1,
        description="Events to receive: `verdict.changed`.",
    )
    description: str | None = Field(None, max_length=500, description="What the subscription is for.")


class Webhook(BaseModel):
    """A subscription as stored, its signing secret included."""

    webhook_id: str
    url: str
    events: list[WebhookEvent]
    description: str | None = None
    created_at: datetime
    #: the signing secret as stored: sealed with the deployment's key (`app.sealing`), or as issued
    secret: str
    #: its last four characters, kept apart so that listings need no key to show them
    secret_hint: str | None = None
    #: the last change `seq` turned into a delivery
    cursor: int = 0

    def hint(self) -> str:
        """The last four characters of the secret, which listings show: kept apart once it is sealed."""
        if self.secret_hint is not None:
            return self.secret_hint
        return "" if self.secret.startswith(SEALED_PREFIX) else self.secret[-4:]


class WebhookView(BaseModel):
    """A subscription as the API shows it: never its secret."""

    webhook_id: str = Field(description="The subscription's ID.")
    url: str = Field(description="Where payloads are POSTed.")
    events: list[WebhookEvent] = Field(description="Events it receives.")
    description: str | None = Field(None, description="What it is for.")
    created_at: datetime = Field(description="When it was created (UTC).")
    secret_hint: str = Field(description="The last four characters of its signing secret.")
    delivered_through: int = Field(description="The last change `seq` handed to a delivery.")

    @classmethod
    def of(cls, hook: Webhook) -> WebhookView:
        return cls(
            webhook_id=hook.webhook_id,
            url=hook.url,
            events=hook.events,
            description=hook.description,
            created_at=hook.created_at,
            secret_hint=hook.hint(),
            delivered_through=hook.cursor,
        )


class CreatedWebhook(WebhookView):
    secret: str = Field(
        description=(
            f"The signing secret, shown this once: verify `{SIGNATURE_HEADER}` with it "
            "(HMAC-SHA256 of `<t>.<raw body>`)."
        )
    )


class TenantSecrets(BaseModel):
    """How one tenant's stored signing secrets stand against the configured keys."""

    tenant: str = Field(description="The tenant.")
    states: dict[SealState, int] = Field(
        description="Subscriptions per state of their stored secret (after resealing, when asked to)."
    )
    resealed: int = Field(description="Secrets rewritten sealed with the first key by this run.")


class DeliveryAttempt(BaseModel):
    at: datetime = Field(description="When the attempt started (UTC).")
    status: int | None = Field(None, description="The HTTP status the receiver answered, if it answered.")
    error: str | None = Field(None, description="Why the attempt failed without an answer, if it did.")
    duration_ms: float = Field(description="How long the attempt took.")
    next_retry_at: datetime | None = Field(None, description="When it is tried again; empty if never.")


class Delivery(BaseModel):
    """One payload for one subscription and every attempt to send it."""

    delivery_id: str = Field(description="Sent as `X-Tracegraph-Delivery` and as the payload's `id`.")
    webhook_id: str = Field(description="The subscription.")
    created_at: datetime = Field(description="When the payload was made (UTC).")
    status: DeliveryStatus = Field(description="`pending`, `delivered` or `failed`.")
    first_seq: int = Field(description="The first change `seq` in the payload.")
    last_seq: int = Field(description="The last change `seq` in the payload.")
    changes: int = Field(description="Changes in the payload.")
    next_attempt_at: datetime | None = Field(None, description="When the next attempt is due, if pending.")
    attempts: list[DeliveryAttempt] = Field(default_factory=list, description="Every attempt, oldest first.")
    body: str = Field(exclude=True, description="The exact JSON sent (and signed) on every attempt.")


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The `X-Tracegraph-Signature` value for `body` sent at `timestamp` (unix seconds)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(
    secret: str,
    body: bytes,
    header: str | None,
    tolerance_s: float = SIGNATURE_TOLERANCE_S,
    now: float | None = None,
) -> bool:
    """Whether a payload is authentic and fresh: for receivers (and their tests).

    `body` must be the raw bytes received (re-serialised JSON would not match). A `v1` signature must match
    in constant time, and its timestamp be within `tolerance_s` of `now`, which bounds replays.
    """
    if not header:
        return False
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    stamps = [v for k, v in parts if k.strip() == "t"]
    macs = [v.strip() for k, v in parts if k.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit() or not macs:
        return False
    timestamp = int(stamps[0])
    if abs((time.time() if now is None else now) - timestamp) > tolerance_s:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return any(hmac.compare_digest(expected, mac) for mac in macs)


def check_target(url: str, allow_private: bool) -> None:
    """Refuse what a webhook must not call: non-http(s) URLs, and (unless allowed) internal addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadRequestError(f"url: expected an http(s) URL with a host, got '{url}'")
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as e:
        raise BadRequestError(f"url: cannot resolve host '{parts.hostname}': {e}") from None
    for *_, address in found:
        ip = ipaddress.ip_address(str(address[0]).split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise BadRequestError(
                f"url: host '{parts.hostname}' resolves to {ip}, a private or internal address; webhooks "
                "may only call public addresses (TRACEGRAPH_WEBHOOK_ALLOW_PRIVATE allows others)"
            )


#: (url, body, headers) -> (status, Retry-After header)
Sender = Callable[[str, bytes, Mapping[str, str]], tuple[int, str | None]]


def _send(url: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, str | None]:
    response = httpx.post(url, content=body, headers=dict(headers), timeout=SEND_TIMEOUT_S)
    return response.status_code, response.headers.get("retry-after")


class Webhooks:
    """Subscriptions, their deliveries and the dispatcher that sends them."""

    def __init__(
        self,
        store: GraphStore,
        sender: Sender | None = None,
        allow_private: bool = False,
        retry_base_s: float = RETRY_BASE_S,
        sealer: Sealer | None = None,
    ) -> None:
        self.store = store
        #: seals signing secrets before they are stored (no key configured: stored as issued)
        self.sealer = sealer or Sealer()
        self.allow_private = allow_private
        self.retry_base_s = retry_base_s
        self._send = sender or _send
        self._lock = threading.Lock()
        self._worker = Worker("tracegraph-webhooks", self.dispatch_due, "webhook deliveries")

    # -- subscriptions -------------------------------------------------------------------------------
    def create(self, tenant: str, request: WebhookRequest) -> CreatedWebhook:
        """Subscribe a URL; it receives the changes recorded from now on (no backfill)."""
        check_target(request.url, self.allow_private)
        if len(self.store.list_webhooks(tenant)) >= MAX_WEBHOOKS_PER_TENANT:
            raise BadRequestError(f"a tenant may have at most {MAX_WEBHOOKS_PER_TENANT} webhooks")
        latest = self.store.list_verdict_changes(tenant, limit=1)
        secret = "whsec_" + secrets.token_urlsafe(32)
        hook = Webhook(
            webhook_id=uuid.uuid4().hex,
            url=request.url,
            events=list(dict.fromkeys(request.events)),
            description=request.description,
            created_at=datetime.now(UTC),
            secret=self.sealer.seal(secret),
            secret_hint=secret[-4:],
            cursor=int(latest[0]["seq"]) if latest else 0,
        )
        self.store.put_webhook(tenant, hook.webhook_id, hook.model_dump(mode="json"))
        return CreatedWebhook(**WebhookView.of(hook).model_dump(), secret=secret)

    def get(self, tenant: str, webhook_id: str) -> Webhook:
        raw = self.store.get_webhook(tenant, webhook_id)
        if raw is None:
            raise NotFoundError(f"no webhook '{webhook_id}' for this tenant")
        return Webhook.model_validate(raw)

    def subscriptions(self, tenant: str) -> list[WebhookView]:
        return [WebhookView.of(Webhook.model_validate(raw)) for raw in self.store.list_webhooks(tenant)]

    def delete(self, tenant: str, webhook_id: str) -> None:
        """Unsubscribe; pending deliveries go with it."""
        if not self.store.delete_webhook(tenant, webhook_id):
            raise NotFoundError(f"no webhook '{webhook_id}' for this tenant")

    def deliveries(self, tenant: str, webhook_id: str, limit: int = 100) -> list[Delivery]:
        """The delivery log, newest first."""
        if not 1 <= limit <= MAX_LOG:
            raise BadRequestError(f"query parameter 'limit': expected 1 to {MAX_LOG}, got {limit}")
        self.get(tenant, webhook_id)
        rows = self.store.list_webhook_deliveries(tenant, webhook_id, limit)
        return [Delivery.model_validate(r) for r in rows]

    # -- key rotation --------------------------------------------------------------------------------
    def secret_states(self, reseal: bool = False) -> list[TenantSecrets]:
        """For every tenant with subscriptions, how many stored secrets are in each `SealState`.

        An operator rotating `TRACEGRAPH_SECRETS_KEY` drops the old key once no secret is `old_key` (or
        `plain`, if sealing is the point). With `reseal`, secrets stored as issued or under an old key
        are first rewritten sealed with the first key, so the rotation does not wait for traffic.
        """
        out: list[TenantSecrets] = []
        with self._lock:
            for tenant in self.store.webhook_tenants():
                states = dict.fromkeys(SealState, 0)
                resealed = 0
                for raw in self.store.list_webhooks(tenant):
                    hook, done = self._reseal(tenant, raw) if reseal else (Webhook.model_validate(raw), False)
                    resealed += done
                    if hook is not None:
                        states[self.sealer.state(hook.secret)] += 1
                out.append(TenantSecrets(tenant=tenant, states=states, resealed=resealed))
        return out

    def _reseal(self, tenant: str, raw: dict[str, Any]) -> tuple[Webhook | None, bool]:
        """Rewrite one subscription with its secret resealed, only over the document as read: another
        process moving the cursor meanwhile makes the write miss, and the fresh document is resealed
        instead. `None` if it was deleted meanwhile."""
        for _ in range(RESEAL_ATTEMPTS):
            hook = Webhook.model_validate(raw)
            sealed = self.sealer.reseal(hook.secret)
            if sealed == hook.secret:
                return hook, False
            new = hook.model_copy(update={"secret": sealed, "secret_hint": hook.hint()})
            if self.store.put_webhook(tenant, hook.webhook_id, new.model_dump(mode="json"), expected=raw):
                return new, True
            fresh = self.store.get_webhook(tenant, hook.webhook_id)
            if fresh is None:
                return None, False
            raw = fresh
        raise ConflictError(f"webhook '{raw.get('webhook_id')}' kept changing while its secret was resealed")

    # -- making deliveries ---------------------------------------------------------------------------
    def enqueue(self, tenant: str) -> int:
        """Turn the changes each subscription has not been given yet into deliveries; how many were made."""
        made = 0
        with self._lock:
            hooks = [Webhook.model_validate(raw) for raw in self.store.list_webhooks(tenant)]
            for hook in hooks:
                if WebhookEvent.VERDICT_CHANGED not in hook.events:
                    continue
                made += self._enqueue_hook(tenant, hook)
        if made:
            self._worker.wake()
        return made

    def _enqueue_hook(self, tenant: str, hook: Webhook) -> int:
        pending: list[VerdictChange] = []
        before: int | None = None
        while True:  # the feed is newest first: page back to the cursor, then send oldest first
            rows = self.store.list_verdict_changes(
                tenant, after_seq=hook.cursor, before_seq=before, limit=500
            )
            if not rows:
                break
            pending.extend(VerdictChange.model_validate(r) for r in rows)
            before = pending[-1].seq
        pending.reverse()
        made = 0
        for start in range(0, len(pending), MAX_CHANGES_PER_DELIVERY):
            batch = pending[start : start + MAX_CHANGES_PER_DELIVERY]
            now = datetime.now(UTC)
            delivery_id = f"{hook.webhook_id}-{batch[0].seq}-{batch[-1].seq}"
            payload = {
                "id": delivery_id,
                "type": WebhookEvent.VERDICT_CHANGED.value,
                "created_at": now.isoformat(),
                "tenant": tenant,
                "changes": [c.model_dump(mode="json") for c in batch],
            }
            delivery = Delivery(
                delivery_id=delivery_id,
                webhook_id=hook.webhook_id,
                created_at=now,
                status=DeliveryStatus.PENDING,
                first_seq=batch[0].seq,
                last_seq=batch[-1].seq,
                changes=len(batch),
                next_attempt_at=now,
                body=json.dumps(payload, separators=(",", ":"), sort_keys=True),
            )
            self._save(tenant, delivery)
            # Written back sealed with the current key: a secret stored before a key was set, or sealed
            # with a key being rotated out, is brought up to date as its subscription moves on.
            hook = hook.model_copy(
                update={
                    "cursor": batch[-1].seq,
                    "secret": self.sealer.reseal(hook.secret),
                    "secret_hint": hook.hint(),
                }
            )
            self.store.put_webhook(tenant, hook.webhook_id, hook.model_dump(mode="json"))
            made += 1
        return made

    # -- sending -------------------------------------------------------------------------------------
    def dispatch_due(self, now: datetime | None = None) -> int:
        """Make one attempt at every pending delivery that is due; how many attempts were made."""
        attempts = 0
        for tenant, delivery_id in self.store.pending_webhook_deliveries():
            if self._worker.stopping:
                break
            raw = self.store.get_webhook_delivery(tenant, delivery_id)
            if raw is None:
                continue
            delivery = Delivery.model_validate(raw)
            due = delivery.next_attempt_at
            if delivery.status is not DeliveryStatus.PENDING or (
                due is not None and due > (now or datetime.now(UTC))
            ):
                continue
            self._attempt(tenant, delivery)
            attempts += 1
        return attempts

    def _attempt(self, tenant: str, delivery: Delivery) -> Delivery:
        raw = self.store.get_webhook(tenant, delivery.webhook_id)
        started = datetime.now(UTC)
        clock = time.monotonic()
        status: int | None = None
        error: str | None = None
        retry_after: float | None = None
        if raw is None:  # unsubscribed meanwhile (its deliveries normally go with it)
            error, final = "the webhook was deleted", True
        else:
            hook = Webhook.model_validate(raw)
            body = delivery.body.encode()
            final = False
            try:
                headers = {
                    "Content-Type": "application/json",
                    "User-Agent": "tracegraph-webhooks",
                    DELIVERY_HEADER: delivery.delivery_id,
                    SIGNATURE_HEADER: sign(self.sealer.unseal(hook.secret), body, int(time.time())),
                }
                check_target(hook.url, self.allow_private)
                status, retry_header = self._send(hook.url, body, headers)
                retry_after = retry_after_seconds(retry_header)
            except BadRequestError as e:  # the URL now points somewhere it must not: never retried
                error, final = e.detail, True
            except SealedSecretError as e:  # the deployment's key is missing or wrong: retried, so
                error = e.detail  # the delivery goes out if the right key is set within its retries
            except httpx.HTTPError as e:
                error = str(e) or type(e).__name__
        delivered = status is not None and 200 <= status < 300
        number = len(delivery.attempts)
        retry = (
            not delivered
            and not final
            and (status is None or retryable_status(status))
            and number + 1 < MAX_ATTEMPTS
        )
        next_at = None
        if retry:
            wait = backoff_delay(
                number, self.retry_base_s, RETRY_CAP_S, jitter=0.2, retry_after_s=retry_after
            )
            next_at = datetime.now(UTC) + timedelta(seconds=wait)
        attempt = DeliveryAttempt(
            at=started,
            status=status,
            error=error,
            duration_ms=round((time.monotonic() - clock) * 1000, 1),
            next_retry_at=next_at,
        )
        state = (
            DeliveryStatus.DELIVERED
            if delivered
            else DeliveryStatus.PENDING
            if retry
            else DeliveryStatus.FAILED
        )
        updated = delivery.model_copy(
            update={"attempts": [*delivery.attempts, attempt], "status": state, "next_attempt_at": next_at}
        )
        self._save(tenant, updated)
        if state is DeliveryStatus.FAILED:
            log.warning("webhook delivery %s gave up: %s", delivery.delivery_id, error or f"HTTP {status}")
        return updated

    def _save(self, tenant: str, delivery: Delivery) -> None:
        data = delivery.model_dump(mode="json")
        data["body"] = delivery.body  # excluded from the API's view, kept in the store
        self.store.put_webhook_delivery(tenant, delivery.delivery_id, data)

    # -- the worker ----------------------------------------------------------------------------------
    def start(self, poll_s: float = 2.0) -> None:
        """Start the dispatcher thread (idempotent); it resumes deliveries a previous process left pending."""
        self._worker.start(poll_s)

    def stop(self, timeout: float = 10.0) -> None:
        self._worker.stop(timeout)
