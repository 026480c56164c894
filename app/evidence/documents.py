"""Document files uploaded after the records that describe them: stored content-addressed, hashed, and
recorded on the Document through the ordinary load path.

A bundle names its documents (type, number, issuer) and often a hash, but the file itself may come
later: a supplier sends the mill certificate a week after the invoice. The file is stored under the
document directory by its SHA-256 (`<dir>/<tenant>/<aa>/<sha256>`, one directory per tenant so
offboarding a tenant removes its files with a directory delete), and the Document's `sha256` and `uri`
are updated as a records upsert (`app.upserts.load_records`), so the change is validated, diffed and
moves the tenant's data version like any other.

A hash, once recorded, is a promise about the file: an upload whose hash differs from the one declared
(in the request, or already on the document) is refused with both hashes, because accepting it would
silently replace the evidence an auditor may already have checked. To replace a file on purpose, first
update the document's `sha256` (`PUT /v1/documents/{id}`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from app.errors import BadRequestError, ConflictError, NotFoundError
from app.ingest import LoadReport
from app.store.base import GraphStore
from app.upserts import RecordsRequest, Row, load_records
from graph_schema import Document

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
DEFAULT_CONTENT_TYPE = "application/octet-stream"


class DocumentFile(BaseModel):
    """A document's stored file: what a client needs to fetch and verify it."""

    model_config = ConfigDict(frozen=True)

    document_id: str = Field(description="The document's ID in the tenant's data.")
    sha256: str = Field(description="SHA-256 of the file, hex: also its address in the document store.")
    size: int = Field(description="Size of the file in bytes.")
    content_type: str = Field(description="The media type it was uploaded with.")
    uri: str = Field(description="Where the file can be fetched from this service.")
    data_version: str = Field(description="The tenant's data version after the document was updated.")


class DocumentHashMismatchError(ConflictError):
    """The uploaded file is not the one the request or the document record says it is."""

    title = "Document hash mismatch"
    slug = "document-hash-mismatch"

    def __init__(self, detail: str, declared: str, actual: str) -> None:
        super().__init__(detail)
        self.declared = declared
        self.actual = actual

    def extra(self) -> dict[str, Any]:
        return {"declared_sha256": self.declared, "actual_sha256": self.actual}


def file_uri(document_id: str) -> str:
    """The API path serving a document's file, recorded as the document's `uri`."""
    return f"/v1/documents/{quote(document_id, safe='')}/file"


class StagedFile(NamedTuple):
    """An upload written to disk as it arrived and hashed on the way, so a large file never sits in
    memory whole; it becomes a stored file (`DocumentFiles.keep`) only once the upload is accepted."""

    path: Path
    sha256: str
    size: int


class DocumentFiles:
    """Files by tenant and SHA-256 under one directory; each file has a small sidecar with its media type."""

    def __init__(self, root: Path) -> None:
        self.root = root

    async def stage(self, chunks: AsyncIterator[bytes]) -> StagedFile:
        """Write a request body to a staging file under the root (same file system, so keeping it is a
        rename), hashing it as it streams in; nothing is left behind if the stream fails."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as handle:
                async for chunk in chunks:
                    handle.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return StagedFile(Path(tmp), digest.hexdigest(), size)

    def keep(self, tenant: str, staged: StagedFile, content_type: str) -> None:
        """Move an accepted staged upload to its content address (idempotent, as `put`)."""
        target = self.path(tenant, staged.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            staged.path.unlink(missing_ok=True)
        else:
            os.replace(staged.path, target)
        _atomic_write(target.with_suffix(".json"), json.dumps({"content_type": content_type}).encode())

    def path(self, tenant: str, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise BadRequestError(f"'{sha256}' is not a lower-case hex SHA-256")
        return self.root / tenant / sha256[:2] / sha256

    def put(self, tenant: str, content: bytes, content_type: str) -> str:
        """Store `content` (idempotent: the same bytes land at the same path); its SHA-256."""
        digest = hashlib.sha256(content).hexdigest()
        target = self.path(tenant, digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            _atomic_write(target, content)
        _atomic_write(target.with_suffix(".json"), json.dumps({"content_type": content_type}).encode())
        return digest

    def drop(self, tenant: str) -> int:
        """Delete every file the tenant uploaded, for offboarding; how many files went (sidecars aside).

        One directory per tenant makes this one delete; a tenant name that is not a plain directory name
        is refused rather than resolved, so nothing outside the tenant's folder can be reached."""
        if tenant in {"", ".", ".."} or Path(tenant).name != tenant:
            raise BadRequestError(f"'{tenant}' is not a tenant name")
        folder = self.root / tenant
        if not folder.is_dir():
            return 0
        files = sum(1 for path in folder.glob("*/*") if _SHA256.match(path.name))
        shutil.rmtree(folder)
        return files

    def get(self, tenant: str, sha256: str) -> tuple[Path, str] | None:
        """The file's path and media type, or `None` if no file with that hash was uploaded."""
        target = self.path(tenant, sha256)
        if not target.is_file():
            return None
        try:
            meta = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
            content_type = str(meta.get("content_type") or DEFAULT_CONTENT_TYPE)
        except (OSError, ValueError):
            content_type = DEFAULT_CONTENT_TYPE
        return target, content_type


