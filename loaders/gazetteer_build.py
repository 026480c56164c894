# ruff: noqa: E501  (the curated table below is data: one place per line)
"""Regenerate `xuar_gazetteer.csv` from the official division-code list plus the curated names below.

Why a build step: the division codes and Chinese names come from GB/T 2260 (as republished by the
`china-division` package, modood/Administrative-divisions-of-China, in its `code,name,parent` form) and
change when the State Council approves a re-division (Turpan 2015, Hami 2016, Kuqa 2019, Shawan 2021, new
XPCC cities 2019-2023). Pinyin and traditional characters are derived mechanically; English names, Uyghur
romanisations, historic codes and ambiguity flags are curated here, by hand, because no official list has
them. Running this script after replacing `xuar_divisions_gbt2260.csv` with a newer extract rewrites the
gazetteer; a code missing from the curated table is an error so a new division is never silently unnamed.

Names in the region's other languages (Uyghur in Arabic and Latin script, Kazakh, Kyrgyz, Russian) come from
`LOCAL_NAMES`, one row per name with the URL of the page it was read from; the build writes them to the
`local_names` column and every source to the sidecar's `name_sources`. A Uyghur Arabic-script name also yields
its Uyghur Latin (ULY) spelling mechanically (`uly_from_arabic`), because the two scripts map letter for letter
and ULY is what Latin-script records use ("Yopurgha", "Kona Sheher").

Usage: ``python -m loaders.gazetteer_build [divisions.csv] [out.csv] [china-division dist/ dir]`` (needs `pypinyin` and
`opencc-python-reimplemented`, both development-time dependencies only).
"""

from __future__ import annotations

import csv
import io
import json
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


