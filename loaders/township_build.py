"""Regenerate `xuar_townships.csv` (and the other-province name sample) from a `streets.csv` export.

Why a build step: the township level (镇 towns, 乡 townships, 街道 subdistricts, farms) of the National Bureau
of Statistics division codes changes every year (乡 upgraded to 镇, new subdistricts, the XPCC cities' towns),
so the shipped file is derived mechanically from the export modood/Administrative-divisions-of-China publishes
as `dist/streets.csv` (columns `code,name,areaCode,provinceCode,cityCode`), never typed by hand. Pinyin and
traditional characters come from the gazetteer build's own helpers (same polyphone corrections, same OpenCC
fixes) so a township and its county are spelled alike.

Ambiguity is the point of the file: many township names repeat across China (红旗镇, 城关镇, 新华街道), and a
record naming one of those alone must not be read as the XUAR. `ambiguous_in_china` is set when any of
`ambiguity_reasons` holds; `ambiguous_pinyin` additionally covers romanised forms, which collide far more.

Usage: ``python -m loaders.township_build STREETS_CSV [--sample OFFSET,OFFSET,...]``. With ``--sample`` the
other-province sample is rebuilt first from the rows lying wholly inside the 16,000-character chunks starting
at those offsets (the chunks read to source it); without it the shipped sample is reused.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from loaders.gazetteer import DATA_DIR
from loaders.gazetteer_build import CONTEXT_FILE, _hant, _pinyin

TOWNSHIPS_FILE = DATA_DIR / "xuar_townships.csv"
SAMPLE_FILE = DATA_DIR / "china_township_names_sample.csv"
SOURCE_REPO = "https://github.com/modood/Administrative-divisions-of-China"
SOURCE_COMMIT = "dc3a1d7acd85ca1b0979543e9259604142c52e8e"
SOURCE_URL = f"{SOURCE_REPO}/blob/{SOURCE_COMMIT}/dist/streets.csv"
CHUNK = 16_000

COLUMNS = (
    "code",
    "county_code",
    "name_zh",
    "stem_zh",
    "kind",
    "name_zh_hant",
    "stem_zh_hant",
    "pinyin_tones",
    "pinyin",
    "pinyin_spaced",
    "ambiguous_in_china",
    "ambiguous_pinyin",
    "ambiguity_reasons",
    "source",
)
SAMPLE_COLUMNS = ("code", "name", "stem", "province_code", "source")

# Ethnic groups named in 民族乡 / 族乡 names ("塔尔塔吉克民族乡" is the Tajik township of Tar, stem
# 塔尔). Names of one character (回, 满, 土...) and 东乡/土家 count only with 族: without it they are
# ordinary words (黄土乡).
_ETHNONYMS = "柯尔克孜|乌孜别克|哈萨克|塔吉克|达斡尔|维吾尔|俄罗斯|鄂温克|鄂伦春|蒙古|锡伯|朝鲜"
_ETHNONYMS_ZU = "东乡|土家|藏|回|满|彝|苗|白|土"
_ETHNIC = re.compile(
    rf"^(.{{2,}}?)(?:(?:{_ETHNONYMS})族?|(?:{_ETHNONYMS_ZU})族)+(民族乡|族乡|乡|民族苏木|苏木|镇)$"
)
# Farms and ranches (state, county or XPCC): the part before the suffix is the farm's own name.
_FARM = re.compile(
    r"^(.{2,}?)(农场|牧场|总场|林场|园艺场|良种场|原种场|种羊场|种畜场|种牛场|种蜂场|马场|羊场|渔场)$"
)
# Units that are not settlements a record would give as its place: parks, prisons, committees, company land.
_OTHER = re.compile(
    r"(管委会|管理委员会|园区|开发区|片区|核心区|新区|监狱|口岸|管区|公司|中心|工业城|单位|区划|试验站|"
    r"管理站|管理处|办公室|工业区|矿区|保护区|苗圃|示范区|生活区|分部|经济.*区)$"
)
# XPCC division prefixes in unit names (兵团农十二师, 兵团第九师, 十二师); the XPCC detector reads these.
_XPCC_PREFIX = re.compile(r"^(?:新疆)?(?:兵团)?(?:(?:农|第)?[一二三四五六七八九十]{1,3}师)?")
_REGIMENT = re.compile(r"^[〇零一二三四五六七八九十]{2,4}团")

# Stems that name a kind of place, a direction or a slogan rather than one place: shared by townships in
# every province (城关镇 is "the town at the county seat"; 红旗, 胜利, 团结 are revolutionary names).
GENERIC_STEMS = frozenset(
    [
        "城关",
        "城区",
        "城郊",
        "城中",
        "城东",
        "城西",
        "城南",
        "城北",
        "东城",
        "西城",
        "南城",
        "北城",
        "新城",
        "老城",
        "古城",
        "郊区",
        "红旗",
        "胜利",
        "团结",
        "光明",
        "东风",
        "和平",
        "人民",
        "解放",
        "新华",
        "向阳",
        "前进",
        "幸福",
        "建设",
        "朝阳",
        "友谊",
        "红星",
        "红山",
        "红光",
        "迎宾",
        "共青团",
        "青年",
        "八一",
        "五一",
        "永安",
        "永宁",
        "永兴",
        "新兴",
        "兴安",
        "长安",
        "太平",
        "新地",
        "新村",
        "新市",
        "新民",
        "火车站",
        "天山",
        "工业",
        "良种",
        "园艺",
        "原种",
        "中心",
        "开发",
        "东湖",
        "西湖",
        "南湖",
        "北湖",
        "东门",
        "西门",
        "金山",
        "银河",
        "石油",
        "机场",
        "车站",
        "大同",
        "兴隆",
        "复兴",
        "民主",
        "民族",
        "先锋",
        "红卫",
        "东方红",
        "卫星",
        "跃进",
    ]
)
# Characters that are directions, sizes, colours, numbers and landforms: a two-character stem made only of
# these (东湾, 大河, 西山, 南湖, 三河) is a description that many places share.
GENERIC_CHARS = frozenset(
    "东西南北中上下前后左右新老大小红白黑青黄绿金银一二三四五六七八九十百千城关区镇乡村山河湖江沟泉湾滩桥坝井庄台堡园林场屯营"
)
_ROAD = re.compile(r"(路|街|大街|大道|巷)$")


@dataclass(frozen=True)
class Stem:
    """A township-level name split into its own part and the administrative kind its suffix says."""

    stem: str
    kind: str


def split_name(name: str) -> Stem:
    """The name's own part and its kind: 塔哈其镇 -> (塔哈其, town), 塔尔塔吉克民族乡 -> (塔尔, ethnic).

    Why strip the suffix: records write the same place as 镇, 乡 or nothing at all (and a 乡 becomes a 镇
    between two code lists), so matching and the ambiguity check both work on the stem. Units that are not
    settlements (parks, prisons, committees) and numbered XPCC regiments get an empty stem: the first are no
    place a record gives, the second are read by the XPCC detector.
    """
    name = name.strip().replace("（", "(").replace("）", ")")
    name = re.sub(r"\(.*?\)", "", name)
    if name.startswith(("兵团", "新疆兵团")) or re.match(r"^(?:农|第)?[一二三四五六七八九十]{1,3}师", name):
        rest = _XPCC_PREFIX.sub("", name, count=1)
        if _REGIMENT.match(rest) or not rest:
            return Stem("", "xpcc_regiment")
        farm = _FARM.match(rest)
        if farm:
            return Stem(farm.group(1), "xpcc_farm")
        if rest.endswith(
            "场"
        ):  # 红星二场, 养禽场: no own name to split off; 兵团 + the unit is the XPCC rule's
            return Stem("", "xpcc_farm")
        if rest.endswith("镇"):
            return Stem(rest[:-1], "xpcc_town")
        return Stem("", "other")
    if _REGIMENT.match(name):
        return Stem("", "xpcc_regiment")
    for suffix, kind in (("街道办事处", "subdistrict"), ("街道", "subdistrict"), ("办事处", "subdistrict")):
        if name.endswith(suffix):
            return Stem(name[: -len(suffix)], kind)
    ethnic = _ETHNIC.match(name)
    if ethnic:
        return Stem(ethnic.group(1), "town" if ethnic.group(2) == "镇" else "ethnic_township")
    if name.endswith("苏木"):
        return Stem(name[:-2], "sumu")
    if _OTHER.search(name):
        return Stem("", "other")
    farm = _FARM.match(name)
    if farm:
        return Stem(farm.group(1), "farm")
    if name.endswith("镇"):
        return Stem(name[:-1], "town")
    if name.endswith("乡"):
        return Stem(name[:-1], "township")
    return Stem("", "other")


def read_streets(text: str) -> list[dict[str, str]]:
    """Rows of a `streets.csv` export; a missing column is an error naming it, not a silently empty file."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    for column in ("code", "name", "areaCode", "provinceCode"):
        if column not in header:
            raise ValueError(f"streets.csv: column {column!r} missing from the header {header}")
    rows = []
    for rownum, row in enumerate(reader, start=2):
        code = (row.get("code") or "").strip()
        if not re.fullmatch(r"\d{9}", code) or not (row.get("name") or "").strip():
            raise ValueError(f"streets.csv, row {rownum}: {code!r} is not a 9-digit code with a name")
        rows.append(row)
    return rows


