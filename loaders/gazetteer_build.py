# ruff: noqa: E501  (the curated table below is data: one place per line)
"""Regenerate `xuar_gazetteer.csv` from the official division-code list plus the curated names below.

Why a build step: the division codes and Chinese names come from GB/T 2260 (as republished by the
`china-division` package, modood/Administrative-divisions-of-China, in its `code,name,parent` form) and
change when the State Council approves a re-division (Turpan 2015, Hami 2016, Kuqa 2019, Shawan 2021, new
XPCC cities 2019-2023). Pinyin and traditional characters are derived mechanically; English names, Uyghur
romanisations, historic codes and ambiguity flags are curated here, by hand, because no official list has
them. Running this script after replacing `xuar_divisions_gbt2260.csv` with a newer extract rewrites the
gazetteer; a code missing from the curated table is an error so a new division is never silently unnamed.

Usage: ``python -m loaders.gazetteer_build [divisions.csv] [out.csv] [china-division dist/ dir]`` (needs `pypinyin` and
`opencc-python-reimplemented`, both development-time dependencies only).
"""

from __future__ import annotations

import csv
import io
import re
import sys
import unicodedata
from pathlib import Path

from loaders.gazetteer import COLUMNS, DATA_DIR, GAZETTEER_FILE

DIVISIONS_FILE = DATA_DIR / "xuar_divisions_gbt2260.csv"
CONTEXT_FILE = DATA_DIR / "xuar_context_places.csv"


# Suffixes stripped to get the short (everyday) name, longest first.
_SUFFIXES = (
    "维吾尔自治区",
    "自治区直辖县级行政区划",
    "柯尔克孜自治州",
    "哈萨克自治州",
    "蒙古自治州",
    "回族自治州",
    "哈萨克自治县",
    "塔吉克自治县",
    "锡伯自治县",
    "蒙古自治县",
    "回族自治县",
    "地区",
    "市",
    "县",
    "区",
)

# Traditional forms OpenCC over-converts (干 in a transliteration is not 幹; 岳普湖 keeps 岳).
_HANT_FIXES = {"幹": "干", "嶽": "岳"}

# Readings pypinyin gets wrong in these names (polyphones): character -> toned syllable.
_READINGS = {"什": "shí", "勒": "lè", "伽": "jiā", "干": "gān", "子": "zǐ", "莎": "shā"}