#: code | language | name | flag | source URL | evidence (a quote from the source, pipes replaced by "/").
#: Language: ug-Arab (Uyghur Arabic script, UEY), ug-Latn (Uyghur Latin), kk / kk-Arab / kk-Latn (Kazakh),
#: ky (Kyrgyz), ru (Russian), zh (a Chinese abbreviation). Flag: "" (the name identifies the place),
#: "abroad" (also a place outside China: counts only with country CN), "weak" (also something else in China).
#: Every row was read from its source page; a name the sources did not show is not here (see the sidecar).
LOCAL_NAMES = """
650000|kk|Шыңжаң||https://kaz.inform.kz/news/kulzha-nesmen-tartimdi-kandastardin-konakzhayligi-turisterd-tant-ett-39c8c5/|Қытайдың Шыңжаң-Ұйғыр автономиялық ауданына қарасты
650000|ky|Шинжаң||https://ky.wikipedia.org/wiki/Синьцзян-Уйгур_автономиялуу_району|Шинжаң-Уйгур автоном району (ШУАР) ... кыскача, Шинжаң
650000|ru|Синьцзян||https://hmong.ru/wiki/Shufu|Округ Шуфу ... — округ в префектуре Кашгар , Синьцзян-Уйгурский автономный район , Китай
650000|ug-Arab|شىنجاڭ||https://ky.wikipedia.org/wiki/Синьцзян-Уйгур_автономиялуу_району|уйг. شىنجاڭ ئۇيغۇر ئاپتونوم رايونى, кыт. 新疆维吾尔自治区
650000|ug-Latn|Xinjang||https://mirror.wmcloud.org/other/static_html_dumps/September_2007/lt/wikipedia-lt-html.7z|Sindziangas (uig.: شىنجاڭ (Xinjang); kinų k.: 新疆)
650100|kk|Үрімжі||https://nl.m.wikipedia.org/wiki/%C3%9Cr%C3%BCmchi|Naamgeving ... Kazachs Үрімжі / Russisch Урумчи́ / Andere benamingen Urumchi, Wulumuchi
650100|ru|Урумчи||https://nl.m.wikipedia.org/wiki/%C3%9Cr%C3%BCmchi|Russisch Урумчи́ (stress mark dropped by folding)
650100|ug-Arab|ئۈرۈمچى||https://www.primidi.com/xinjiang/subdivisions|ئۈرۈمچى شەھرى Ürümchi Shehri
650100|zh|乌市|weak|https://hanciba.com/cidian/ci_乌鲁木齐.html|乌鲁木齐,通称“乌市”,旧称迪化
650103|ug-Arab|سايباغ||https://db0nus869y26v.cloudfront.net/en/List_of_administrative_divisions_of_Xinjiang|Saybag District سايباغ رايونى Saybagh Rayoni 650103
650103|ug-Latn|Saybagh||https://en.wikipedia.org/wiki/List_of_administrative_divisions_of_Xinjiang|Saybag District / / Saybagh Rayoni / Saybag Rayoni / 沙依巴克区 / 650103
650104|ug-Arab|يېڭىشەھەر||https://db0nus869y26v.cloudfront.net/en/List_of_administrative_divisions_of_Xinjiang|Xinshi District يېڭىشەھەر رايونى Yëngishahar Rayoni 650104
650104|ug-Latn|Yëngisheher||https://en.wikipedia.org/wiki/List_of_administrative_divisions_of_Xinjiang|Xinshi District / / Yëngisheher Rayoni / Yengixahar Rayoni / 新市区 / 650104
650105|ug-Arab|بۇلاقتاغ||https://db0nus869y26v.cloudfront.net/en/List_of_administrative_divisions_of_Xinjiang|Shuimogou District بۇلاقتاغ رايونى Bulaqtagh Rayoni 650105
650105|ug-Latn|Bulaqtagh||https://en.wikipedia.org/wiki/List_of_administrative_divisions_of_Xinjiang|Shuimogou District / / Bulaqtagh Rayoni / Bulaktag Rayoni / 水磨沟区 / 650105
650106|ug-Arab|تۇدۇڭخابا||https://db0nus869y26v.cloudfront.net/en/List_of_administrative_divisions_of_Xinjiang|Toutunhe District تۇدۇڭخابا رايونى Tudungxaba Rayoni 650106
650106|ug-Latn|Tudungxaba||https://en.wikipedia.org/wiki/List_of_administrative_divisions_of_Xinjiang|Toutunhe District / / Tudungxaba Rayoni / Tudunghaba Rayoni / 头屯河区 / 650106
650107|ug-Arab|داۋانچىڭ||https://db0nus869y26v.cloudfront.net/en/List_of_administrative_divisions_of_Xinjiang|Dabancheng District داۋانچىڭ رايونى Dabancheng Rayoni 650107
650121|ug-Latn|Ürümchi Nahiyisi||https://en.wikipedia.org/wiki/List_of_administrative_divisions_of_Xinjiang|Ürümqi County / / Ürümchi Nahiyisi / Ürümqi Nahiyisi / 乌鲁木齐县 / 650121
650200|ug-Arab|قاراماي||https://www.primidi.com/xinjiang/subdivisions|قاراماي شەھرى
650202|ug-Arab|مايتاغ||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Dushanzi District مايتاغ رايونى
650202|ug-Latn|Maytağ||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Dushanzi District 独山子 区 Dúshānzǐ Qū مايتاغ رايونى Maytağ Rayoni (Turkish-alphabet ğ = gh)
650204|ug-Arab|جەرەنبۇلاق||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Baijiantan District 白碱滩区 جەرەنبۇلاق رايونى Cerenbulak Rayoni
650205|ug-Arab|ئورقۇ||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Urho District 乌尔禾 区 ئورقۇ رايونى Orku Rayoni
650400|ug-Arab|تۇرپان||https://www.primidi.com/xinjiang/subdivisions|9 Turpan Turpan تۇرپان ۋىلايىتى Turpan Wilayiti
650500|ug-Arab|قۇمۇل||https://www.primidi.com/xinjiang/subdivisions|قۇمۇل ۋىلايىتى
652700|zh|博州|weak|https://gudianfeng.com/new/zs6182349.html|博尔塔拉蒙古自治州(简称:博州),隶属新疆维吾尔自治区 ... 下辖地区有:博乐市、阿拉山口市、精河县、温泉县
652824|ug-Arab|چاقىلىق||https://en.wikipedia.org/wiki/Ruoqiang_County|transliterated from Uyghur as Qakilik County (چاقىلىق ناھىيىسى; )
652824|ug-Latn|Charkhlik||https://wonilvalve.com/index.php?q=Https%3A%2F%2Fen.m.wikipedia.org%2Fwiki%2FRuoqiang_County|若羌县 (Chinese) چاقىلىق ناھىيىسى (Uyghur) Qakilik, Charkhlik, Chochiang
652824|ug-Latn|Qakilik||https://wonilvalve.com/index.php?q=Https%3A%2F%2Fen.m.wikipedia.org%2Fwiki%2FRuoqiang_County|Qakilik, Charkhlik, Chochiang
652824|ug-Latn|Chaqiliq||https://en-academic.com/dic.nsf/enwiki/3517174|historically known as Charkliq, Chaqiliq, or Qakilik, Uyghur: چاقىلىق ناھىيىسى
652900|ug-Arab|ئاقسۇ|abroad|https://www.primidi.com/xinjiang/subdivisions|ئاقسۇ ۋىلايىتى
652902|ug-Arab|كۇچار||https://de.wikial.top/wiki/Kuqa,_Xinjiang|Kuqa كۇچار شەھىرى 库车市 Kuchar, Kucha, Kuche
652902|ug-Latn|Kuchar||https://de.wikial.top/wiki/Kuqa,_Xinjiang|Kuqa كۇچار شەھىرى 库车市 Kuchar, Kucha, Kuche
652924|ug-Arab|شايار||http://ug.wikipedia.org/wiki/%D8%B4%D8%A7%D9%8A%D8%A7%D8%B1%20%D9%86%D8%A7%DA%BE%D9%89%D9%8A%D9%89%D8%B3%D9%89|شايار ناھىيىسى 沙雅县.Shayar County (ئۇيغۇر لاتىن يېزىقى: Shayar Nahiyisi)
652927|ug-Arab|ئۇچتۇرپان||https://howlingpixel.com/i-en/Uqturpan_County|Uqturpan County (Uyghur: ئۇچتۇرپان ناھىيىسى; Chinese: 乌什吐鲁番县)
653001|ug-Arab|ئاتۇش||https://alchetron.com/Artux|Artux, Atush or Atushi (... Uyghur: ئاتۇش, Атуш, ULY: Atush ...)
653001|ug-Latn|Atush||https://alchetron.com/Artux|Uyghur: ئاتۇش, Атуш, ULY: Atush
653100|ru|Кашгар||https://mn.m.wikipedia.org/wiki/%D0%9A%D0%B0%D1%88%D0%B3%D0%B0%D1%80_%D1%82%D0%BE%D0%B9%D1%80%D0%BE%D0%B3|хятадаар 喀什地区 [Kāshí Dìqū] уйгураар قەشقەر ۋىلايىتى [Qeshqer Wilayiti] оросоор Округ Кашгар (оросоор = in Russian)
653100|ug-Arab|قەشقەر||https://www.primidi.com/xinjiang/subdivisions|قەشقەر ۋىلايىتى
653121|ru|Кона Шехер||https://hmong.ru/wiki/Shufu|также транслитерируемый с уйгурского как округ Конаксахар или округ Конашехер / округ Кона Шехер
653121|ug-Arab|كونا شەھەر||http://www.let.rug.nl/~gosse/termpedia2/termpedia.php?language=dutch_general&density=7&link_color=000000&termpedia_system=perl_db&url=http%3A%2F%2Fen.wikipedia.org%2Fwiki%2FShufu_County|Shufu County 疏附县كونا شەھەر ناھىيىسى ... Uyghur قەشقەر كونا شەھەر ناھىيىسى Literal meaning Kashgar Old Town County
653121|ug-Latn|Kona Sheher||https://hmong.ru/wiki/Shufu|also transliterated from Uyghur as ... Konasheher / Kona Sheher (ru: округ Конашехер / округ Кона Шехер)
653121|ug-Latn|Konasheher||https://debianws.lexgopc.com/wiki143/index.php?title=Shufu_County|also transliterated from Uyghur as Konaxahar County or Konasheher County
653121|ug-Latn|Konaxahar||https://debianws.lexgopc.com/wiki143/index.php?title=Shufu_County|also transliterated from Uyghur as Konaxahar County
653122|ug-Arab|يېڭىشەھەر||https://wap.bdmobi.com/view_html.php?lang=en&q=Shule_County&sq=Albert+Einstein|Shule County 疏勒县 يېڭىشەھەر ناھىيىسى (Uyghur) Yengisheher, Yengixahar
653122|ug-Latn|Yengisheher||https://wap.bdmobi.com/view_html.php?lang=en&q=Shule_County&sq=Albert+Einstein|Shule County, also known as Yengisheher County or Yengixahar County
653123|ug-Arab|يېڭىسار||https://ug.m.wikipedia.org/wiki/%D9%8A%DB%90%DA%AD%D9%89%D8%B3%D8%A7%D8%B1_%D9%86%D8%A7%DA%BE%D9%89%D9%8A%D9%89%D8%B3%D9%89|يېڭىسار ناھىيىسى 英吉沙县.Yengisar County
653125|ug-Arab|يەكەن||http://cryer.org.uk/Yarkent_County|Uig: يەكەن (ياركەنت) ناھىيىسى
653125|ug-Arab|ياركەنت||http://cryer.org.uk/Yarkent_County|Uig: يەكەن (ياركەنت) ناھىيىسى
653125|ug-Latn|Yarkent||http://cryer.org.uk/Yarkent_County|Uly: Yeken (Yarkent) Nahiyisi
653127|ru|Мекит||https://ru.wikibrief.org/wiki/Makit_County|Округ Макит. مەكىت ناھىيىسى. 麦盖提 县. Мекит, Маркит, Меркет Базар, Майгаити
653127|ug-Arab|مەكىت||http://harrysworldatlas.blogspot.com/2007/03/china-cn-xinjiang-uyghur-autonomous_1812.html|Makit County (مەكىت ناھىيىسى Makit Nahiyisi/麦盖提县)
653128|ug-Arab|يوپۇرغا||https://dewiki.de/Lexikon/Yopurga|Arabisch-Persisch (Kona Yeziⱪ):يوپۇرغا ناھىيىسى ... Kurzzeichen:岳普湖县
653131|ug-Arab|تاشقۇرغان||http://cryer.org.uk/Tashkurgan_County|Uig: تاشقۇرغان تاجىك ئاپتونوم ناھىيىسى
653131|ug-Latn|Tashqurghan||http://cryer.org.uk/Tashkurgan_County|Uly: Tashqurghan Tajik Aptonom Nahiyisi
653131|ug-Latn|Taj Qurghan||http://en.wikipedia.org/wiki/Taxkorgan_Tajik_Autonomous_County|(sometimes spelled Tashkorgan, Taxkorgan, Taj Qurghan, etc.)
653200|ug-Arab|خوتەن||https://de.qa.edu.vn/fi/Hotanin_prefektuuri|Hotanin prefektuuri (uiguuriksi خوتەن ۋىلايىتى, Xoten Wilayiti) kiin. 和田地区
653200|ug-Latn|Xoten||https://de.qa.edu.vn/fi/Hotanin_prefektuuri|uiguuriksi خوتەن ۋىلايىتى, Xoten Wilayiti
653222|ug-Arab|قاراقاش||https://de.qa.edu.vn/fi/Hotanin_prefektuuri|Karakax (Moyu) (kiin. 墨玉县, uiguuriksi قاراقاش ناھىيىسى, Qaraqash Nahiyisi)
653223|ug-Arab|گۇما||https://de.qa.edu.vn/fi/Hotanin_prefektuuri|Pishan (Guma) (kiin. 皮山县, uiguuriksi گۇما ناھىيىسى, Guma Nahiyisi)
653225|ug-Arab|چىرا|abroad|https://de.qa.edu.vn/fi/Hotanin_prefektuuri|Qira (kiin. 策勒县, uiguuriksi چىرا ناھىيىسى, Chira Nahiyisi)
653225|ug-Latn|Chira|abroad|https://de.qa.edu.vn/fi/Hotanin_prefektuuri|uiguuriksi چىرا ناھىيىسى, Chira Nahiyisi
653227|ug-Arab|نىيە||https://en.wikipedia.org/wiki/Niya_County|Niya County (transliterated from the Uyghur نىيە ناھىيىسى ; ), also from Mandarin Chinese as Minfeng County
653227|ug-Latn|Niyă||https://wikiwand.com/en/articles/Niya_County|transliterated from the Uyghur نىيە ناھىيىسى Niyă Nahiyisi ; Chinese: 尼雅县
654000|ug-Arab|ئىلى|abroad|https://www.primidi.com/xinjiang/subdivisions|11 Ili ... ئىلى قازاق ئاپتونوم ئوبلاستى Ili QazaQ Aptonom Oblasti 伊犁哈萨克自治州
654002|kk|Құлжа||https://kaz.inform.kz/news/kulzha-nesmen-tartimdi-kandastardin-konakzhayligi-turisterd-tant-ett-39c8c5/|Құлжа (Инин) қаласы
654002|kk-Arab|قۇلجا||http://wiki-org.ru/wiki/%D0%9A%D1%83%D0%BB%D1%8C%D0%B4%D0%B6%D0%B0|каз. قۇلجا, Құлжа
654002|ru|Кульджа||http://wiki-org.ru/wiki/%D0%9A%D1%83%D0%BB%D1%8C%D0%B4%D0%B6%D0%B0|Кульджа́ (уйг. غۇلجا, Ғулҗа, каз. قۇلجا, Құлжа) или Ини́н (кит. упр. 伊宁) — городской уезд
654002|ru|Инин||http://wiki-org.ru/wiki/%D0%9A%D1%83%D0%BB%D1%8C%D0%B4%D0%B6%D0%B0|Кульджа́ (уйг. غۇلجا, Ғулҗа, каз. قۇلجا, Құлжа) или Ини́н (кит. упр. 伊宁) — городской уезд
654002|ug-Arab|غۇلجا||http://wiki-org.ru/wiki/%D0%9A%D1%83%D0%BB%D1%8C%D0%B4%D0%B6%D0%B0|Кульджа́ (уйг. غۇلجا, Ғулҗа, каз. قۇلجا, Құлжа)
654021|kk-Latn|Qulja||https://de.m.wikipedia.org/wiki/Gulja_(Kreis)|Gulja (Yining) (Kasachisch: قۇلجا اۋدانى / Құлжа ауданы / Qulja Awdanı) ist ein Kreis ... Ili
654021|ug-Arab|غۇلجا||https://de.m.wikipedia.org/wiki/Gulja_(Kreis)|Arabisch-Persisch (Kona Yeziⱪ): غۇلجا ناھىيىس ... 伊宁县
654200|ug-Arab|تارباغاتاي|abroad|https://www.primidi.com/xinjiang/subdivisions|تارباغاتاي ۋىلايىتى
654200|ug-Latn|Tarbaghatay|abroad|https://www.primidi.com/xinjiang/subdivisions|3 Tarbagatay Qoqek تارباغاتاي ۋىلايىتى Tarbaghatay Wilayiti 塔城地区
654300|ug-Arab|ئالتاي|abroad|https://www.primidi.com/xinjiang/subdivisions|ئالتاي ۋىلايىتى
659001|ug-Arab|شىخەنزە||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Shihezi City 石河子 市 شىخەنزە شەھىرى Şihenze Şehiri
659002|ug-Arab|ئارال|abroad|https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Byen Aral 阿拉尔 市 ئارال شەھىرى Aral Şehiri
659003|ug-Arab|تۇمشۇق||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Tumushuke City 图木舒克 市 تۇمشۇق شەھىرى Tumşuk Şehiri
659003|ug-Latn|Tumşuk||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|تۇمشۇق شەھىرى Tumşuk Şehiri (Turkish-alphabet ş = sh)
"""