def sample_rows(text: str, offsets: Iterable[int]) -> list[dict[str, str]]:
    """Non-XUAR rows lying wholly inside the 16,000-character chunks read at `offsets`: the sourced sample."""
    out: dict[str, dict[str, str]] = {}
    for offset in offsets:
        chunk = text[offset : offset + CHUNK]
        lines = chunk.split("\n")
        if offset > 0 and text[offset - 1] != "\n":
            lines = lines[1:]  # the first line began before the chunk
        if offset + CHUNK < len(text):
            lines = lines[:-1]  # the last line runs past it
        for row in csv.reader(lines):
            if len(row) < 4 or not re.fullmatch(r"\d{9}", row[0]) or row[3] == "65":
                continue
            out[row[0]] = {
                "code": row[0],
                "name": row[1],
                "stem": split_name(row[1]).stem,
                "province_code": row[3],
                "source": f"{SOURCE_URL} (chunk at offset {offset})",
            }
    return [out[code] for code in sorted(out)]


def _context_names() -> set[str]:
    names: set[str] = set()
    for row in csv.DictReader(io.StringIO(CONTEXT_FILE.read_text(encoding="utf-8"))):
        names.update(n for n in row["name_zh"].split("|") if n)
    return names


def ambiguity_reasons(
    stem: str,
    pinyin_plain: str,
    syllables: int,
    sample_stems: set[str],
    sample_pinyin: set[str],
    context: set[str],
) -> tuple[list[str], list[str]]:
    """Why a stem (Chinese) and its pinyin are not evidence of the XUAR on their own.

    Chinese: one character; a generic stem (GENERIC_STEMS) or two generic characters (东湾, 大河); a stem
    ending in 路/街 (a subdistrict named after its road, which every city has); the stem of a township in
    the other-province sample; the name of a province or city elsewhere (xuar_context_places.csv). Pinyin:
    any of those, or two syllables or fewer (homophones are everywhere), or the pinyin of a sampled name or
    of a place elsewhere.
    """
    zh: list[str] = []
    if len(stem) < 2:
        zh.append("one character")
    if stem in GENERIC_STEMS:
        zh.append("generic stem")
    elif len(stem) == 2 and all(ch in GENERIC_CHARS for ch in stem):
        zh.append("generic characters")
    if _ROAD.search(stem):
        zh.append("named after a road")
    if stem in sample_stems:
        zh.append("same name in another province (sample)")
    if stem in context:
        zh.append("name of a province or city elsewhere")
    py = list(zh)
    if syllables <= 2:
        py.append("pinyin of two syllables or fewer")
    if pinyin_plain in sample_pinyin:
        py.append("same pinyin as a name in another province (sample)")
    return zh, py