#: code | English | Latin variants (comma-separated) | ambiguous in China | ambiguous abroad | historic codes
#: | note.  "Ambiguous in China": the short name is also a common word or another Chinese place (so it
#: only counts with corroboration); "abroad": the name is also a place outside China.
CURATED = """
650000|Xinjiang Uyghur Autonomous Region|Xinjiang,Xinjiang Uyghur Autonomous Region,Xinjiang Uygur Autonomous Region,Xinjiang Uighur Autonomous Region,XUAR,Sinkiang,Shinjang,Xinjiang Province,East Turkestan,East Turkistan||||GB/T 2260 code 65; ISO 3166-2 CN-XJ (formerly CN-65)
650100|Urumqi|Urumqi,Ürümqi,Urumchi,Urumtsi,Tihwa,Dihua,Wulumuqi City||||
650102|Tianshan District, Urumqi|Tianshan District|天山,Tianshan|||
650103|Saybagh District, Urumqi|Saybagh,Shayibake,Shayibuke||||
650104|Xinshi District, Urumqi|Xinshi District|新市,Xinshi|||
650105|Shuimogou District, Urumqi|Shuimogou|水磨沟|||
650106|Toutunhe District, Urumqi|Toutunhe||||
650107|Dabancheng District, Urumqi|Dabancheng,Dawanching||||
650109|Midong District, Urumqi|Midong,Miquan|||650108:2007 (Dongshan District merged);652303:2007 (Miquan city merged)|
650121|Urumqi County|Urumqi County,Wulumuqi County||||
650200|Karamay|Karamay,Qaramay,Kelamayi||||
650202|Dushanzi District, Karamay|Dushanzi,Maytag||||
650203|Karamay District|Karamay District||||
650204|Baijiantan District, Karamay|Baijiantan||||
650205|Urho District, Karamay|Urho,Orku,Wuerhe||||
650400|Turpan|Turpan,Turfan,Tulufan|||652100:2015 (Turpan Prefecture became a prefecture-level city)|
650402|Gaochang District, Turpan|Gaochang District,Qocho,Karakhoja|高昌,Gaochang||652101:2015 (Turpan county-level city)|
650421|Shanshan County|Pichan,Piqan,Shanshan County|Shanshan||652122:2015|"Shanshan" is also a Zhejiang apparel brand (杉杉, different characters)
650422|Toksun County|Toksun,Tuokexun|||652123:2015|
650500|Hami|Hami,Kumul,Qumul|||652200:2016 (Hami Prefecture became a prefecture-level city)|哈密瓜 (Hami melon) is a product name
650502|Yizhou District, Hami|Yizhou District|伊州,Yizhou||652201:2016 (Hami county-level city)|Yizhou is also 宜州 in Guangxi
650521|Barkol Kazakh Autonomous County|Barkol,Barkul,Balikun|||652222:2016|
650522|Yiwu County, Hami|Aratürük,Araturuk,Yiwu County Hami|Yiwu||652223:2016|Yiwu is also 义乌, Zhejiang (pinyin homograph)
652300|Changji Hui Autonomous Prefecture|Changji,Sanji,Changji Prefecture,Zhundong||||
652301|Changji City|Changji City||||
652302|Fukang|Fukang||||
652323|Hutubi County|Hutubi,Kutubi||||
652324|Manas County|Manas County|Manas|Manas||Manas is also Manas airport/district in Kyrgyzstan
652325|Qitai County|Qitai,Guchung||||
652327|Jimsar County|Jimsar,Jimusaer||||
652328|Mori Kazakh Autonomous County|Mori Kazakh,Mulei,Mori County|Mori|Mori||Mori is a Japanese surname
652700|Bortala Mongol Autonomous Prefecture|Bortala,Boertala,Bo'ertala,Bortala Prefecture||||
652701|Bole|Bole City,Bortala City|Bole|||
652702|Alashankou|Alashankou,Alataw Pass,Alatau Pass||||
652722|Jinghe County|Jinghe County,Jing County|精河,Jinghe|||Jinghe is also 泾河 (Shaanxi)
652723|Wenquan County|Arixang,Wenquan County|温泉,Wenquan|||温泉 means hot spring
652800|Bayingolin Mongol Autonomous Prefecture|Bayingolin,Bayingol,Bayinguoleng,Bayin'guoleng,Bazhou|巴州|||巴州 is also a district of Bazhong, Sichuan
652801|Korla|Korla,Kuerle||||
652822|Luntai County|Bugur,Luntai||||
652823|Yuli County|Lopnur,Yuli County|尉犁,Yuli|||Yuli is also 玉里 (Taiwan)
652824|Ruoqiang County|Charkliq,Qakilik,Ruoqiang||||
652825|Qiemo County|Qarqan,Cherchen,Qiemo||||
652826|Yanqi Hui Autonomous County|Karashahr,Qarasheher,Yanqi||||
652827|Hejing County|Hejing|Hejing|||
652828|Hoxud County|Hoxud,Heshuo|和硕,Heshuo|||和硕 is also Pegatron's Chinese name
652829|Bohu County|Bagrax,Bohu||||
652900|Aksu Prefecture|Aksu,Akesu,Aqsu,Aksu Prefecture||Aksu,Aqsu||Aksu is also a town in Kazakhstan and a district in Turkey
652901|Aksu City|Aksu City||Aksu City||
652902|Kuqa|Kuqa,Kucha,Kuche,Kuqa City|库车||652923:2019 (Kuqa County became a county-level city)|库车 also appears inside 仓库车间 (warehouse workshop)
652922|Wensu County|Onsu,Wensu||||
652924|Xayar County|Xayar,Shayar,Shaya||||
652925|Xinhe County|Toksu,Xinhe County|新和,Xinhe|||新和 also appears in company names (新和成); Xinhe is also 新河 (Hebei)
652926|Baicheng County|Bay County,Baicheng County|Baicheng|||Baicheng is also 白城 (Jilin, pinyin homograph)
652927|Uqturpan County|Uchturpan,Uqturpan,Wushi County|Wushi|||
652928|Awat County|Awat,Awati||||
652929|Kalpin County|Kalpin,Keping|Keping|||
653000|Kizilsu Kyrgyz Autonomous Prefecture|Kizilsu,Kezilesu,Qizilsu||||
653001|Artux|Artux,Artush,Atushi||||
653022|Akto County|Akto,Aketao||||
653023|Akqi County|Akqi,Aheqi||||
653024|Ulugqat County|Ulugqat,Wuqia||||
653100|Kashgar Prefecture|Kashgar,Kashi,Qeshqer,Kaxgar||||
653101|Kashgar City|Kashgar City,Kashi City||||
653121|Shufu County|Shufu,Kona Xahar||||
653122|Shule County|Shule,Yengixahar||||
653123|Yengisar County|Yengisar,Yangi Hissar,Yingjisha||||
653124|Poskam County|Poskam,Zepu||||
653125|Yarkant County|Yarkant,Yarkand,Shache||||
653126|Kargilik County|Kargilik,Karghalik,Yecheng County|Yecheng|||
653127|Makit County|Makit,Maigaiti||||
653128|Yopurga County|Yopurga,Yuepuhu||||
653129|Peyziwat County|Peyziwat,Payzawat,Jiashi||||
653130|Maralbexi County|Maralbexi,Maralbashi,Bachu||||
653131|Taxkorgan Tajik Autonomous County|Taxkorgan,Tashkurgan,Tashkorgan||||
653200|Hotan Prefecture|Hotan,Khotan,Hetian,Xoten,Hotan Prefecture||和田||和田 is also the Japanese surname/place name Wada
653201|Hotan City|Hotan City,Hetian City||||
653221|Hotan County|Hotan County,Hetian County||||
653222|Karakax County|Karakax,Qaraqash,Moyu County|墨玉,Moyu|||墨玉 is also a word (black jade)
653223|Guma County|Guma,Pishan||||
653224|Lop County|Lop County,Luopu|洛浦,Luopu|||洛浦 is also a subdistrict of Panyu, Guangzhou
653225|Qira County|Qira,Chira,Cele||||
653226|Keriya County|Keriya,Yutian County|于田,Yutian|||于田 appears inside 位于田...; Yutian is also 玉田 (Hebei)
653227|Niya County|Niya,Minfeng|民丰,Minfeng|||
654000|Ili Kazakh Autonomous Prefecture|Ili,Yili,Ili Prefecture,Ili Kazakh||Ili||Ili is also a district and river in Kazakhstan
654002|Yining City|Ghulja,Gulja,Kulja,Yining||||
654003|Kuitun|Kuitun,Kuytun||||
654004|Khorgas|Horgos,Khorgas,Huoerguosi||Horgos,Khorgos,Khorgas||Khorgos is also the Kazakh town across the border
654021|Yining County|Yining County,Ghulja County||||
654022|Qapqal Xibe Autonomous County|Qapqal,Chabuchaer,Chapchal||||
654023|Huocheng County|Huocheng,Korgas County||||
654024|Tokkuztara County|Tokkuztara,Gongliu||||
654025|Künes County|Kunes,Künes,Xinyuan County|新源,Xinyuan|||
654026|Mongolküre County|Mongolkure,Zhaosu||||
654027|Tekes County|Tekes County|Tekes|Tekes||Tekes is also a village in Kazakhstan
654028|Nilka County|Nilka,Nileke||||
654200|Tacheng Prefecture|Tacheng,Chuguchak,Qoqek,Tarbagatay,Chöchek||||
654201|Tacheng City|Tacheng City,Chuguchak City||||
654202|Wusu|Wusu,Shikho||||
654203|Shawan|Shawan City|沙湾,Shawan||654223:2021 (Shawan County became a county-level city)|沙湾 is also a district of Leshan, Sichuan
654221|Dorbiljin County|Dorbiljin,Emin County|Emin|||
654224|Toli County|Toli County,Tuoli|托里,Toli|||
654225|Yumin County|Chaghantokay,Yumin County|裕民,Yumin|||
654226|Hoboksar Mongol Autonomous County|Hoboksar,Hebukesaier,Hefeng||||
654300|Altay Prefecture|Altay,Aletai,Altai,Altay Prefecture||Altay,Altai||Altay is also a Russian republic/krai and a Mongolian city
654301|Altay City|Altay City||Altay City||
654321|Burqin County|Burqin,Buerjin||||
654322|Koktokay County|Koktokay,Fuyun|Fuyun|||
654323|Burultokay County|Burultokay,Fuhai|福海,Fuhai|||福海 is also a subdistrict of Bao'an, Shenzhen
654324|Kaba County|Kaba County,Habahe||||
654325|Qinggil County|Qinggil,Qinghe County|青河,Qinghe|||Qinghe is also 清河 (Hebei; Beijing)
654326|Jeminay County|Jeminay,Jimunai||||
659001|Shihezi|Shihezi||||XPCC 8th Division seat
659002|Aral|Alar,Alaer,Aral City|Aral|Aral||Aral is also a city in Kazakhstan and the Aral Sea; XPCC 1st Division seat
659003|Tumxuk|Tumxuk,Tumushuke||||XPCC 3rd Division seat
659004|Wujiaqu|Wujiaqu||||XPCC 6th Division seat
659005|Beitun|Beitun City|北屯,Beitun|||北屯 is also a district of Taichung, Taiwan; XPCC 10th Division seat
659006|Tiemenguan|Tiemenguan,Temirqowuq||||XPCC 2nd Division seat
659007|Shuanghe|Shuanghe City|双河,Shuanghe|||XPCC 5th Division seat
659008|Kokdala|Kokdala,Kekedala,Khorgas XPCC||||XPCC 4th Division seat
659009|Kunyu|Kunyu City,Qarayulghun|昆玉,Kunyu|||XPCC 14th Division seat
659010|Huyanghe|Huyanghe||||XPCC 7th Division seat
659011|Xinxing|Xinxing City|新星,Xinxing|||Xinxing is also 新兴 (Guangdong); XPCC 13th Division seat
659012|Baiyang|Baiyang City|白杨,Baiyang|||白杨 (poplar) is a common word; XPCC 9th Division seat
"""