#: Uyghur Arabic letters to ULY, after the romanisation table of the Staatsbibliothek zu Berlin (a letter per
#: sound: ش sh, غ gh, چ ch, ڭ ng, ژ zh...) with the ULY letters where that table differs (خ x, ە e, ې ë; the
#: hamza carrier ئ is not written at the start of a word): sources in `ULY_SOURCES`.
ULY_LETTERS = {
    "ا": "a", "ە": "e", "ب": "b", "پ": "p", "ت": "t", "ج": "j", "چ": "ch", "خ": "x", "د": "d", "ر": "r",
    "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ک": "k", "گ": "g",
    "ڭ": "ng", "ل": "l", "م": "m", "ن": "n", "ھ": "h", "و": "o", "ۇ": "u", "ۆ": "ö", "ۈ": "ü", "ۋ": "w",
    "ې": "ë", "ى": "i", "ی": "i", "ي": "y", "ئ": "", " ": " ",
}  # fmt: skip
ULY_SOURCES = (
    "https://staatsbibliothek-berlin.de/die-staatsbibliothek/abteilungen/ostasien/recherche-und-ressourcen/"
    "zentralasiatischer-katalog/transkription-uyghur",
    "https://gateway.ipfs.io/ipfs/QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco/wiki/Uyghur_Latin_Y%C3%ABziqi.html",
)