def build_rows(streets_text: str, sample: list[dict[str, str]]) -> list[dict[str, str]]:
    """One row per province-65 township-level unit: stem, kind, pinyin, traditional form, ambiguity."""
    import opencc  # type: ignore[import-untyped]  # development-time dependency

    to_hant = opencc.OpenCC("s2t")
    context = _context_names()
    sample_stems = {r["stem"] for r in sample if r["stem"]}
    sample_pinyin = {_pinyin(s)[1].casefold() for s in sample_stems}
    context_pinyin = {
        _pinyin(re.sub(r"(省|市|自治区|自治州|地区|盟)$", "", n))[1].casefold() for n in context
    }
    rows = []
    for row in read_streets(streets_text):
        if row["provinceCode"].strip() != "65":
            continue
        name = row["name"].strip()
        split = split_name(name)
        toned = plain = spaced = ""
        zh_reasons: list[str] = []
        py_reasons: list[str] = []
        if split.stem:
            toned, plain, spaced = _pinyin(split.stem)
            zh_reasons, py_reasons = ambiguity_reasons(
                split.stem,
                plain.casefold(),
                len(spaced.split()),
                sample_stems,
                sample_pinyin | context_pinyin,
                context,
            )
        rows.append(
            {
                "code": row["code"].strip(),
                "county_code": row["areaCode"].strip(),
                "name_zh": name,
                "stem_zh": split.stem,
                "kind": split.kind,
                "name_zh_hant": _hant(to_hant, name),
                "stem_zh_hant": _hant(to_hant, split.stem) if split.stem else "",
                "pinyin_tones": toned,
                "pinyin": plain,
                "pinyin_spaced": spaced,
                "ambiguous_in_china": "true" if zh_reasons or not split.stem else "false",
                "ambiguous_pinyin": "true" if py_reasons or not split.stem else "false",
                "ambiguity_reasons": "; ".join(dict.fromkeys(py_reasons)),
                "source": SOURCE_URL,
            }
        )
    if not rows:
        raise ValueError("streets.csv has no province-65 rows")
    return rows