def _curated() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for line in CURATED.strip().splitlines():
        parts = line.split("|")
        parts += [""] * (7 - len(parts))
        table[parts[0]] = parts[1:7]
    return table


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _pinyin(short: str) -> tuple[str, str, str]:
    """Toned (with syllable apostrophes), toneless and syllable-spaced pinyin of a short name."""
    from pypinyin import Style, pinyin  # development-time dependency

    syllables = []
    for ch, reading in zip(short, pinyin(short, style=Style.TONE, heteronym=False), strict=True):
        syllables.append(_READINGS.get(ch, reading[0]))
    if short.endswith("子") and len(short) > 1:
        syllables[-1] = "zǐ"
    toned = syllables[0]
    for syl in syllables[1:]:
        bare = _strip_tones(syl)
        toned += ("'" if bare[:1] in ("a", "o", "e") else "") + syl
    plain = [_strip_tones(s) for s in syllables]
    return toned.capitalize(), "".join(plain).capitalize(), " ".join(p.capitalize() for p in plain)


def _strip_tones(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _hant(converter: object, text: str) -> str:
    converted = str(converter.convert(text))  # type: ignore[attr-defined]
    return "".join(_HANT_FIXES.get(ch, ch) for ch in converted)


def _level(code: str) -> str:
    if code == "650000":
        return "region"
    if code.startswith("6590"):
        return "xpcc_city"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def build_rows(divisions_csv: str) -> list[dict[str, str]]:
    """Rows of the gazetteer from a `code,name,parent_code` division list (GB/T 2260, province 65)."""
    import opencc  # type: ignore[import-untyped]  # development-time dependency

    to_hant = opencc.OpenCC("s2t")
    curated = _curated()
    rows: list[dict[str, str]] = []
    for div in csv.DictReader(io.StringIO(divisions_csv)):
        code, name = div["code"].strip(), div["name"].strip()
        if code == "659000":
            continue  # "county-level divisions directly under the region": a grouping, not a place
        if code not in curated:
            raise ValueError(f"division {code} {name} has no curated English name: add it to CURATED")
        name_en, variants, amb_cn, amb_abroad, historic, note = curated[code]
        if (historic and not historic[:6].isdigit()) or note[:6].isdigit():
            raise ValueError(f"curated row {code}: historic codes and note are in the wrong columns")
        short = _short(name)
        toned, plain, spaced = _pinyin(short)
        rows.append(
            {
                "division_code": code,
                "parent_code": div["parent_code"].strip() or "",
                "level": _level(code),
                "name_en": name_en,
                "name_zh": name,
                "name_zh_hant": _hant(to_hant, name),
                "short_zh": short,
                "short_zh_hant": _hant(to_hant, short),
                "pinyin_tones": toned,
                "pinyin": plain,
                "pinyin_spaced": spaced,
                "latin_variants": "|".join(v.strip() for v in variants.split(",") if v.strip()),
                "historic_codes": historic,
                "ambiguous": "true" if (amb_cn or amb_abroad) else "false",
                "ambiguous_in_china": "|".join(v.strip() for v in amb_cn.split(",") if v.strip()),
                "ambiguous_abroad": "|".join(v.strip() for v in amb_abroad.split(",") if v.strip()),
                "note": note,
            }
        )
    missing = set(curated) - {r["division_code"] for r in rows}
    if missing:
        raise ValueError(f"curated codes absent from the division list: {sorted(missing)}")
    return rows


def main(argv: list[str]) -> None:
    """Rewrite the gazetteer CSV (the meta file's date and source are edited by hand with the extract)."""
    src = Path(argv[1]) if len(argv) > 1 else DIVISIONS_FILE
    out = Path(argv[2]) if len(argv) > 2 else GAZETTEER_FILE
    rows = build_rows(src.read_text(encoding="utf-8-sig"))
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} places to {out}")
    if len(argv) > 3:  # a china-division dist/ directory: also rewrite the other-China context places
        dist = Path(argv[3])
        context = build_context_rows(
            (dist / "provinces.csv").read_text(encoding="utf-8"),
            (dist / "cities.csv").read_text(encoding="utf-8"),
        )
        with CONTEXT_FILE.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(
                fh, fieldnames=("code", "province_code", "name_zh", "latin"), lineterminator="\n"
            )
            writer.writeheader()
            writer.writerows(context)
        print(f"wrote {len(context)} context places to {CONTEXT_FILE}")


