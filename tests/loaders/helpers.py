"""Plain functions that build bundles for the loader tests: as directories, zip files or zip bytes.

Tests write CSV text inline (dedented) so each one shows exactly the rows it is about.
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from app.errors import Problem
from loaders import ParsedBundle, read_bundle

FIXTURES = Path(__file__).parent / "fixtures"
CLEAN = FIXTURES / "clean"
#: "today" for every test, so expiry warnings do not change with the calendar
TODAY = date(2025, 6, 1)


def csv_text(text: str) -> str:
    """Dedent and strip a triple-quoted CSV literal, ending it with a newline."""
    return textwrap.dedent(text).strip("\n") + "\n"


def write_dir(directory: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (name -> CSV text or raw bytes) into `directory` and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = directory / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(csv_text(content), encoding="utf-8")
    return directory


def zip_bytes(files: Mapping[str, str | bytes]) -> bytes:
    """A zip archive holding `files` under exactly the entry names given (folders included)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content if isinstance(content, bytes) else csv_text(content))
    return buffer.getvalue()


def dir_files(directory: Path) -> dict[str, bytes]:
    """Every file of a fixture directory by name, to re-pack it as a zip."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def read_csvs(tmp_path: Path, **files: str | bytes) -> ParsedBundle:
    """Read a bundle made of `name=csv text` keyword files (`companies="..."` -> companies.csv)."""
    directory = write_dir(tmp_path / "bundle", {f"{name}.csv": text for name, text in files.items()})
    return read_bundle(directory, today=TODAY)


def where(problem: Problem) -> tuple[str, int | None, str | None]:
    return problem.file, problem.row, problem.column


def only(parsed: ParsedBundle) -> Problem:
    """The bundle's single problem; fails listing them all if there is not exactly one."""
    assert len(parsed.problems) == 1, [str(p) for p in parsed.problems]
    assert parsed.bundle is None
    return parsed.problems[0]
