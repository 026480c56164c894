"""Settings from the environment (prefix `TRACEGRAPH_`), one object for the service and the CLI.

The Neo4j defaults point at the server that `make neo4j-up` starts: Bolt on 127.0.0.1:7687, user `neo4j`,
and the password that `scripts/neo4j.sh` generated into `.neo4j/password`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: the repository root when running from a checkout (the demo and the Neo4j cache live there)
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class StoreBackend(StrEnum):
    MEMORY = "memory"
    NEO4J = "neo4j"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


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
    #: seconds a single store call may take before it is abandoned
    store_timeout_s: float = 30.0
    #: the tenant used when a request does not name one (keys and roles arrive with issue 5)
    default_tenant: str = "default"
    #: largest accepted bundle upload
    max_upload_bytes: int = 200 * 1024 * 1024

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
        return self
