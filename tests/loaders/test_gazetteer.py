"""The shipped gazetteer: complete enough to screen with, versioned, and loud when malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.gazetteer import GazetteerError, default_boundary, load_boundary, load_gazetteer

DATA = Path(__file__).resolve().parents[2] / "loaders" / "data"


def test_every_level_is_present_with_codes_and_names() -> None:
    gaz = load_gazetteer()
    levels = [p.level for p in gaz.places]
    assert levels.count("region") == 1
    assert levels.count("prefecture") == 14
    assert levels.count("county") >= 90
    assert levels.count("xpcc_city") >= 12
    codes = gaz.by_code()
    assert codes["650400"].name_en == "Turpan" and codes["652100"] is codes["650400"]  # historic code
    assert codes["652923"].division_code == "652902"  # Kuqa County became a city in 2019
    urumqi = codes["650100"]
    assert {"Urumqi", "Ürümqi", "Wulumuqi", "乌鲁木齐", "烏魯木齊"} <= set(urumqi.names)


def test_ambiguous_names_are_kept_apart_from_the_names_the_simple_rule_matches() -> None:
    codes = load_gazetteer().by_code()
    assert "Aksu" in codes["652900"].abroad_names
    assert "温泉" in codes["652723"].weak_names and "温泉" not in codes["652723"].names
    assert "温泉县" in codes["652723"].names


def test_version_names_date_and_content_hash() -> None:
    gaz = load_gazetteer()
    assert gaz.version.startswith(f"xuar-gazetteer:{gaz.retrieved_on}:")
    assert "GB/T 2260" in gaz.source


def _copy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "g.csv"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "g.meta.json").write_text(
        '{"source": "test", "retrieved_on": "2026-01-01"}', encoding="utf-8"
    )
    return path


def test_malformed_row_names_file_row_and_column(tmp_path: Path) -> None:
    lines = (DATA / "xuar_gazetteer.csv").read_text(encoding="utf-8").splitlines()
    bad = lines[3].split(",")
    bad[0] = "110000"  # Beijing's code in the XUAR gazetteer
    path = _copy(tmp_path, "\n".join([lines[0], lines[1], lines[2], ",".join(bad)]) + "\n")
    with pytest.raises(GazetteerError, match=r"g\.csv, row 4, column division_code"):
        load_gazetteer(path)


def test_missing_required_value_and_missing_meta(tmp_path: Path) -> None:
    lines = (DATA / "xuar_gazetteer.csv").read_text(encoding="utf-8").splitlines()
    row = lines[1].split(",")
    row[2] = "planet"
    path = _copy(tmp_path, lines[0] + "\n" + ",".join(row) + "\n")
    with pytest.raises(GazetteerError, match="row 2, column level"):
        load_gazetteer(path)
    (tmp_path / "g.meta.json").unlink()
    with pytest.raises(GazetteerError, match="meta"):
        load_gazetteer(path)


def test_boundary_contains_urumqi_and_not_beijing() -> None:
    boundary = default_boundary()
    assert boundary.contains(87.62, 43.83)
    assert not boundary.contains(116.40, 39.90)
    assert len(boundary.rings[0]) < 5000


def test_unreadable_boundary_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "b.geojson"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"b\.geojson"):
        load_boundary(path)