def _write(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _update_meta(path: Path, **values: object) -> None:
    meta_path = path.with_suffix(".meta.json")
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    meta.update(values)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    """Rewrite the township file (and, with --sample, the sample) from a streets.csv export."""
    if len(argv) < 2:
        raise SystemExit("usage: python -m loaders.township_build STREETS_CSV [--sample OFFSET,...]")
    text = Path(argv[1]).read_text(encoding="utf-8")
    if "--sample" in argv:
        offsets = [int(x) for x in argv[argv.index("--sample") + 1].split(",")]
        sample = sample_rows(text, offsets)
        _write(SAMPLE_FILE, SAMPLE_COLUMNS, sample)
        provinces: dict[str, int] = {}
        for r in sample:
            provinces[r["province_code"]] = provinces.get(r["province_code"], 0) + 1
        _update_meta(SAMPLE_FILE, rows=len(sample), chunk_offsets=offsets, rows_per_province=provinces)
        print(f"wrote {len(sample)} sample rows to {SAMPLE_FILE}")
    sample = list(csv.DictReader(io.StringIO(SAMPLE_FILE.read_text(encoding="utf-8"))))
    rows = build_rows(text, sample)
    _write(TOWNSHIPS_FILE, COLUMNS, rows)
    kinds: dict[str, int] = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    usable = [r for r in rows if r["stem_zh"]]
    _update_meta(
        TOWNSHIPS_FILE,
        rows=len(rows),
        rows_per_kind=kinds,
        matchable=len(usable),
        unambiguous_in_china=sum(r["ambiguous_in_china"] == "false" for r in usable),
        unambiguous_pinyin=sum(r["ambiguous_pinyin"] == "false" for r in usable),
    )
    print(f"wrote {len(rows)} townships to {TOWNSHIPS_FILE}")


if __name__ == "__main__":
    main(sys.argv)
