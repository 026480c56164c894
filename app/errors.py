"""The one error hierarchy of the domain.

Domain code raises these; the HTTP layer maps them to RFC 9457 problem documents in a single handler
(`app.api.problems`), and the CLI prints them. Driver errors are translated into these at the store
boundary, so nothing above the store knows which database is behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class TracegraphError(Exception):
    """Base error: a human-readable detail plus the HTTP status it stands for."""

    status: int = 500
    title: str = "Internal error"
    slug: str = "internal"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def extra(self) -> dict[str, Any]:
        """Problem members beyond type/title/status/detail."""
        return {}


class NotFoundError(TracegraphError):
    status = 404
    title = "Not found"
    slug = "not-found"


class BadRequestError(TracegraphError):
    status = 400
    title = "Bad request"
    slug = "bad-request"


class UploadTooLargeError(TracegraphError):
    status = 413
    title = "Upload too large"
    slug = "upload-too-large"


class TransactionTooLargeError(TracegraphError):
    """One all-or-nothing write needs more memory than the store allows a transaction: retrying cannot
    help, so this is not a 503; the fix is a smaller bundle or a larger limit."""

    status = 413
    title = "Too large for one transaction"
    slug = "transaction-too-large"


class ConflictError(TracegraphError):
    status = 409
    title = "Conflict"
    slug = "conflict"


class UnauthorizedError(TracegraphError):
    """No usable credentials: the API key is missing, unknown, malformed, expired or revoked.

    One error for all of these, so a caller cannot tell an unknown key from a revoked one; the HTTP
    layer adds `WWW-Authenticate: Bearer`.
    """

    status = 401
    title = "Unauthorized"
    slug = "unauthorized"


class ForbiddenError(TracegraphError):
    """The key is valid but its role lacks the permission the request needs."""

    status = 403
    title = "Forbidden"
    slug = "forbidden"


class StoreUnavailableError(TracegraphError):
    """The graph store cannot be reached; clients should retry after `retry_after` seconds."""

    status = 503
    title = "Graph store unavailable"
    slug = "store-unavailable"

    def __init__(self, detail: str, retry_after: int = 5) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class StoreError(TracegraphError):
    """The store failed for a reason that is not the client's fault and not a passing outage."""

    status = 500
    title = "Graph store error"
    slug = "store-error"


@dataclass(frozen=True)
class Problem:
    """One problem found in a bundle: where it is (file, row, column) and what was expected.

    `row` is the 1-based line number in the file as a spreadsheet shows it (the header is row 1),
    or `None` for a problem with the file as a whole.
    """

    file: str
    row: int | None
    column: str | None
    reason: str
    value: str | None = None
    #: JSON pointer to the field, when the records came as JSON (`POST /v1/records`)
    pointer: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        shown = f" (got {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.reason}{shown}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
            "value": self.value,
            **({"pointer": self.pointer} if self.pointer else {}),
        }


class BundleInvalidError(TracegraphError):
    """A bundle failed validation: every problem is listed and nothing was written."""

    status = 422
    title = "Bundle failed validation"
    slug = "bundle-invalid"

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found; nothing was loaded")
        self.problems = problems

    def extra(self) -> dict[str, Any]:
        return {"errors": [p.as_dict() for p in self.problems]}