def uly_from_arabic(name: str) -> str:
    """The ULY (Uyghur Latin) spelling of a Uyghur Arabic-script name: قەشقەر -> Qeshqer.

    Why derive it: the scripts correspond letter for letter, and Latin-script records (ERP exports, shipping
    documents) write the ULY form, so every sourced Arabic-script name gives its Latin form without a
    second source. A letter outside the table is an error, not a silent gap.
    """
    out = []
    for ch in name:
        if ch not in ULY_LETTERS:
            raise ValueError(
                f"{name!r}: {ch!r} (U+{ord(ch):04X}) is not a Uyghur Arabic letter in ULY_LETTERS"
            )
        out.append(ULY_LETTERS[ch])
    return " ".join(w[:1].upper() + w[1:] for w in "".join(out).split())


def local_names() -> dict[str, list[tuple[str, str, str, str, str]]]:
    """Per division code: (language, name, flag, source URL, evidence), plus the derived ULY spellings."""
    table: dict[str, list[tuple[str, str, str, str, str]]] = {}
    for line in LOCAL_NAMES.strip().splitlines():
        code, lang, name, flag, url, evidence = (part.strip() for part in line.split("|", 5))
        if flag not in ("", "abroad", "weak") or not url.startswith("http"):
            raise ValueError(f"LOCAL_NAMES row {line!r}: flag or source URL malformed")
        rows = table.setdefault(code, [])
        rows.append((lang, name, flag, url, evidence))
        if lang == "ug-Arab":
            rows.append(("ug-Latn", uly_from_arabic(name), flag, url, f"ULY of {name} (derived)"))
        if (
            lang == "zh"
        ):  # a Chinese abbreviation is written in pinyin too (博州 -> Bozhou), like the short names
            rows.append(("zh-Latn", _pinyin(name)[1], flag, url, f"pinyin of {name} (derived, pypinyin)"))
    return table


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
    locals_ = local_names()
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
        local = list(dict.fromkeys(n for _, n, _, _, _ in locals_.get(code, [])))
        flagged = locals_.get(code, [])
        abroad = list(
            dict.fromkeys(
                [v.strip() for v in amb_abroad.split(",") if v.strip()]
                + [n for _, n, f, _, _ in flagged if f == "abroad"]
            )
        )
        weak = list(
            dict.fromkeys(
                [v.strip() for v in amb_cn.split(",") if v.strip()]
                + [n for _, n, f, _, _ in flagged if f == "weak"]
            )
        )
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
                "local_names": "|".join(local),
                "historic_codes": historic,
                "ambiguous": "true" if (weak or abroad) else "false",
                "ambiguous_in_china": "|".join(weak),
                "ambiguous_abroad": "|".join(abroad),
                "note": note,
            }
        )
    missing = (set(curated) | set(locals_)) - {r["division_code"] for r in rows}
    if missing:
        raise ValueError(f"curated codes absent from the division list: {sorted(missing)}")
    return rows


def name_sources() -> list[dict[str, str]]:
    """Every local name with the page it came from, for the sidecar (derived ULY names say so)."""
    return [
        {"division_code": code, "language": lang, "name": name, "source": url, "evidence": evidence}
        for code, rows in sorted(local_names().items())
        for lang, name, _, url, evidence in rows
    ]


def write_meta_sources(meta_path: Path) -> None:
    """Put the local names' sources into the sidecar, keeping its hand-edited keys."""
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["name_sources"] = name_sources()
    meta["uly_derivation_sources"] = list(ULY_SOURCES)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


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
    write_meta_sources(out.with_suffix(".meta.json"))
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