#: Places outside the XUAR that addresses name as their province or city; extra neighbours (Gansu, Qinghai,
#: Tibet, Inner Mongolia border towns) and pinyin homographs of XUAR names, curated.
CONTEXT_EXTRA = """
Golmud,格尔木,630000
Delingha,德令哈,630000
Mangnai,茫崖,630000
Dunhuang,敦煌,620000
Yumen,玉门,620000
Guazhou,瓜州,620000
Subei,肃北,620000
Aksay Kazakh,阿克塞,620000
Jiayuguan,嘉峪关,620000
Ejin,额济纳,150000
Lhasa,拉萨,540000
Shigatse,日喀则,540000
Ngari,阿里地区,540000
Shiquanhe,狮泉河,540000
Yiwu Zhejiang,义乌,330000
Hong Kong,香港,810000
Macau,澳门,820000
Macao,澳門,820000
Taiwan,台湾,710000
Inner Mongolia,内蒙古,150000
Tibet,西藏,540000
Canton,广州,440000
Peking,北京,110000
Tsingtao,青岛,370000
"""
_CONTEXT_SUFFIX = re.compile(r"^(.{2,}?)(?:(?:[^族]{1,4}族)+)?(?:自治州|自治区|自治县|地区|省|市|盟)$")
_STOP_LATIN = {"ali", "hong", "an"}