def _atomic_write(target: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _document(store: GraphStore, tenant: str, document_id: str) -> Document:
    found = store.get_documents(tenant, [document_id]).get(document_id)
    if found is None:
        raise NotFoundError(f"no document '{document_id}'")
    return found


def upload_document_file(
    store: GraphStore,
    tenant: str,
    document_id: str,
    content: bytes | StagedFile,
    content_type: str | None,
    declared_sha256: str | None,
    files: DocumentFiles,
    load: Callable[[bytes], LoadReport],
) -> DocumentFile:
    """Store a document's file and record its hash and URI on the document (a load like any other).

    Refused before anything is kept: an unknown document (404), an empty body (400), a declared hash
    (request or record) that differs from the file's (409, naming both). A staged upload is moved into
    place when accepted; deleting a refused one is the stager's business (it may fail before this runs).
    """
    document = _document(store, tenant, document_id)
    size = content.size if isinstance(content, StagedFile) else len(content)
    if not size:
        raise BadRequestError("the request body is empty: send the document's file as the body")
    actual = content.sha256 if isinstance(content, StagedFile) else hashlib.sha256(content).hexdigest()
    if declared_sha256 is not None:
        declared = declared_sha256.strip().lower()
        if declared != actual:
            raise DocumentHashMismatchError(
                f"the request declares sha256 {declared} but the uploaded file's is {actual}",
                declared,
                actual,
            )
    if document.sha256 and document.sha256.lower() != actual:
        raise DocumentHashMismatchError(
            f"document '{document_id}' records sha256 {document.sha256} but the uploaded file's is "
            f"{actual}; to replace the file on purpose, update the document's sha256 first",
            document.sha256.lower(),
            actual,
        )
    kind = content_type or DEFAULT_CONTENT_TYPE
    if isinstance(content, StagedFile):
        files.keep(tenant, content, kind)
    else:
        files.put(tenant, content, kind)
    row: Row = {
        **document.model_dump(mode="json", exclude_none=True),
        "sha256": actual,
        "uri": file_uri(document_id),
    }
    report, _ = load_records(store, tenant, RecordsRequest(documents=[row]), load)
    return DocumentFile(
        document_id=document_id,
        sha256=actual,
        size=size,
        content_type=kind,
        uri=file_uri(document_id),
        data_version=report.data_version,
    )


def document_file(
    store: GraphStore, tenant: str, document_id: str, files: DocumentFiles
) -> tuple[Path, str, str]:
    """The path, media type and SHA-256 of a document's uploaded file; 404 if either is missing."""
    document = _document(store, tenant, document_id)
    if not document.sha256:
        raise NotFoundError(
            f"document '{document_id}' has no file: upload one with PUT {file_uri(document_id)}"
        )
    found = files.get(tenant, document.sha256.lower()) if _SHA256.match(document.sha256.lower()) else None
    if found is None:
        where = f" (its record points to {document.uri})" if document.uri else ""
        raise NotFoundError(f"the file of document '{document_id}' was not uploaded to this service{where}")
    path, content_type = found
    return path, content_type, document.sha256.lower()
