"""Secrets the service must read back, sealed with the deployment's key before they reach the store.

A webhook's signing secret cannot be stored hashed like an API key: every payload is signed with it. So
when `TRACEGRAPH_SECRETS_KEY` is set it is stored encrypted (Fernet: AES-128-CBC with an HMAC-SHA256
tag, from the `cryptography` package), and a copy of the store's data (a backup, a dump handed to
support) no longer lets anyone forge payloads to a tenant's receiver. The key is one or more
comma-separated Fernet keys: the first seals, every one unseals, so a key is rotated by putting the new
one first (in every process), resealing every stored secret (`tracegraph webhooks secrets --reseal`,
which then reports each secret's `SealState`), and dropping the old key once none is left under it.
Webhooks also reseal a subscription's secret whenever its cursor moves.

Without a key secrets are stored as issued, as before; a secret stored that way is sealed the next time
its record is written with a key configured. A sealed secret read without its key raises
`SealedSecretError`, never returns the sealed text as if it were the secret.
"""

from __future__ import annotations

from enum import StrEnum

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr

from app.errors import TracegraphError

#: marks a stored value as sealed, and by which scheme
SEALED_PREFIX = "sealed:v1:"


class SealedSecretError(TracegraphError):
    status = 500
    title = "Sealed secret unavailable"
    slug = "sealed-secret"


class SealState(StrEnum):
    """How a stored secret stands against the keys configured now: what an operator rotating a key
    must know before dropping the old one."""

    #: stored as issued (before a key was set, or no key is set)
    PLAIN = "plain"
    #: sealed with the first key
    CURRENT = "current"
    #: sealed with another configured key: `reseal` brings it to the first
    OLD_KEY = "old_key"
    #: sealed with a key not configured: unreadable until that key is configured again
    UNKNOWN_KEY = "unknown_key"


def generate_key() -> str:
    """A new key for `TRACEGRAPH_SECRETS_KEY`."""
    return Fernet.generate_key().decode()


class Sealer:
    """Seals and unseals secrets with the deployment's keys (no keys: secrets pass through as they are)."""

    def __init__(self, keys: SecretStr | str | None = None) -> None:
        text = keys.get_secret_value() if isinstance(keys, SecretStr) else keys or ""
        parts = [k.strip() for k in text.split(",") if k.strip()]
        try:
            fernets = [Fernet(k.encode()) for k in parts]
        except ValueError as exc:  # not 32 url-safe base64-encoded bytes
            raise ValueError(f"TRACEGRAPH_SECRETS_KEY: not a Fernet key ({exc})") from exc
        self._primary = fernets[0] if fernets else None
        self._fernet = MultiFernet(fernets) if fernets else None

    def seal(self, secret: str) -> str:
        """The form to store: sealed with the first key, or the secret itself when no key is set."""
        if self._fernet is None:
            return secret
        return SEALED_PREFIX + self._fernet.encrypt(secret.encode()).decode()

    def unseal(self, stored: str) -> str:
        """The secret from its stored form, sealed or (stored before a key was set) as issued."""
        if not stored.startswith(SEALED_PREFIX):
            return stored
        if self._fernet is None:
            raise SealedSecretError("a secret is sealed but TRACEGRAPH_SECRETS_KEY is not set")
        try:
            return self._fernet.decrypt(stored.removeprefix(SEALED_PREFIX).encode()).decode()
        except InvalidToken:
            raise SealedSecretError(
                "a secret is sealed with a key that TRACEGRAPH_SECRETS_KEY does not hold"
            ) from None

    def state(self, stored: str) -> SealState:
        """Which key, of those configured, the stored form is sealed with."""
        if not stored.startswith(SEALED_PREFIX):
            return SealState.PLAIN
        if self._fernet is None or self._primary is None:
            return SealState.UNKNOWN_KEY
        token = stored.removeprefix(SEALED_PREFIX).encode()
        for fernet, state in ((self._primary, SealState.CURRENT), (self._fernet, SealState.OLD_KEY)):
            try:
                fernet.decrypt(token)
                return state
            except InvalidToken:
                pass
        return SealState.UNKNOWN_KEY

    def reseal(self, stored: str) -> str:
        """The stored form as it should be now: sealed with the first key (rotating an old key's seal,
        sealing a secret stored as issued); unchanged without keys, when already current, or when sealed
        with a key we do not hold (left for `unseal` to report)."""
        if self._fernet is None:
            return stored
        state = self.state(stored)
        if state is SealState.PLAIN:
            return self.seal(stored)
        if state is SealState.OLD_KEY:
            return SEALED_PREFIX + self._fernet.rotate(stored.removeprefix(SEALED_PREFIX).encode()).decode()
        return stored