def build_context_rows(provinces_csv: str, cities_csv: str) -> list[dict[str, str]]:
    """Other Chinese provinces and prefecture-level cities, for "this address is elsewhere in China"."""
    from pypinyin import lazy_pinyin  # development-time dependency

    rows: list[dict[str, str]] = []

    def add(code: str, name: str, province: str, latin: list[str]) -> None:
        m = _CONTEXT_SUFFIX.match(name)
        short = m.group(1) if m else name
        plain = {"陕西": "Shaanxi"}.get(short) or "".join(lazy_pinyin(short)).capitalize()
        names = [name] if short == name else [name, short]
        latin_names = [n for n in [plain, *latin] if n.casefold() not in _STOP_LATIN and len(n) > 3]
        rows.append(
            {
                "code": code,
                "province_code": province,
                "name_zh": "|".join(names),
                "latin": "|".join(dict.fromkeys(latin_names)),
            }
        )

    for prov in csv.DictReader(io.StringIO(provinces_csv)):
        if prov["code"] != "65":
            add(prov["code"] + "0000", prov["name"], prov["code"] + "0000", [])
    for city in csv.DictReader(io.StringIO(cities_csv)):
        skip = city["name"] in ("市辖区", "县") or "直辖" in city["name"]
        if city["provinceCode"] != "65" and not skip:
            add(city["code"] + "00", city["name"], city["provinceCode"] + "0000", [])
    for line in CONTEXT_EXTRA.strip().splitlines():
        latin, zh, province = line.split(",")
        rows.append({"code": "", "province_code": province, "name_zh": zh, "latin": latin})
    return rows


if __name__ == "__main__":
    main(sys.argv)
