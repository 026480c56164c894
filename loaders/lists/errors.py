"""The one error every list loader raises on malformed input.

Kept in its own module (no imports from the rest of the package) so that `loaders.uflpa` can subclass it
without an import cycle through `loaders.lists.__init__`.
"""

from __future__ import annotations


class ListFormatError(ValueError):
    """A screening-list file is malformed. `file`, `row` and `column` say where; `reason` says what.

    `row` is the 1-based record number (CSV: header = 1; JSON lines: line number; HTML: table row counted
    from the table's header row = 1), `column` the column, field or property name. Either may be `None`
    when the fault is in the file as a whole. A `ValueError`, so callers that only ask "is this usable?"
    need nothing project-specific; a missed listed entity is the costly failure, so loaders raise rather
    than skip.
    """

    def __init__(self, file: str, row: int | None, column: str | None, reason: str) -> None:
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {reason}")
        self.file = file
        self.row = row
        self.column = column
        self.reason = reason
