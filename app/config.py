"""Settings from the environment (prefix `TRACEGRAPH_`), one object for the service and the CLI.

The Neo4j defaults point at the server that `make neo4j-up` starts: Bolt on 127.0.0.1:7687, user `neo4j`,
and the password that `scripts/neo4j.sh` generated into `.neo4j/password`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.sealing import Sealer

#: the repository root when running from a checkout (the demo and the Neo4j cache live there)
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class StoreBackend(StrEnum):
    MEMORY = "memory"
    NEO4J = "neo4j"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class AuthMode(StrEnum):
    """How requests are authenticated: API keys, or the key-less local mode of the embedded demo."""

    KEYS = "keys"
    #: requests without a key act as an `importer` of `X-Tenant-ID` (or `default_tenant`); keys still work
    LOCAL = "local"


def _generated_password() -> str | None:
    """The password `scripts/neo4j.sh up` generated, looked up in the working directory, then the checkout."""
    for base in (Path.cwd(), PROJECT_ROOT):
        candidate = base / ".neo4j" / "password"
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8").strip()
    return None


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as `TRACEGRAPH_<FIELD>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="TRACEGRAPH_", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    store: StoreBackend = StoreBackend.MEMORY
    #: the embedded store's file (JSON, replaced atomically on every write)
    memory_path: Path = Path(".tracegraph/graph.json")
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    #: use tracegraph's server-side procedures when the server has them (scripts/neo4j.sh installs them)
    neo4j_procedures: bool = True
    #: a tenant's first load of at least this many rows is written in committed batches, invisible
    #: until complete (one transaction of a million rows exceeds the server's memory); 0 = never
    neo4j_staged_load_rows: int = 200_000
    #: seconds a single store call may take before it is abandoned
    store_timeout_s: float = 30.0
    #: the tenant of key-less requests in local mode, and of CLI commands without `--tenant`
    default_tenant: str = "default"
    #: run batch screening jobs in this process (one background worker); off for API-only replicas
    run_jobs: bool = True
    #: track verdict changes and send webhooks in this process (two background workers polling the store)
    run_change_tracker: bool = True
    #: seconds between the change tracker's polls of every tenant's data version and the list versions
    change_poll_s: float = 5.0
    #: let webhooks call private, loopback and link-local addresses; unset = allowed outside production
    webhook_allow_private: bool | None = None
    #: largest accepted bundle upload
    max_upload_bytes: int = 200 * 1024 * 1024
    #: `keys` or `local`; unset = `local` only for the embedded store in development, else `keys`
    auth: AuthMode | None = None
    #: largest accepted body of any other request (JSON): a screening batch of 1,000 records is ~0.5 MB
    max_request_bytes: int = 4 * 1024 * 1024
    #: requests per second each client (API key, else tenant + address) may make on average; 0 = no limit
    rate_limit_per_s: float = 50.0
    #: requests a client may make at once after being idle (the token bucket's size)
    rate_limit_burst: int = 100
    #: the evidence checklist (records expected per hop, by sector); unset = the shipped
    #: `loaders/data/evidence_checklist.json`. Re-read when the file changes.
    evidence_checklist: Path | None = None
    #: where uploaded document files are kept, content-addressed per tenant
    document_dir: Path = Path(".tracegraph/documents")
    #: Fernet key(s), comma-separated, sealing the secrets the service must read back (webhook signing
    #: secrets) before they are stored; the first seals, all unseal (`app.sealing`). Unset = stored as issued
    secrets_key: SecretStr | None = None

    @field_validator("secrets_key")
    @classmethod
    def _check_secrets_key(cls, value: SecretStr | None) -> SecretStr | None:
        Sealer(value)  # refuses what is not a list of Fernet keys, naming the setting
        return value

    @model_validator(mode="after")
    def _resolve_password(self) -> Settings:
        if self.neo4j_password is None:
            found = _generated_password()
            if found is not None:
                self.neo4j_password = SecretStr(found)
        if (
            self.env is Environment.PRODUCTION
            and self.store is StoreBackend.NEO4J
            and (self.neo4j_password is None or self.neo4j_password.get_secret_value() in ("", "neo4j"))
        ):
            raise ValueError("TRACEGRAPH_NEO4J_PASSWORD must be set to a real secret in production")
        if self.auth is None:
            local = self.store is StoreBackend.MEMORY and self.env is Environment.DEVELOPMENT
            self.auth = AuthMode.LOCAL if local else AuthMode.KEYS
        check_auth(self)
        return self


def check_auth(settings: Settings) -> None:
    """Refuse key-less local mode where it would expose real data: Neo4j in production.

    Called when settings are read and again when the app is built, so settings assembled without
    validation cannot slip through either.
    """
    if (
        settings.auth is AuthMode.LOCAL
        and settings.store is StoreBackend.NEO4J
        and settings.env is Environment.PRODUCTION
    ):
        raise ValueError(
            "TRACEGRAPH_AUTH=local (requests without API keys) is refused with TRACEGRAPH_STORE=neo4j and "
            "TRACEGRAPH_ENV=production; use TRACEGRAPH_AUTH=keys and issue keys with `tracegraph keys create`"
        )
