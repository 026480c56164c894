"""API keys: issue, verify, list and revoke; what the HTTP layer and the `tracegraph keys` command share.

A key is `tg_<key_id>_<secret>`: `key_id` (16 hex digits) is public and names the stored `ApiKey`; the
secret (32 random bytes, URL-safe base64) is shown once, when the key is issued, and only a salted scrypt
hash of it is stored, so a copy of the store (a backup, a Neo4j dump) grants no access. Verification looks
the key up by ID, then compares hashes in constant time (`hmac.compare_digest`).

The secret carries 256 bits of randomness, so a slow hash is defence in depth rather than a necessity;
to keep scrypt's ~50 ms off every request, a verifier remembers the tokens it has verified (by their
SHA-256, never the token itself) and re-reads only the stored key, which is what revocation and expiry
need.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field

from app.errors import BadRequestError, NotFoundError, UnauthorizedError
from app.store.base import GraphStore
from graph_schema import ApiKey, ApiRole

KEY_PREFIX = "tg"
#: scrypt cost: 16 MiB and ~50 ms per hash; parameters are stored with each hash, so they can change
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
TENANT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
_TOKEN = re.compile(rf"^{KEY_PREFIX}_([0-9a-f]{{16}})_([A-Za-z0-9_-]{{43}})$")


class ApiKeyInfo(BaseModel):
    """A key as an administrator sees it: everything but the secret and its hash."""

    key_id: str = Field(description="Public identifier of the key (the part after `tg_`).")
    tenant: str = Field(description="Tenant the key acts for.")
    role: ApiRole = Field(description="`admin`, `importer`, `auditor` or `integration`.")
    name: str = Field(description="What the key is for.")
    description: str | None = Field(None, description="Longer note on the key's purpose.")
    created_at: datetime = Field(description="When the key was issued (UTC).")
    created_by: str = Field(description="Who issued it: `key:<admin key_id>` or `cli:<os user>`.")
    expires_at: datetime | None = Field(None, description="When the key stops working (UTC); none = never.")
    revoked_at: datetime | None = Field(None, description="When the key was revoked (UTC), if it was.")

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyInfo:
        """The public view of a stored key."""
        return cls.model_validate(key.model_dump(exclude={"secret_hash"}))


class IssuedKey(ApiKeyInfo):
    """A key just issued, with its secret: the only time the secret is ever shown."""

    key: str = Field(description="The API key, `tg_<key_id>_<secret>`: store it now, it is not shown again.")


def check_tenant_id(tenant: str) -> str:
    """Refuse tenant IDs that could not have been created by a load (they end up in problem details)."""
    if not re.match(TENANT_ID_PATTERN, tenant):
        raise BadRequestError("a tenant ID is 1-64 letters, digits, '.', '_' or '-'")
    return tenant


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    """`scrypt$n$r$p$salt$hash` of a secret, with a fresh random salt unless one is given."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def secret_matches(secret: str, stored: str) -> bool:
    """Whether `secret` hashes to `stored`, compared in constant time; a malformed hash never matches."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            secret.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


def parse_token(token: str) -> tuple[str, str] | None:
    """(key_id, secret) of a well-formed key, else `None`."""
    found = _TOKEN.match(token.strip())
    return (found.group(1), found.group(2)) if found else None


def issue_key(
    store: GraphStore,
    tenant: str,
    role: ApiRole,
    name: str,
    created_by: str,
    *,
    description: str | None = None,
    expires_in_days: int | None = None,
    now: datetime | None = None,
) -> IssuedKey:
    """Create and store a key; the result carries the secret, which is not stored and not shown again."""
    check_tenant_id(tenant)
    if not name.strip():
        raise BadRequestError("a key needs a name saying what it is for")
    if expires_in_days is not None and expires_in_days < 1:
        raise BadRequestError("expires_in_days must be at least 1")
    now = now or datetime.now(UTC)
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    record = ApiKey(
        key_id=key_id,
        tenant=tenant,
        role=role,
        secret_hash=hash_secret(secret),
        name=name.strip(),
        description=description,
        created_at=now,
        created_by=created_by,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days is not None else None,
    )
    store.put_api_key(record)
    return IssuedKey(**ApiKeyInfo.of(record).model_dump(), key=f"{KEY_PREFIX}_{key_id}_{secret}")


def list_keys(store: GraphStore, tenant: str) -> list[ApiKeyInfo]:
    """A tenant's keys without secrets, oldest first, revoked and expired ones included (an audit trail)."""
    return [ApiKeyInfo.of(k) for k in store.list_api_keys(check_tenant_id(tenant))]


def revoke_key(store: GraphStore, key_id: str, now: datetime | None = None) -> ApiKeyInfo:
    """Revoke a key for good (idempotent); an unknown key is a 404."""
    revoked = store.revoke_api_key(key_id, now or datetime.now(UTC))
    if revoked is None:
        raise NotFoundError(f"no API key '{key_id}'")
    return ApiKeyInfo.of(revoked)


class KeyVerifier:
    """Turns a presented token into its stored, active key, or raises `UnauthorizedError`.

    Every call reads the stored key (so a revocation or expiry takes effect on the next request); the
    scrypt comparison runs once per token and process, remembered by the token's SHA-256 together with
    the stored hash it matched.
    """

    def __init__(self, cache_size: int = 1024) -> None:
        self._verified: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._lock = threading.Lock()
        self._cache_size = cache_size

    def verify(self, store: GraphStore, token: str, now: datetime | None = None) -> ApiKey:
        """The active key `token` stands for; one 401 for unknown, malformed, wrong, expired or revoked."""
        parsed = parse_token(token)
        if parsed is None:
            raise UnauthorizedError("the API key is malformed; expected tg_<key_id>_<secret>")
        key_id, secret = parsed
        key = store.get_api_key(key_id)
        if key is None or not self._matches(secret, key.secret_hash):
            raise UnauthorizedError("the API key is not valid")
        if not key.is_active(now or datetime.now(UTC)):
            raise UnauthorizedError("the API key has expired or was revoked")
        return key

    def _matches(self, secret: str, stored: str) -> bool:
        memo = (hashlib.sha256(secret.encode()).hexdigest(), stored)
        with self._lock:
            if memo in self._verified:
                self._verified.move_to_end(memo)
                return True
        if not secret_matches(secret, stored):
            return False
        with self._lock:
            self._verified[memo] = None
            while len(self._verified) > self._cache_size:
                self._verified.popitem(last=False)
        return True
