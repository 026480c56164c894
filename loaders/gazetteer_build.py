# ruff: noqa: E501  (the curated table below is data: one place per line)
"""Regenerate `xuar_gazetteer.csv` from the official division-code list plus the curated names below.

Why a build step: the division codes and Chinese names come from GB/T 2260 (as republished by the
`china-division` package, modood/Administrative-divisions-of-China, in its `code,name,parent` form) and
change when the State Council approves a re-division (Turpan 2015, Hami 2016, Kuqa 2019, Shawan 2021, new
XPCC cities 2019-2023). Pinyin and traditional characters are derived mechanically; English names, Uyghur
romanisations, historic codes and ambiguity flags are curated here, by hand, because no official list has
them. Running this script after replacing `xuar_divisions_gbt2260.csv` with a newer extract rewrites the
gazetteer; a code missing from the curated table is an error so a new division is never silently unnamed.

Names in the region's other languages (Uyghur in Arabic, Latin and Cyrillic script, Kazakh and Kyrgyz in Arabic,
Cyrillic and Latin script, Mongolian, Russian) come from
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
from collections.abc import Collection
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
_READINGS = {"什": "shí", "勒": "lè", "伽": "jiā", "干": "gān", "子": "zǐ", "莎": "shā", "乾": "qián"}
# Characters OpenCC's t2s over-simplifies in these names: 乾 in 乾德 (qián) is not 干.
_HANS_KEEP = frozenset("乾")

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
654226|Hoboksar Mongol Autonomous County|Hoboksar,Hebukesaier||||Not "Hefeng" (the pinyin of its former name 和丰): that is also Hubei's 鹤峰县
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
#: Language: ug-Arab (Uyghur Arabic script, UEY), ug-Latn (Uyghur Latin as a source writes it), ug-Cyrl (Uyghur
#: Cyrillic, "Siril Yëziqi"), kk / kk-Arab / kk-Latn (Kazakh), ky / ky-Arab / ky-Latn (Kyrgyz), mn / mn-Latn
#: (Mongolian Cyrillic / romanised Oirat), ru (Russian), zh (a Chinese abbreviation), zh-alt (an alternative or
#: historic Chinese name a source gives, simplified and traditional: 绥来县 / 綏來縣 for Manas; no pinyin is derived). Flag: "" (the name identifies the place),
#: "abroad" (also a place outside China: counts only with country CN), "weak" (also something else in China).
#: The region's full name in other languages (az Azerbaijani, uz Uzbek, tr Turkish, fi Finnish, ko Korean) is
#: given in full where its short form is a word or a place elsewhere (Sincan is a district of Ankara; 신장
#: alone is not added); German, French, Spanish and Japanese names contain Xinjiang/Sinkiang/新疆 and need no row.
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
650102|ug-Arab|تىيانشان|weak|https://db0nus869y26v.cloudfront.net/en/List_of_administrative_divisions_of_Xinjiang|Tianshan District تىيانشان رايونى Tiyanshan Rayoni Tiyanxan Rayoni 天山区 Tiānshān Qū 650102
650103|ug-Arab|سايباغ||https://db0nus869y26v.cloudfront.net/en/List_of_administrative_divisions_of_Xinjiang|Saybag District سايباغ رايونى Saybagh Rayoni 650103
650103|ug-Latn|Saybagh||https://en.wikipedia.org/wiki/List_of_administrative_divisions_of_Xinjiang|Saybag District / / Saybagh Rayoni / Saybag Rayoni / 沙依巴克区 / 650103
650104|ug-Arab|يېڭىشەھەر||https://db0nus869y26v.cloudfront.net/en/List_of_administrative_divisions_of_Xinjiang|Xinshi District يېڭىشەھەر رايونى Yëngishahar Rayoni 650104
650104|ug-Latn|Yëngisheher||https://en.wikipedia.org/wiki/List_of_administrative_divisions_of_Xinjiang|Xinshi District / / Yëngisheher Rayoni / Yengixahar Rayoni / 新市区 / 650104
650105|ug-Arab|بۇلاقتاغ||https://db0nus869y26v.cloudfront.net/en/List_of_administrative_divisions_of_Xinjiang|Shuimogou District بۇلاقتاغ رايونى Bulaqtagh Rayoni 650105
650105|ug-Latn|Bulaqtagh||https://en.wikipedia.org/wiki/List_of_administrative_divisions_of_Xinjiang|Shuimogou District / / Bulaqtagh Rayoni / Bulaktag Rayoni / 水磨沟区 / 650105
650106|ug-Arab|تۇدۇڭخابا||https://db0nus869y26v.cloudfront.net/en/List_of_administrative_divisions_of_Xinjiang|Toutunhe District تۇدۇڭخابا رايونى Tudungxaba Rayoni 650106
650106|ug-Latn|Tudungxaba||https://en.wikipedia.org/wiki/List_of_administrative_divisions_of_Xinjiang|Toutunhe District / / Tudungxaba Rayoni / Tudunghaba Rayoni / 头屯河区 / 650106
650107|ug-Arab|داۋانچىڭ||https://db0nus869y26v.cloudfront.net/en/List_of_administrative_divisions_of_Xinjiang|Dabancheng District داۋانچىڭ رايونى Dabancheng Rayoni 650107
650109|ug-Arab|میدونگ||https://db0nus869y26v.cloudfront.net/en/List_of_administrative_divisions_of_Xinjiang|Midong District میدونگ رايونى Midong Rayoni Midong Rayoni 米东区
650121|ug-Latn|Ürümchi Nahiyisi||https://en.wikipedia.org/wiki/List_of_administrative_divisions_of_Xinjiang|Ürümqi County / / Ürümchi Nahiyisi / Ürümqi Nahiyisi / 乌鲁木齐县 / 650121
650200|ug-Arab|قاراماي||https://www.primidi.com/xinjiang/subdivisions|قاراماي شەھرى
650202|ug-Arab|مايتاغ||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Dushanzi District مايتاغ رايونى
650202|ug-Latn|Maytağ||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Dushanzi District 独山子 区 Dúshānzǐ Qū مايتاغ رايونى Maytağ Rayoni (Turkish-alphabet ğ = gh)
650203|ug-Arab|قاراماي||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Karamay District 克拉玛依 区 Kèlāmǎyī Qū قاراماي رايونى Karamay Rayoni
650204|ug-Arab|جەرەنبۇلاق||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Baijiantan District 白碱滩区 جەرەنبۇلاق رايونى Cerenbulak Rayoni
650205|ug-Arab|ئورقۇ||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Urho District 乌尔禾 区 ئورقۇ رايونى Orku Rayoni
650400|ug-Arab|تۇرپان||https://www.primidi.com/xinjiang/subdivisions|9 Turpan Turpan تۇرپان ۋىلايىتى Turpan Wilayiti
650400|ru|Турфан||http://wiki-org.ru/wiki/%D0%A7%D0%B0%D0%BD%D1%86%D0%B7%D0%B8-%D0%A5%D1%83%D1%8D%D0%B9%D1%81%D0%BA%D0%B8%D0%B9_%D0%B0%D0%B2%D1%82%D0%BE%D0%BD%D0%BE%D0%BC%D0%BD%D1%8B%D0%B9_%D0%BE%D0%BA%D1%80%D1%83%D0%B3|на юге — с городским округом Урумчи, округом Турфан и Баян-Монгольским автономным округом
650421|ug-Arab|پىچان||http://harrysworldatlas.blogspot.com/2007/03/china-cn-xinjiang-province-turpan-rural.html|Pichan County (پىچان ناھىيىسى Pichan Nahiyisi/鄯善县 Shànshàn-xiàn)
650422|ug-Arab|توقسۇن||https://wikibin.ir/article/wp/%D9%88%D9%84%D8%A7%DB%8C%D8%AA_%D8%AA%D9%88%D8%B1%D9%81%D8%A7%D9%86|ناحیه توقسون / 托克逊县 / Tuōkèxùn Xiàn / توقسۇن ناهیییسی
650500|ug-Arab|قۇمۇل||https://www.primidi.com/xinjiang/subdivisions|قۇمۇل ۋىلايىتى
650500|ru|Хами||http://wiki-org.ru/wiki/%D0%A7%D0%B0%D0%BD%D1%86%D0%B7%D0%B8-%D0%A5%D1%83%D1%8D%D0%B9%D1%81%D0%BA%D0%B8%D0%B9_%D0%B0%D0%B2%D1%82%D0%BE%D0%BD%D0%BE%D0%BC%D0%BD%D1%8B%D0%B9_%D0%BE%D0%BA%D1%80%D1%83%D0%B3|на востоке — с округом Хами, на северо-востоке — с Монголией
650522|ug-Arab|ئارا تۈرۈك||https://wikipedia.jakami.de/content/wikipedia_de_all_mini_2024-06/A/Arat%C3%BCr%C3%BCk|Aratürük (chinesisch 伊吾县, Pinyin Yīwú Xiàn, uigurisch ئارا تۈرۈك ناھىيىسى Ara Türük Naⱨiyisi)
652300|ug-Arab|سانجى||https://wikifwd.glitch.me/wiki/Changji_Hui_Autonomous_Prefecture|Changji Prefecture 昌吉州 · سانجى ئوبلاستى ... Uyghur سانجى خۇيزۇ ئاپتونوم ئوبلاستى / Latin Yëziqi Sanji Xuyzu Aptonom Oblasti / Siril Yëziqi Санҗи Хуизу Аптоном Области
652300|ug-Cyrl|Санҗи||https://wikifwd.glitch.me/wiki/Changji_Hui_Autonomous_Prefecture|Siril Yëziqi Санҗи Хуизу Аптоном Области
652300|ru|Чанцзи||http://wiki-org.ru/wiki/%D0%A7%D0%B0%D0%BD%D1%86%D0%B7%D0%B8-%D0%A5%D1%83%D1%8D%D0%B9%D1%81%D0%BA%D0%B8%D0%B9_%D0%B0%D0%B2%D1%82%D0%BE%D0%BD%D0%BE%D0%BC%D0%BD%D1%8B%D0%B9_%D0%BE%D0%BA%D1%80%D1%83%D0%B3|Чанцзи-Хуэйский автономный округ (кит. упр. 昌吉回族自治州 ...) — автономный округ в Синьцзян-Уйгурском АР, Китай
652301|ug-Arab|سانجى||https://sagapedia.com/en/Changji|Changji 昌吉市 (Chinese) سانجى شەھىرى (Uyghur) سانجى قالاسى (Kazakh) ... Uyghur سانجى / Latin Yëziqi Sanji / Siril Yëziqi Санҗи
652301|ug-Cyrl|Санҗи||https://sagapedia.com/en/Changji|Uyghur name Uyghur سانجى ... Siril Yëziqi Санҗи
652301|ru|Чанцзи||http://wiki-org.ru/wiki/%D0%A7%D0%B0%D0%BD%D1%86%D0%B7%D0%B8-%D0%A5%D1%83%D1%8D%D0%B9%D1%81%D0%BA%D0%B8%D0%B9_%D0%B0%D0%B2%D1%82%D0%BE%D0%BD%D0%BE%D0%BC%D0%BD%D1%8B%D0%B9_%D0%BE%D0%BA%D1%80%D1%83%D0%B3|Административный центр Чанцзи ... Место пребывания властей — Чанцзи
652324|ug-Arab|ماناس||https://ipfs.io/ipns/tr.wikipedia-on-ipfs.org/wiki/Manas_İlçesi|Manas İlçesi (Uygurca: ماناس ناھىيىسى, Manas Nahiyisi, Manas Nah̡iyisi, Çince: 玛纳斯县/瑪納斯縣)
652328|ug-Arab|مورى||http://en.wikipedia.org/wiki/Mori_Kazak_Autonomous_County|Uyghur: مورى قازاق ئاپتونوم, ULY: Mori Qazaq Aptonom Nahiyisi ... Simplified Chinese: 木垒哈萨克自治县
652328|kk-Arab|موري||http://en.wikipedia.org/wiki/Mori_Kazak_Autonomous_County|Kazakh: موري قازاق اۆتونوميالى اۋدانى; Cyrillic: Мори Қазақ автономиялық ауданы
652328|kk|Мори|abroad|http://en.wikipedia.org/wiki/Mori_Kazak_Autonomous_County|Cyrillic: Мори Қазақ автономиялық ауданы
652700|zh|博州|weak|https://gudianfeng.com/new/zs6182349.html|博尔塔拉蒙古自治州(简称:博州),隶属新疆维吾尔自治区 ... 下辖地区有:博乐市、阿拉山口市、精河县、温泉县
652700|ug-Arab|بۆرتالا||https://en.wikipedia.org/wiki/Bortala_Mongol_Autonomous_Prefecture|Bortala Prefecture بۆرتالا ئوبلاستى بۆرتالا موڭغۇل ئاپتونوم ئوبلاستى
652700|mn-Latn|Borotala||https://en.wikipedia.org/wiki/Bortala_Mongol_Autonomous_Prefecture|Oirat name ... Borotala mongγol ebereen zasaqu ǰuu ... "Boro tala" comes from the Mongolian language
652700|ru|Боро-Тала||https://dzen.ru/a/WrMmCEvxYWePQxr1|Синьцзян-Уйгурский Автономный Район делится на 23 округа и города такие как, Или-Казахский АО, округ Алтай, Боро-Тала-Монгольский АО
652701|ug-Arab|بۆرتالا||https://en.wikipedia.org/wiki/Bortala_Mongol_Autonomous_Prefecture|Name / Hanzi / Uyghur (UEY) ... Bole / 博乐市 / بۆرتالا شەھىرى
652702|ug-Arab|ئالاتاۋ ئېغىزى||https://en.wikipedia.org/wiki/Bortala_Mongol_Autonomous_Prefecture|Alashankou / 阿拉山口市 / ﺋﺎﻻﺗﺎﯞ ﺋﯧﻐﯩﺰﻯ (Arabic presentation forms, NFKC-normalised)
652800|ug-Arab|بايىنغولىن||https://infogalactic.com/info/Bayingolin_Mongol_Autonomous_Prefecture|Bayingolin Prefecture 巴音郭楞州 بايىنغولىن ئوبلاستى ... Bayingolin Mongol Autonomous Prefecture بايىنغولىن موڭغۇل ئاپتونوم ئوبلاستى
652800|mn|Баянгол|abroad|https://iiab.me/kiwix/content/wikipedia_en_all_maxi_2023-10/A/Bayin'gholin_Mongol_Autonomous_Prefecture|Mongolian name / Mongolian Cyrillic / Баянгол - Монголын өөртөө засах жуу
652800|ru|Баян-Гол||http://wafarin.com/article/8400600/синьцзян-уйгурский-автономный-район/|Степь в Баян-Гол-Монгольском автономном округе
652801|ug-Arab|كورلا||http://harrysworldatlas.blogspot.com/2007/03/china-cn-xinjiang-uyghur-autonomous_211.html|Korla Metropolitan County (كورلا شەھىرى Korla Shehiri/库尔勒市 Kù'ěrlè-shì)
652822|ug-Arab|بۈگۈر||https://perceptiode.com/Бугур|Bugur County ( uig . بۈگۈر ناھىيىسى , Bügür Nahiyisi) oder Luntai County ( chin . Übung 轮台县
652824|ug-Arab|چاقىلىق||https://en.wikipedia.org/wiki/Ruoqiang_County|transliterated from Uyghur as Qakilik County (چاقىلىق ناھىيىسى; )
652824|ug-Latn|Charkhlik||https://wonilvalve.com/index.php?q=Https%3A%2F%2Fen.m.wikipedia.org%2Fwiki%2FRuoqiang_County|若羌县 (Chinese) چاقىلىق ناھىيىسى (Uyghur) Qakilik, Charkhlik, Chochiang
652824|ug-Latn|Qakilik||https://wonilvalve.com/index.php?q=Https%3A%2F%2Fen.m.wikipedia.org%2Fwiki%2FRuoqiang_County|Qakilik, Charkhlik, Chochiang
652824|ug-Latn|Chaqiliq||https://en-academic.com/dic.nsf/enwiki/3517174|historically known as Charkliq, Chaqiliq, or Qakilik, Uyghur: چاقىلىق ناھىيىسى
652827|ug-Arab|خېجىڭ||https://memim.com/hejing-county.html|Hejing (和 静 县; pinyin: Hejing Xiàn; Uighur: خېجىڭ ناھىيىسى / Hecing Nahiyisi )
652900|ug-Arab|ئاقسۇ|abroad|https://www.primidi.com/xinjiang/subdivisions|ئاقسۇ ۋىلايىتى
652900|ug-Cyrl|Ақсу|abroad|http://en.m.wikipedia.org/wiki/Aksu_Prefecture|Uyghur ئاقسۇ ۋىلايىتى / Latin Yëziqi Aqsu Wilayiti / Siril Yëziqi Ақсу Вилайити
652900|ru|Аксу|abroad|https://mdsite.deno.dev/https:/dic.academic.ru/dic.nsf/ruwiki/1361057|О́круг Аксу́ (уйг. ئاقسۇ ۋىلايىتى; кит. упр. 阿克苏地区 ...) — округ в Синьцзян-Уйгурском автономном районе КНР. У этого термина существуют и другие значения
652901|ug-Arab|ئاقسۇ|abroad|http://harrysworldatlas.blogspot.com/2007/03/china-cn-xinjiang-uyghur-autonomous_18.html|Aqsu Metropolitan County (ئاقسۇ شەھىرى Aqsu Shehiri/阿克苏市 Ākèsū-shì)
652902|ug-Arab|كۇچار||https://de.wikial.top/wiki/Kuqa,_Xinjiang|Kuqa كۇچار شەھىرى 库车市 Kuchar, Kucha, Kuche
652902|ug-Latn|Kuchar||https://de.wikial.top/wiki/Kuqa,_Xinjiang|Kuqa كۇچار شەھىرى 库车市 Kuchar, Kucha, Kuche
652922|ug-Arab|ئونسۇ||https://de.wikiup.org/wiki/Aksu_Konaxeher|Aksu Konaxeher (auch Wensu und Onsu; chinesisch 温宿县 ... uigurisch ئونسۇ ناھىيىسى Onsu Naⱨiyisi)
652924|ug-Arab|شايار||http://ug.wikipedia.org/wiki/%D8%B4%D8%A7%D9%8A%D8%A7%D8%B1%20%D9%86%D8%A7%DA%BE%D9%89%D9%8A%D9%89%D8%B3%D9%89|شايار ناھىيىسى 沙雅县.Shayar County (ئۇيغۇر لاتىن يېزىقى: Shayar Nahiyisi)
652925|ug-Arab|توقسۇ||https://dnhewrhegkli.shop/wiki/Xinhe_(Aksu)|Arabisch-Persisch (Kona Yeziⱪ): توقسۇ ناھىيىسى / Lateinisch (Yengi Yeziⱪ): Toⱪsu Naⱨiyisi / Kurzzeichen: 新和县
652927|ug-Arab|ئۇچتۇرپان||https://howlingpixel.com/i-en/Uqturpan_County|Uqturpan County (Uyghur: ئۇچتۇرپان ناھىيىسى; Chinese: 乌什吐鲁番县)
652928|ug-Arab|ئاۋات||https://tr.m.wikipedia.org/wiki/Avat_%C4%B0l%C3%A7esi|Avat İlçesi (Uygurca: ئاۋات ناھىيىسى, Awat Nahiyisi, Avat Nah̡iyisi, Çince: 阿瓦提县/阿瓦提縣)
652929|ug-Arab|كەلپىن||https://wikwiand-revamp.pages.dev/en/Kalpin_County|Uyghur كەلپىن ناھىيىسى / Latin Yëziqi Kelpin Nahiyisi / Siril Yëziqi Келпин Наһийиси / 柯坪
652929|ug-Cyrl|Келпин||https://wikwiand-revamp.pages.dev/en/Kalpin_County|Siril Yëziqi Келпин Наһийиси
653000|ug-Arab|قىزىلسۇ||https://world.wikisort.org/china/en/China/Kizilsu_Kyrgyz_Autonomous_Prefecture|Kizilsu Prefecture قىزىلسۇ ئوبلاستى 克孜勒苏州 ... Uighur: قىزىلسۇ قىرغىز ئاپتونوم ئوبلاستى
653000|ky|Кызылсуу|abroad|https://world.wikisort.org/china/en/China/Kizilsu_Kyrgyz_Autonomous_Prefecture|Kyrgyz: , قىزىلسۇۇ قىرعىز اپتونوم وبلاسى, Кызылсуу Кыргыз өзеркин облусу, Kyzylsuu Kyrgyz özerkin oblusu
653000|ky-Arab|قىزىلسۇۇ||https://world.wikisort.org/china/en/China/Kizilsu_Kyrgyz_Autonomous_Prefecture|Kyrgyz: , قىزىلسۇۇ قىرعىز اپتونوم وبلاسى
653000|ky-Latn|Kyzylsuu|abroad|https://world.wikisort.org/china/en/China/Kizilsu_Kyrgyz_Autonomous_Prefecture|Kyzylsuu Kyrgyz özerkin oblusu ... similar to the name of Kyzyl-Suu, Kyrgyzstan
653000|ky-Latn|Qızılsuu|abroad|http://wikipedia.moesalih.com/Kizilsu_Kirghiz_Autonomous_Prefecture|Kyrgyz: قىزىلسۇۇ قىرعىز اپتونوم وبلاسى, Кызылсуу Кыргыз аптоном обласы, Qızılsuu Qırğız aptonom oblası
653001|ug-Arab|ئاتۇش||https://alchetron.com/Artux|Artux, Atush or Atushi (... Uyghur: ئاتۇش, Атуш, ULY: Atush ...)
653001|ug-Latn|Atush||https://alchetron.com/Artux|Uyghur: ئاتۇش, Атуш, ULY: Atush
653001|ky|Артыш||https://kiwix.casplantje.nl/wikipedia_en_all_maxi_2020-06/A/Kizilsu_Kyrgyz_Autonomous_Prefecture|1 Artux 阿图什市 Ātúshí Shì ئاتۇش شەھىرى Atush Shehiri ارتىش شاارى Артыш шаары Artış şaarı
653001|ky-Latn|Artış||https://kiwix.casplantje.nl/wikipedia_en_all_maxi_2020-06/A/Kizilsu_Kyrgyz_Autonomous_Prefecture|Kyrgyz (Arabic script) ارتىش شاارى / Kyrgyz (Cyrillic script) Артыш шаары / Kyrgyz Latin transcription Artış şaarı
653022|ug-Arab|ئاقتو||http://cryer.org.uk/AKTO|Uig:ئاقتو ناھىيىسى / Uly:Aqto Nahiyisi / Usy:Ақто наһийиси / Kyrgyz: Актоо ооданы / Aqtoo oodanı
653022|ug-Cyrl|Ақто||http://cryer.org.uk/AKTO|Usy:Ақто наһийиси
653022|ky|Актоо||http://cryer.org.uk/AKTO|Kirghiz; Kyrgyz: ﺍﻗﺘﻮﻭ وودانى Актоо ооданы Kirghiz; Kyrgyz: Aqtoo oodanı
653022|ky-Latn|Aqtoo||http://cryer.org.uk/AKTO|Kyrgyz: Aqtoo oodanı
653023|ug-Arab|ئاقچى||https://en.wikipedia.org/wiki/Akqi_County|Akqi County (; ئاقچى ناھىيىسى; اقچئي وودانى) is a county in Xinjiang
653023|ky-Arab|اقچئي||https://en.wikipedia.org/wiki/Akqi_County|Akqi County (; ئاقچى ناھىيىسى; اقچئي وودانى)
653023|ky|Акчий||https://de.mgwiki.top/wiki/Akqi_County|Kirgisischer Name / Kirgisisch اقچئي وودانى / Акчий ооданы / Aqçiy oodanı
653023|ky-Latn|Aqçiy||https://de.mgwiki.top/wiki/Akqi_County|Kirgisisch ... Aqçiy oodanı
653024|ug-Arab|ئۇلۇغچات||https://everything.explained.today/Ulugqat_County/|Uig:ئۇلۇغچات ناھىيىسى / Uly:Ulughchat Nahiyisi / Usy:Улуғчат Наһийиси / Kyrgyz: ۇلۇۇچات وودانى / Улуучат ооданы / Uluuçat oodanı
653024|ug-Cyrl|Улуғчат||https://everything.explained.today/Ulugqat_County/|Usy:Улуғчат Наһийиси
653024|ky-Arab|ۇلۇۇچات||https://everything.explained.today/Ulugqat_County/|Kirghiz; Kyrgyz: ۇلۇۇچات وودانى
653024|ky|Улуучат||https://everything.explained.today/Ulugqat_County/|Kirghiz; Kyrgyz: Улуучат ооданы
653024|ky-Latn|Uluuçat||https://everything.explained.today/Ulugqat_County/|Kirghiz; Kyrgyz: Uluuçat oodanı
653100|ru|Кашгар||https://mn.m.wikipedia.org/wiki/%D0%9A%D0%B0%D1%88%D0%B3%D0%B0%D1%80_%D1%82%D0%BE%D0%B9%D1%80%D0%BE%D0%B3|хятадаар 喀什地区 [Kāshí Dìqū] уйгураар قەشقەر ۋىلايىتى [Qeshqer Wilayiti] оросоор Округ Кашгар (оросоор = in Russian)
653100|ug-Arab|قەشقەر||https://www.primidi.com/xinjiang/subdivisions|قەشقەر ۋىلايىتى
653100|ug-Cyrl|Қәшқәр||https://kurawa.net/mastah-kampret/gTMnJ3buEWakVGcptWa35Sbu4WZ6MHc0/wiki/Kashgar_Prefecture|Uyghur قەشقەر ۋىلايىتى / Latin Yëziqi Qeshqer Wilayiti / Siril Yëziqi Қәшқәр Вилайити
653101|ug-Arab|قەشقەر||http://harrysworldatlas.blogspot.com/2007/03/china-cn-xinjiang-uyghur-autonomous_1812.html|Qeshqer Metropolitan County (قەشقەر شەھىرى Qeshqer Shehiri/喀什市 Kāshí-shì)
653121|ru|Кона Шехер||https://hmong.ru/wiki/Shufu|также транслитерируемый с уйгурского как округ Конаксахар или округ Конашехер / округ Кона Шехер
653121|ug-Arab|كونا شەھەر||http://www.let.rug.nl/~gosse/termpedia2/termpedia.php?language=dutch_general&density=7&link_color=000000&termpedia_system=perl_db&url=http%3A%2F%2Fen.wikipedia.org%2Fwiki%2FShufu_County|Shufu County 疏附县كونا شەھەر ناھىيىسى ... Uyghur قەشقەر كونا شەھەر ناھىيىسى Literal meaning Kashgar Old Town County
653121|ug-Latn|Kona Sheher||https://hmong.ru/wiki/Shufu|also transliterated from Uyghur as ... Konasheher / Kona Sheher (ru: округ Конашехер / округ Кона Шехер)
653121|ug-Latn|Konasheher||https://debianws.lexgopc.com/wiki143/index.php?title=Shufu_County|also transliterated from Uyghur as Konaxahar County or Konasheher County
653121|ug-Latn|Konaxahar||https://debianws.lexgopc.com/wiki143/index.php?title=Shufu_County|also transliterated from Uyghur as Konaxahar County
653122|ug-Arab|يېڭىشەھەر||https://wap.bdmobi.com/view_html.php?lang=en&q=Shule_County&sq=Albert+Einstein|Shule County 疏勒县 يېڭىشەھەر ناھىيىسى (Uyghur) Yengisheher, Yengixahar
653122|ug-Latn|Yengisheher||https://wap.bdmobi.com/view_html.php?lang=en&q=Shule_County&sq=Albert+Einstein|Shule County, also known as Yengisheher County or Yengixahar County
653123|ug-Arab|يېڭىسار||https://ug.m.wikipedia.org/wiki/%D9%8A%DB%90%DA%AD%D9%89%D8%B3%D8%A7%D8%B1_%D9%86%D8%A7%DA%BE%D9%89%D9%8A%D9%89%D8%B3%D9%89|يېڭىسار ناھىيىسى 英吉沙县.Yengisar County
653124|ug-Arab|پوسكام||https://db0nus869y26v.cloudfront.net/en/Poskam_County,_Xinjiang|Poskam County (Posgam, Uyghur: پوسكام ناھىيىسى), also Zepu County (Chinese: 泽普)
653125|ug-Arab|يەكەن||http://cryer.org.uk/Yarkent_County|Uig: يەكەن (ياركەنت) ناھىيىسى
653125|ug-Arab|ياركەنت||http://cryer.org.uk/Yarkent_County|Uig: يەكەن (ياركەنت) ناھىيىسى
653125|ug-Latn|Yarkent||http://cryer.org.uk/Yarkent_County|Uly: Yeken (Yarkent) Nahiyisi
653126|ug-Arab|قاغىلىق||https://hi.m.wikipedia.org/wiki/%E0%A4%95%E0%A4%BE%E0%A4%B0%E0%A4%97%E0%A4%BF%E0%A4%B2%E0%A4%BF%E0%A4%95|क़ारग़िलिक ज़िला (उइग़ुर: قاغىلىق ناھىيىسى, चीनी: 叶城县, अंग्रेज़ी: Kargilik)
653127|ru|Мекит||https://ru.wikibrief.org/wiki/Makit_County|Округ Макит. مەكىت ناھىيىسى. 麦盖提 县. Мекит, Маркит, Меркет Базар, Майгаити
653127|ug-Arab|مەكىت||http://harrysworldatlas.blogspot.com/2007/03/china-cn-xinjiang-uyghur-autonomous_1812.html|Makit County (مەكىت ناھىيىسى Makit Nahiyisi/麦盖提县)
653128|ug-Arab|يوپۇرغا||https://dewiki.de/Lexikon/Yopurga|Arabisch-Persisch (Kona Yeziⱪ):يوپۇرغا ناھىيىسى ... Kurzzeichen:岳普湖县
653129|ug-Arab|پەيزىۋات||https://decs.abcdef.wiki/wiki/Payzawat|Arabsko-perština (Kona Yeziⱪ) : پەيزىۋات ناھىيىسى / Latinka (Yengi Yeziⱪ) : Pəyziwat naⱨiyisi / Azbuka: Пәйзават наһийиси / Zkratka : 伽师 县
653129|ug-Cyrl|Пәйзават||https://decs.abcdef.wiki/wiki/Payzawat|Azbuka ( Sovětský svaz ): Пәйзават наһийиси
653130|ug-Arab|مارالبېشى||https://review.clateway.com/wiki/view_html.php?q=Maralbexi_County|Uyghur مارالبېشى ناھىيىسى / Yengi Yeziⱪ Maralbexi nah̡iyisi / Siril Yëziqi Маралбеши наһийиси / 巴楚县
653130|ug-Cyrl|Маралбеши||https://review.clateway.com/wiki/view_html.php?q=Maralbexi_County|Siril Yëziqi Маралбеши наһийиси
653131|ug-Arab|تاشقۇرغان||http://cryer.org.uk/Tashkurgan_County|Uig: تاشقۇرغان تاجىك ئاپتونوم ناھىيىسى
653131|ug-Latn|Tashqurghan||http://cryer.org.uk/Tashkurgan_County|Uly: Tashqurghan Tajik Aptonom Nahiyisi
653131|ug-Latn|Taj Qurghan||http://en.wikipedia.org/wiki/Taxkorgan_Tajik_Autonomous_County|(sometimes spelled Tashkorgan, Taxkorgan, Taj Qurghan, etc.)
653200|ug-Arab|خوتەن||https://de.qa.edu.vn/fi/Hotanin_prefektuuri|Hotanin prefektuuri (uiguuriksi خوتەن ۋىلايىتى, Xoten Wilayiti) kiin. 和田地区
653200|ug-Latn|Xoten||https://de.qa.edu.vn/fi/Hotanin_prefektuuri|uiguuriksi خوتەن ۋىلايىتى, Xoten Wilayiti
653200|ug-Cyrl|Хотән||https://review.clateway.com/wiki/view_html.php?q=Hotan_Prefecture|Uyghur خوتەن ۋىلايىتى / Latin Yëziqi Xoten Wilayiti / Siril Yëziqi Хотән Вилайити
653201|ug-Arab|خوتەن||https://en.wikipedia.org/wiki/Hotan_Prefecture|1 Hotan 和田市 Hétián Shì خوتەن شەھىرى Hoten Shehiri
653221|ug-Arab|خوتەن||https://en.wikipedia.org/wiki/Hotan_Prefecture|2 Hotan County 和田县 Hétián Xiàn خوتەن ناھىيىسى Hoten Nahiyisi
653222|ug-Arab|قاراقاش||https://de.qa.edu.vn/fi/Hotanin_prefektuuri|Karakax (Moyu) (kiin. 墨玉县, uiguuriksi قاراقاش ناھىيىسى, Qaraqash Nahiyisi)
653223|ug-Arab|گۇما||https://de.qa.edu.vn/fi/Hotanin_prefektuuri|Pishan (Guma) (kiin. 皮山县, uiguuriksi گۇما ناھىيىسى, Guma Nahiyisi)
653224|ug-Arab|لوپ|weak|https://en.wikipedia.org/wiki/Hotan_Prefecture|5 Lop County 洛浦县 Luòpǔ Xiàn لوپ ناھىيىسى Lop Nahiyisi
653225|ug-Arab|چىرا|abroad|https://de.qa.edu.vn/fi/Hotanin_prefektuuri|Qira (kiin. 策勒县, uiguuriksi چىرا ناھىيىسى, Chira Nahiyisi)
653225|ug-Latn|Chira|abroad|https://de.qa.edu.vn/fi/Hotanin_prefektuuri|uiguuriksi چىرا ناھىيىسى, Chira Nahiyisi
653226|ug-Arab|كېرىيە||https://en.wikipedia.org/wiki/Hotan_Prefecture|7 Yutian County 于田县 Yútián Xiàn كېرىيە ناھىيىسى Kériye Nahiyisi
653226|ug-Latn|Kériye||https://en.wikipedia.org/wiki/Hotan_Prefecture|كېرىيە ناھىيىسى Kériye Nahiyisi
653227|ug-Arab|نىيە||https://en.wikipedia.org/wiki/Niya_County|Niya County (transliterated from the Uyghur نىيە ناھىيىسى ; ), also from Mandarin Chinese as Minfeng County
653227|ug-Latn|Niyă||https://wikiwand.com/en/articles/Niya_County|transliterated from the Uyghur نىيە ناھىيىسى Niyă Nahiyisi ; Chinese: 尼雅县
654000|ug-Arab|ئىلى|abroad|https://www.primidi.com/xinjiang/subdivisions|11 Ili ... ئىلى قازاق ئاپتونوم ئوبلاستى Ili QazaQ Aptonom Oblasti 伊犁哈萨克自治州
654002|kk|Құлжа||https://kaz.inform.kz/news/kulzha-nesmen-tartimdi-kandastardin-konakzhayligi-turisterd-tant-ett-39c8c5/|Құлжа (Инин) қаласы
654002|kk-Arab|قۇلجا||http://wiki-org.ru/wiki/%D0%9A%D1%83%D0%BB%D1%8C%D0%B4%D0%B6%D0%B0|каз. قۇلجا, Құлжа
654002|ru|Кульджа||http://wiki-org.ru/wiki/%D0%9A%D1%83%D0%BB%D1%8C%D0%B4%D0%B6%D0%B0|Кульджа́ (уйг. غۇلجا, Ғулҗа, каз. قۇلجا, Құлжа) или Ини́н (кит. упр. 伊宁) — городской уезд
654002|ru|Инин||http://wiki-org.ru/wiki/%D0%9A%D1%83%D0%BB%D1%8C%D0%B4%D0%B6%D0%B0|Кульджа́ (уйг. غۇلجا, Ғулҗа, каз. قۇلجا, Құлжа) или Ини́н (кит. упр. 伊宁) — городской уезд
654002|ug-Arab|غۇلجا||http://wiki-org.ru/wiki/%D0%9A%D1%83%D0%BB%D1%8C%D0%B4%D0%B6%D0%B0|Кульджа́ (уйг. غۇلجا, Ғулҗа, каз. قۇلجا, Құлжа)
654003|ug-Arab|كۈيتۇن||https://tr.wikijaa.ru/wiki/Kuytun|Kuytun 奎屯 市 · كۈيتۇن شەھىرى
654021|kk-Latn|Qulja||https://de.m.wikipedia.org/wiki/Gulja_(Kreis)|Gulja (Yining) (Kasachisch: قۇلجا اۋدانى / Құлжа ауданы / Qulja Awdanı) ist ein Kreis ... Ili
654021|ug-Arab|غۇلجا||https://de.m.wikipedia.org/wiki/Gulja_(Kreis)|Arabisch-Persisch (Kona Yeziⱪ): غۇلجا ناھىيىس ... 伊宁县
654022|ug-Arab|چاپچال||https://en.wikipedia.org/wiki/Qapqal_Xibe_Autonomous_County|Native name: 察布查尔县 • , چاپچال ناھىيىسى, شاپشال اۋدانى ... also transliterated as Chapchal
654022|kk-Arab|شاپشال||https://en.wikipedia.org/wiki/Qapqal_Xibe_Autonomous_County|Native name: 察布查尔县 • , چاپچال ناھىيىسى, شاپشال اۋدانى
654022|kk-Latn|Şapşal||https://de.wikiup.org/wiki/Qapqal|kasachisch شاپشال سىبە اۆتونوميالى اۋدانى Şapşal Sibe Avtonomyalı Awdanı
654022|ug-Latn|Chapchal||https://en.wikipedia.org/wiki/Qapqal_Xibe_Autonomous_County|also transliterated as Chapchal
654023|ug-Arab|قورغاس|abroad|https://en.wikipedia.org/wiki/Huocheng|Huocheng (Korgas) County (... Uyghur: قورغاس ناھىيىسى, Қорғас Наһийиси, ULY: Qorghas Nahiyisi ...)
654023|ug-Cyrl|Қорғас|abroad|https://en.wikipedia.org/wiki/Huocheng|Uyghur: قورغاس ناھىيىسى, Қорғас Наһийиси, ULY: Qorghas Nahiyisi
654023|kk-Arab|قورعاس|abroad|https://everything.explained.today/Huocheng_County/|also transliterated from Uyghur as Korgas County (; in Kazakh: Kazakh: قورعاس اۋدانى;)
654024|ug-Arab|توققۇزتارا||http://de.wikipedia.org/wiki/Tokkuztara|Arabisch-Persisch (Kona Yeziⱪ): توققۇزتارا ناھىيىسى / Lateinisch (Yengi Yeziⱪ): Tokkuztara Nahiyisi / Kurzzeichen: 巩留县
654024|kk-Arab|توعىزتاراۋ||https://en.wikipedia.org/wiki/Gongliu_County|Kazakh name توعىزتاراۋ اۋدانى / Kazakh Cyrillic: Тоғызтарау ауданы
654024|kk|Тоғызтарау||https://en.wikipedia.org/wiki/Gongliu_County|Kazakh Cyrillic: Тоғызтарау ауданы / Kazakh Latin alphabet: Tog'yztaray' ay'dany
654024|kk-Latn|Toǵyztaraý||https://world.wikisort.org/china/en/China/Gongliu_County|Kazakh Cyrillic: Тоғызтарау ауданы / Kazakh Latin alphabet: Toǵyztaraý aýdany
654024|kk-Latn|Toğıztaraw||https://world.wikisort.org/china/de/China/Tokkuztara|Tokkuztara, auch: Gongliu (kasachisch توعىزتاراۋ اۋدانى Toğıztaraw Awdanı)
654026|ug-Arab|موڭغۇلكۈرە||https://de.wiki.li/Mongolk%C3%BCre|Arabisch-Persisch (Kona Yeziⱪ): موڭغۇلكۈرە ناھىيىسى / Lateinisch (Yengi Yeziⱪ): Mongƣulkürə Naⱨiyisi / Kurzzeichen: 昭苏县
654026|kk-Arab|موڭعۇلكۇرە||https://de.wiki.li/Mongolk%C3%BCre|Mongolküre oder Zhaosu (kasachisch موڭعۇلكۇرە اۋدانى Moñğulküre Awdanı)
654026|kk-Latn|Moñğulküre||https://de.wiki.li/Mongolk%C3%BCre|kasachisch موڭعۇلكۇرە اۋدانى Moñğulküre Awdanı
654026|mn-Latn|Moŋgolküree||https://en.wikipedia.org/wiki/Zhaosu_County|Zhaosu (Mongolküre) County (Todo Mongolian: ... Moŋgolküree; Chinese: 昭苏县)
654027|ug-Arab|تېكەس|abroad|https://de.wikipedia.org/wiki/Tekes_(Kreis)|Arabisch-Persisch (Kona Yeziⱪ): تېكەس ناھىيىسى / Lateinisch (Yengi Yeziⱪ): Tekes Nahiyisi / Kurzzeichen: 特克斯县
654028|ug-Arab|نىلقا||https://fa.wikipedia.org/wiki/%D8%B4%D9%87%D8%B1%D8%B3%D8%AA%D8%A7%D9%86_%D9%86%DB%8C%D9%84%D9%82%D8%A7|شهرستان نیلقا (به اویغوری: نىلقا ناھىيىسى، به قزاقی: نىلقى اۋدانى)(به چینی: 尼勒克县)
654028|kk-Arab|نىلقى||https://fa.wikipedia.org/wiki/%D8%B4%D9%87%D8%B1%D8%B3%D8%AA%D8%A7%D9%86_%D9%86%DB%8C%D9%84%D9%82%D8%A7|به قزاقی: نىلقى اۋدانى ... 尼勒克县
654200|ug-Arab|تارباغاتاي|abroad|https://www.primidi.com/xinjiang/subdivisions|تارباغاتاي ۋىلايىتى
654200|ug-Latn|Tarbaghatay|abroad|https://www.primidi.com/xinjiang/subdivisions|3 Tarbagatay Qoqek تارباغاتاي ۋىلايىتى Tarbaghatay Wilayiti 塔城地区
654200|ru|Чугучак||http://wiki-org.ru/wiki/%D0%A7%D0%B0%D0%BD%D1%86%D0%B7%D0%B8-%D0%A5%D1%83%D1%8D%D0%B9%D1%81%D0%BA%D0%B8%D0%B9_%D0%B0%D0%B2%D1%82%D0%BE%D0%BD%D0%BE%D0%BC%D0%BD%D1%8B%D0%B9_%D0%BE%D0%BA%D1%80%D1%83%D0%B3|На севере и западе округ граничит с округами Алтай и Чугучак Или-Казахского автономного округа
654201|ug-Arab|چۆچەك||https://infogalactic.com/info/Tacheng|Tacheng 塔城市 شاۋەشەك قالاسى چۆچەك شەھىرى (Chinese) • (Uyghur) • (Kazakh) ... Tacheng (Qoqek/Sawesek) or Chöchek
654201|kk-Arab|شاۋەشەك||https://wiki.richxsearch.com/view_html.php?lang=en&q=Tacheng&sq=the+Russian+Federation+|Uyghur name Uyghur چۆچەك / Kazakh name Kazakh شاۋەشەك Sháýeshek
654201|kk-Latn|Sháýeshek||https://wiki.richxsearch.com/view_html.php?lang=en&q=Tacheng&sq=the+Russian+Federation+|Kazakh name Kazakh شاۋەشەك Sháýeshek
654201|ug-Latn|Qöqäk||https://infogalactic.com/info/Tacheng|The current Uyghur name is Qöqäk Xäĥri.
654202|ug-Arab|ۋۇسۇ||https://en.wikipedia.org/wiki/Wusu|Wusu (Sixw) (Uyghur: ۋۇسۇ, Усу; simplified Chinese: 乌苏 ... also known as Usu; Kazakh: وسۋ, Шихв)
654202|ug-Cyrl|Усу|abroad|https://en.wikipedia.org/wiki/Wusu|Uyghur: ۋۇسۇ, Усу; simplified Chinese: 乌苏
654202|kk-Arab|وسۋ||https://en.wikipedia.org/wiki/Wusu|also known as Usu; Kazakh: وسۋ, Шихв
654203|ug-Arab|ساۋەن||https://perceptiofi.com/Шавань_(Чугучак)|Shawanin piirikunta ( Uyg . ساۋەن ناھىيىسى; Saven Nahiyisi , Kaz . ساۋان اۋدانى ; Kiinan 沙湾县
654203|kk-Arab|ساۋان||https://perceptiofi.com/Шавань_(Чугучак)|Kaz . ساۋان اۋدانى ; Kiinan 沙湾县
654221|ug-Arab|دۆربىلجىن||https://friendlywiki.com/article/index.php?title=Emin_County|uig=دۆربىلجىن ناھىيىسى / uly=Dörbiljin Nahiyisi / usy=Дөрбилҗин Наһийиси / s=额敏县
654221|ug-Cyrl|Дөрбилҗин||https://friendlywiki.com/article/index.php?title=Emin_County|usy=Дөрбилҗин Наһийиси
654221|kk-Arab|ءدوربىلجىن||http://wikipedia.moesalih.com/Emin_County|Kazakh name Kazakh ءدوربىلجىن اۋدانى / Kazakh Cyrillic: Дөрбілжін ауданы / Kazakh Latin alphabet: Dórbiljin aýdany
654221|kk|Дөрбілжін||http://wikipedia.moesalih.com/Emin_County|Kazakh Cyrillic: Дөрбілжін ауданы
654221|kk-Latn|Dórbiljin||http://wikipedia.moesalih.com/Emin_County|Kazakh Latin alphabet: Dórbiljin aýdany
654221|mn|Дөрвөлжин|weak|https://friendlywiki.com/article/index.php?title=Emin_County|mong = ᠳᠥᠷᠪᠡᠯᠵᠢᠨ ᠰᠢᠶᠠᠨ / monr = Dörbeljin siyan / mon = Дөрвөлжин шянь
654224|ug-Arab|تولى||https://wiki.kamerun13.de/content/wikipedia_de_all_maxi_2025-09/Toli|Toli (chinesisch 托里县, Pinyin Tuōlǐ Xiàn, uigurisch تولى ناھىيىسى Toli Naⱨiyisi; kasachisch تولى اۋدانى Tolı Awdanı)
654224|kk-Latn|Tolı||https://wiki.kamerun13.de/content/wikipedia_de_all_maxi_2025-09/Toli|kasachisch تولى اۋدانى Tolı Awdanı
654226|ug-Arab|قوبۇقسار||https://db0nus869y26v.cloudfront.net/en/Hoboksar_Mongol_Autonomous_County|Hoboksar County 和布克赛尔县 (Chinese) قوبۇقسار ناھىيىسى (Uyghur) Qobuqsar, Hefeng
654226|kk-Arab|قوبىقسارى||https://db0nus869y26v.cloudfront.net/en/Hoboksar_Mongol_Autonomous_County|Kazakh قوبىقسارى موڭعۇل اۆتونوميالىق اۋدانى Qobyqsary Mońǵul avtonomıaly aýdany Қобықсары Моңғұл автономйалы ауданы
654226|kk-Latn|Qobyqsary||https://db0nus869y26v.cloudfront.net/en/Hoboksar_Mongol_Autonomous_County|Qobyqsary Mońǵul avtonomıaly aýdany
654226|kk|Қобықсары||https://db0nus869y26v.cloudfront.net/en/Hoboksar_Mongol_Autonomous_County|Қобықсары Моңғұл автономйалы ауданы
654226|mn|Ховогсайр||https://en.wikipedia.org/wiki/Hoboksar_Mongol_Autonomous_County|The name Hoboksar (Ховогсайр) is a portmanteau of "Hobok" (ховог) and "Sar" (сайр) from the Mongolian language
654300|ug-Arab|ئالتاي|abroad|https://www.primidi.com/xinjiang/subdivisions|ئالتاي ۋىلايىتى
654301|ug-Arab|ئالتاي|abroad|https://de.teknopedia.teknokrat.ac.id/wiki/Altay_(Stadt)|Die Stadt Altay (chinesisch 阿勒泰市, Pinyin Ālètài Shì, uigurisch ئالتاي شەھىرى Altay Xəⱨiri, kasachisch التاي قالاسى Altay qalası)
654301|kk-Arab|التاي|abroad|https://de.teknopedia.teknokrat.ac.id/wiki/Altay_(Stadt)|kasachisch التاي قالاسى Altay qalası
654321|ug-Arab|بۇرچىن||https://ru-wikipedia--on--ipfs-org.ipns.dweb.link/wiki/%D0%91%D1%83%D1%80%D1%87%D1%83%D0%BD|Бурчун (каз. بۋىرشىن اۋدانى ; Буыршын ; кит. упр. 布尔津 ... уйг. بۇرچىن ; Бурчин) — уезд в округе Алтай
654321|ug-Cyrl|Бурчин||https://ru-wikipedia--on--ipfs-org.ipns.dweb.link/wiki/%D0%91%D1%83%D1%80%D1%87%D1%83%D0%BD|уйг. بۇرچىن ; Бурчин
654321|kk-Arab|بۋىرشىن||https://ru-wikipedia--on--ipfs-org.ipns.dweb.link/wiki/%D0%91%D1%83%D1%80%D1%87%D1%83%D0%BD|каз. بۋىرشىن اۋدانى ; Буыршын
654321|kk|Буыршын||https://ru-wikipedia--on--ipfs-org.ipns.dweb.link/wiki/%D0%91%D1%83%D1%80%D1%87%D1%83%D0%BD|каз. بۋىرشىن اۋدانى ; Буыршын
654321|ru|Бурчун||https://ru-wikipedia--on--ipfs-org.ipns.dweb.link/wiki/%D0%91%D1%83%D1%80%D1%87%D1%83%D0%BD|Бурчун ... — уезд в округе Алтай Или-Казахского автономного округа Синьцзян-Уйгурского автономного района Китая
654322|ug-Latn|Köktoqay||https://kk.m.wikipedia.org/wiki/%D0%9A%D3%A9%D0%BA%D1%82%D0%BE%D2%93%D0%B0%D0%B9_%D0%B0%D1%83%D0%B4%D0%B0%D0%BD%D1%8B|Көктоғай ауданы (ұйғ. ... ناھىيىسى; Köktoqay nahiyisi, қаз. كوكتوعاي اۋدانى; Көктоғай ауданы) немесе Фуюн уезі (қыт. 富蕴县)
654322|kk-Arab|كوكتوعاي||https://kk.m.wikipedia.org/wiki/%D0%9A%D3%A9%D0%BA%D1%82%D0%BE%D2%93%D0%B0%D0%B9_%D0%B0%D1%83%D0%B4%D0%B0%D0%BD%D1%8B|қаз. كوكتوعاي اۋدانى; Көктоғай ауданы
654322|kk|Көктоғай|abroad|https://kk.m.wikipedia.org/wiki/%D0%9A%D3%A9%D0%BA%D1%82%D0%BE%D2%93%D0%B0%D0%B9_%D0%B0%D1%83%D0%B4%D0%B0%D0%BD%D1%8B|Басқа мағыналар үшін Көктоғай деген бетті қараңыз. Көктоғай ауданы ... немесе Фуюн уезі (қыт. 富蕴县)
654323|ug-Arab|بۇرۇلتوقاي||https://en.m.wikipedia.org./wiki/Fuhai_County|Uyghur name Uyghur بۇرۇلتوقاي ناھىيىسى / Latin Yëziqi Burultoqay nahiyisi / Siril Yëziqi Бурултоқай наһийиси
654323|ug-Cyrl|Бурултоқай||https://en.m.wikipedia.org./wiki/Fuhai_County|Siril Yëziqi Бурултоқай наһийиси
654323|kk-Arab|بۋرىلتوعاي||https://en.m.wikipedia.org./wiki/Fuhai_County|Kazakh name Kazakh بۋرىلتوعاي اۋدانى / Kazakh Cyrillic: Бурылтоғай ауданы / Kazakh Latin alphabet: Býryltoǵaı aýdany
654323|kk|Бурылтоғай||https://en.m.wikipedia.org./wiki/Fuhai_County|Kazakh Cyrillic: Бурылтоғай ауданы
654323|kk-Latn|Býryltoǵaı||https://en.m.wikipedia.org./wiki/Fuhai_County|Kazakh Latin alphabet: Býryltoǵaı aýdany
654325|ug-Arab|چىڭگىل||https://friendlywiki.com/article/index.php?title=Qinggil_County|native name/ug-Arab/چىڭگىل ناھىيىسى ... native name/kk-Arab/شىڭگىل اۋدانى ... other_name = Chinggil, Qinghe
654325|kk-Arab|شىڭگىل||https://friendlywiki.com/article/index.php?title=Qinggil_County|native name/kk-Arab/شىڭگىل اۋدانى
659001|ug-Arab|شىخەنزە||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Shihezi City 石河子 市 شىخەنزە شەھىرى Şihenze Şehiri
659002|ug-Arab|ئارال|abroad|https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Byen Aral 阿拉尔 市 ئارال شەھىرى Aral Şehiri
659003|ug-Arab|تۇمشۇق||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Tumushuke City 图木舒克 市 تۇمشۇق شەھىرى Tumşuk Şehiri
659003|ug-Latn|Tumşuk||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|تۇمشۇق شەھىرى Tumşuk Şehiri (Turkish-alphabet ş = sh)
659004|ug-Arab|ۋۇجياچۈ||https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang|Byen Wujiaqu 五 家 渠 市 Wǔjiāqú Shì ۋۇجياچۈ شەھىرى Vucyaçü Şehiri
659009|ug-Arab|قۇرۇمقاش||https://defi.xcv.wiki/wiki/Kunyu|Kunyu (myös: Kurumkasch ; kiina 昆 玉 市 ... uiguuri قۇرۇمقاش شەھىرى, Yengi Ⱪurumⱪax Xəⱨiri )
652324|zh-alt|绥来县||https://uz.wikinlu.ru/wiki/Manas_County|Muqobil xitoycha ism / Soddalashtirilgan xitoy tili 绥 来 县 / An'anaviy xitoy 綏 來 縣
652324|zh-alt|綏來縣||https://uz.wikinlu.ru/wiki/Manas_County|Muqobil xitoycha ism / Soddalashtirilgan xitoy tili 绥 来 县 / An'anaviy xitoy 綏 來 縣
653130|zh-alt|巴尔楚克县||https://review.clateway.com/wiki/view_html.php?q=Maralbexi_County|Alternative Chinese name / Traditional Chinese 巴爾楚克縣 / Simplified Chinese 巴尔楚克县
653130|zh-alt|巴爾楚克縣||https://review.clateway.com/wiki/view_html.php?q=Maralbexi_County|Alternative Chinese name / Traditional Chinese 巴爾楚克縣 / Simplified Chinese 巴尔楚克县
653130|zh-alt|玛热勒巴什县||https://review.clateway.com/wiki/view_html.php?q=Maralbexi_County|Second alternative Chinese name / Traditional Chinese 瑪熱勒巴什縣 / Simplified Chinese 玛热勒巴什县
653130|zh-alt|瑪熱勒巴什縣||https://review.clateway.com/wiki/view_html.php?q=Maralbexi_County|Second alternative Chinese name / Traditional Chinese 瑪熱勒巴什縣 / Simplified Chinese 玛热勒巴什县
653201|zh-alt|和阗||https://wikiclassic.com/wiki/Hotan,_China|Alternative Chinese name / Simplified Chinese 和阗 / Traditional Chinese 和闐 / Hanyu Pinyin Hétián
653201|zh-alt|和闐||https://wikiclassic.com/wiki/Hotan,_China|Alternative Chinese name / Simplified Chinese 和阗 / Traditional Chinese 和闐 / Hanyu Pinyin Hétián
654221|zh-alt|杜尔布勒津县||http://wikipedia.moesalih.com/Emin_County|Alternative Chinese name / Simplified Chinese 杜尔布勒津县 / Traditional Chinese 杜爾布勒津縣
654221|zh-alt|杜爾布勒津縣||http://wikipedia.moesalih.com/Emin_County|Alternative Chinese name / Simplified Chinese 杜尔布勒津县 / Traditional Chinese 杜爾布勒津縣
650402|ug-Arab|قاراھوجا||http://www.let.rug.nl/~gosse/termpedia2/termpedia.php?language=dutch_general&density=7&link_color=000000&termpedia_system=perl_db&url=http%3A%2F%2Fen.wikipedia.org%2Fwiki%2FGaochang_District|Gaochang (Uyghur: قاراھوجا, Қарахоҗа, ULY: Qarahoja ; Chinese: 高昌; pinyin: Gāochāng)
650402|ug-Cyrl|Қарахоҗа||http://www.let.rug.nl/~gosse/termpedia2/termpedia.php?language=dutch_general&density=7&link_color=000000&termpedia_system=perl_db&url=http%3A%2F%2Fen.wikipedia.org%2Fwiki%2FGaochang_District|Gaochang (Uyghur: قاراھوجا, Қарахоҗа, ULY: Qarahoja ; Chinese: 高昌)
650502|ug-Arab|ئىۋىرغول||http://www.let.rug.nl/~gosse/termpedia2/termpedia.php?language=dutch_general&density=7&link_color=000000&termpedia_system=perl_db&url=http%3A%2F%2Fen.wikipedia.org%2Fwiki%2FYizhou_District%2C_Hami|Yizhou (Uyghur: ئىۋىرغول رايونى, Ивирғол, ULY: Iwirghol; Chinese: 伊州; pinyin: Yīzhōu)
650502|ug-Cyrl|Ивирғол||http://www.let.rug.nl/~gosse/termpedia2/termpedia.php?language=dutch_general&density=7&link_color=000000&termpedia_system=perl_db&url=http%3A%2F%2Fen.wikipedia.org%2Fwiki%2FYizhou_District%2C_Hami|Yizhou (Uyghur: ئىۋىرغول رايونى, Ивирғол, ULY: Iwirghol)
650521|ug-Arab|باركۆل||https://howlingpixel.com/i-en/Bark%C3%B6l_Kazakh_Autonomous_County|Barköl County باركۆل ناھىيىسى ... Uyghur name باركۆل قازاق ئاپتونوم ناھىيىسى
650521|kk-Arab|باركول||https://howlingpixel.com/i-en/Bark%C3%B6l_Kazakh_Autonomous_County|Kazakh name / Kazakh باركول قازاق اۆتونوميالى اۋدانى / Баркөл Қазақ аутономиялық ауданы / Barkól Qazaq aýtonomııalyq aýdany
650521|kk|Баркөл||https://howlingpixel.com/i-en/Bark%C3%B6l_Kazakh_Autonomous_County|Kazakh name ... Баркөл Қазақ аутономиялық ауданы
650521|kk-Latn|Barkól||https://howlingpixel.com/i-en/Bark%C3%B6l_Kazakh_Autonomous_County|Kazakh name ... Barkól Qazaq aýtonomııalyq aýdany
650521|ru|Баркёль||https://perceptiode.com/%D0%91%D0%B0%D1%80%D0%BA%D1%91%D0%BB%D1%8C-%D0%9A%D0%B0%D0%B7%D0%B0%D1%85%D1%81%D0%BA%D0%B8%D0%B9_%D0%B0%D0%B2%D1%82%D0%BE%D0%BD%D0%BE%D0%BC%D0%BD%D1%8B%D0%B9_%D1%83%D0%B5%D0%B7%D0%B4|Баркёль-Казахский автономный уезд ( кит. упр. 巴里坤哈萨克自治县 ... ) — автономный уезд в городском округе Хами
650521|zh-alt|镇西县||https://howlingpixel.com/i-en/Bark%C3%B6l_Kazakh_Autonomous_County|Alternative Chinese name / Traditional Chinese 鎮西縣 / Simplified Chinese 镇西县
650521|zh-alt|鎮西縣||https://howlingpixel.com/i-en/Bark%C3%B6l_Kazakh_Autonomous_County|Alternative Chinese name / Traditional Chinese 鎮西縣 / Simplified Chinese 镇西县
652302|ug-Arab|فۇكاڭ||https://de.wikial.top/wiki/Changji_Hui_Autonomous_Prefecture|Stadt Fukang / 阜康 市 / Fùkāng Shì / ... / فۇكاڭ شەھىرى / Fukang Shehiri
652323|ug-Arab|قۇتۇبى||http://en.wikipedia.org/wiki/Hutubi_County|The Hutubi (Qutubi) County (... 呼图壁县 ...; Uyghur: قۇتۇبى ناھىيىسى, ULY: Qutubi Nahiyisi, UYY: K̡utubi Nah̡iyisi?)
652323|zh-alt|景化县||https://db0nus869y26v.cloudfront.net/en/Hutubi_County|Alternative Chinese name / Simplified Chinese 景化县 / Traditional Chinese 景化縣
652323|zh-alt|景化縣||https://db0nus869y26v.cloudfront.net/en/Hutubi_County|Alternative Chinese name / Simplified Chinese 景化县 / Traditional Chinese 景化縣
652325|ug-Arab|گۇچۇڭ||https://en.wikipedia.org/wiki/Qitai_County|Qitai County (), also known as Gucheng County (; گۇچۇڭ ناھىيىسى)
652325|ug-Latn|Guqung||https://www.wikiwand.com/en/articles/Qitai_County|also transliterated from Uyghur as Guqung County or Gucheng County (Uyghur: گۇچۇڭ ناھىيىسى; Chinese: 古城县)
652325|zh-alt|古城县|weak|https://www.wikiwand.com/en/articles/Qitai_County|also transliterated from Uyghur as Guqung County or Gucheng County (Uyghur: گۇچۇڭ ناھىيىسى; Chinese: 古城县)
652327|ug-Arab|جىمىسار||https://fanyv88.com/https/en.m.wikipedia.org/wiki/Jimsar_County|Jimsar County / Simplified Chinese 吉木萨尔县 ... Uyghur name / Uyghur جىمىسار ناھىيىسى
652327|zh-alt|孚远县||https://fanyv88.com/https/en.m.wikipedia.org/wiki/Jimsar_County|Alternative Chinese name / Simplified Chinese 孚远县 / Traditional Chinese 孚遠縣 ... it was known as Fuyuan (孚远) until 1952
652327|zh-alt|孚遠縣||https://fanyv88.com/https/en.m.wikipedia.org/wiki/Jimsar_County|Alternative Chinese name / Simplified Chinese 孚远县 / Traditional Chinese 孚遠縣
652723|ug-Arab|ئارىشاڭ||https://en.wikipedia.org/wiki/Wenquan_County|The Wenquan (Arixang) County or Arishang County (Uyghur: ئارىشاڭ ناھىيىسى, Аришаң Наһийиси, ULY: Arishang Nahiyisi)
652723|ug-Cyrl|Аришаң||https://en.wikipedia.org/wiki/Wenquan_County|Uyghur: ئارىشاڭ ناھىيىسى, Аришаң Наһийиси, ULY: Arishang Nahiyisi
652723|zh-alt|阿日相县||https://db0nus869y26v.cloudfront.net/en/Wenquan_County|Alternative Chinese name / Simplified Chinese 阿日相县 / Traditional Chinese 阿日相縣
652723|zh-alt|阿日相縣||https://db0nus869y26v.cloudfront.net/en/Wenquan_County|Alternative Chinese name / Simplified Chinese 阿日相县 / Traditional Chinese 阿日相縣
652823|ug-Arab|لوپنۇر||https://sagapedia.com/tr/Lopnur_%C4%B0l%C3%A7esi|Lopnur İlçesi (Uygurca: لوپنۇر ناھىيىسى, Lopnur Nahiyisi, Çince: 尉犁县/尉犁縣; Pinyin: Yùlí Xiàn)
652823|ru|Лопнур||https://xn--h1ajim.xn--p1ai/%D0%9B%D0%BE%D0%BF-%D0%9D%D1%83%D1%80|Уезд Лопнур (уйг. لوپنۇر ناھىيىسى, Lopnur Nahiyisi) или уезд Юйли (кит. упр. 尉犁县) — уезд Баян-Гол-Монгольского автономного округа
652825|ug-Arab|چەرچەن||https://en.wikipedia.org/wiki/Qiemo_County|Qiemo County () as the official romanized name, also transliterated from Uyghur as Qarqan County (Uyghur: چەرچەن ناھىيىسى; )
652825|ug-Cyrl|Чәрчән||https://gateway.ipfs.io/ipfs/QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco/wiki/Qiemo.html|The Cherchen County (Chinese: 且末; pinyin: Qiěmò, Uyghur: Чәрчән Наһийиси)
652825|zh-alt|恰尔羌县||https://en.wikipedia.org/wiki/Qiemo_County|Alternative Chinese name / Simplified Chinese 恰尔羌县 / Traditional Chinese 恰爾羌縣
652825|zh-alt|恰爾羌縣||https://en.wikipedia.org/wiki/Qiemo_County|Alternative Chinese name / Simplified Chinese 恰尔羌县 / Traditional Chinese 恰爾羌縣
652826|ug-Arab|يەنجى||https://db0nus869y26v.cloudfront.net/en/Yanqi_Hui_Autonomous_County|Yanqi Hui Autonomous County / 焉耆回族自治县 (Chinese) / يەنجى خۇيزۇ ئاپتونوم ناھىيىسى (Uighur) / Kara Shahr; Yenki
652828|ug-Arab|خوشۇت||https://friendlywiki.com/article/index.php?title=Hoxud_County|native name/ug-Arab/خوشۇت ناھىيىسى ... uig=خوشۇت ناھىيىسى / uly=Xoshut nahiyisi / uyy=Hoxut naⱨiyisi / usy=Хошут наһийиси
652828|ug-Latn|Hoxut||https://friendlywiki.com/article/index.php?title=Hoxud_County|uly=Xoshut nahiyisi / uyy=Hoxut naⱨiyisi / sgs=Hoxut Nahiyisi
652828|ug-Cyrl|Хошут||https://friendlywiki.com/article/index.php?title=Hoxud_County|usy=Хошут наһийиси
652828|mn|Хошууд|abroad|https://wikiclassic.com/wiki/Hoxud_County|Mongolian name / Mongolian Cyrillic / Хошууд сиан / Mongolian script ᠬᠣᠱᠤᠳ ᠰᠢᠨ
652829|ug-Arab|باغراش||https://wikisum.wiki/wiki/Bohu_County|Bohu County (Chinese: 博湖县) as the official romanized name, also transliterated from Uyghur as Bagrax County (Uyghur: باغراش ناھىيىسى; Chinese: 博斯腾县)
652829|ug-Cyrl|Бағраш||https://en.wikipedia.org/wiki/Bohu_County|Bohu County, also called Baĝrax, Baghrash (Бағраш) in Uyghur language
652829|mn|Бостнуур||https://kk.wikicsu.ru/wiki/Bohu_County|Моңғолия атауы / Моңғол кириллицасы Бостнуур шянь
652829|zh-alt|博斯腾县||https://wikisum.wiki/wiki/Bohu_County|also transliterated from Uyghur as Bagrax County (Uyghur: باغراش ناھىيىسى; Chinese: 博斯腾县)
652829|zh-alt|博斯騰縣||https://kk.wikicsu.ru/wiki/Bohu_County|Қытайдың балама атауы / Жеңілдетілген қытай 博斯 腾 县 / Дәстүрлі қытай 博斯 騰 縣 (spaces of the page dropped)
654004|ug-Arab|قورغاس|abroad|https://ergngevd.top/wiki/Khorgos|Khorgos / 霍尔果斯市 (Chinese) / قورعاس قالاسى (Kazakh) / قورغاس شەھىرى (Uyghur) ... on the Kazakh side of the border is a city also named Horgos in Russian and Korgas in Kazakh
654004|kk-Arab|قورعاس|abroad|https://ergngevd.top/wiki/Khorgos|Kazakh name / Kazakh قورعاس قالاسى / Қорғас қаласы / Qorğas qalası
654004|kk|Қорғас|abroad|https://ergngevd.top/wiki/Khorgos|Kazakh name / Kazakh قورعاس قالاسى / Қорғас қаласы / Qorğas qalası
654004|kk-Latn|Qorğas|abroad|https://ergngevd.top/wiki/Khorgos|Kazakh name ... Qorğas qalası
654004|ru|Хоргос|abroad|https://ergngevd.top/wiki/Khorgos|Russian name / Russian Хоргос / Romanization Khorgos ... a city also named Horgos in Russian (Kazakhstan)
654225|ug-Arab|چاغانتوقاي||https://dkwiki.dk/OrdBog/Tacheng|6 / Yumin / 裕民县 / Yùmín Xiàn / چاغانتوقاي ناھىيىسى / Chaghantoqay Nahiyisi
654326|ug-Arab|جېمىنەي||http://www.let.rug.nl/~gosse/termpedia2/termpedia.php?language=dutch_general&density=7&link_color=000000&termpedia_system=perl_db&url=http%3A%2F%2Fen.wikipedia.org%2Fwiki%2FJeminay_County|Jeminay County / Simplified Chinese 吉木乃县 / Uyghur name / Uyghur جېمىنەي ناھىيىسى
654326|kk-Arab|جەمەنەي||http://www.let.rug.nl/~gosse/termpedia2/termpedia.php?language=dutch_general&density=7&link_color=000000&termpedia_system=perl_db&url=http%3A%2F%2Fen.wikipedia.org%2Fwiki%2FJeminay_County|Kazakh name / Kazakh جەمەنەي اۋدانى / Kazakh Cyrillic: Жеменей ауданы / Kazakh Latin alphabet: Jemeneı aýdany
654326|kk|Жеменей||http://www.let.rug.nl/~gosse/termpedia2/termpedia.php?language=dutch_general&density=7&link_color=000000&termpedia_system=perl_db&url=http%3A%2F%2Fen.wikipedia.org%2Fwiki%2FJeminay_County|Kazakh Cyrillic: Жеменей ауданы
654326|kk-Latn|Jemeneı||http://www.let.rug.nl/~gosse/termpedia2/termpedia.php?language=dutch_general&density=7&link_color=000000&termpedia_system=perl_db&url=http%3A%2F%2Fen.wikipedia.org%2Fwiki%2FJeminay_County|Kazakh Latin alphabet: Jemeneı aýdany
659005|ug-Arab|بەيتۈن||https://tomorrow.paperai.life/https://wikipedia.org/wiki/Beitun,_Xinjiang|Beitun / 北屯市 (Chinese) / بەيتۈن شەھىرى (Uyghur) / بەيتۇن قالاسى (Kazakh) ... Uyghur name / Uyghur بەيتۈن / Latin Yëziqi Beatün / Siril Yëziqi Бәатүн
659005|ug-Latn|Beatün||https://tomorrow.paperai.life/https://wikipedia.org/wiki/Beitun,_Xinjiang|Uyghur name / Uyghur بەيتۈن / Latin Yëziqi Beatün / Yengi Yeziⱪ Bəatün / SASM/GNC Baatün / Siril Yëziqi Бәатүн
659005|ug-Cyrl|Бәатүн||https://tomorrow.paperai.life/https://wikipedia.org/wiki/Beitun,_Xinjiang|Siril Yëziqi Бәатүн
659005|kk-Arab|بەيتۇن||https://tomorrow.paperai.life/https://wikipedia.org/wiki/Beitun,_Xinjiang|بەيتۇن قالاسى (Kazakh)
659006|ug-Arab|باشئەگىم||http://wikipedia.moesalih.com/Tiemenguan_City|Tiemenguan City / باشئەگىم شەھىرى ... Uyghur name / Uyghur باشئەگىم
659007|ug-Arab|قوشئۆگۈز||https://de.xcv.wiki/wiki/Shuanghe|Shuanghe / 双河市 / قوشئۆگۈز شەھىرى ... Uigurischer Name / Uiguren قوشئۆگۈز
659007|zh-alt|霍索固兹||https://de.xcv.wiki/wiki/Shuanghe|Alternativer chinesischer Name / Chinesisch 霍索 固 兹 (spaces of the page dropped)
659012|ug-Arab|بەيياڭ||https://earthspot.org/info/en/?search=Baiyang,_Xinjiang|Baiyang / 白杨市 ( Chinese) / بەيياڭ شەھىرى ( Uyghur) / بايياڭ قالاسى ( Kazakh)
659012|kk-Arab|بايياڭ||https://earthspot.org/info/en/?search=Baiyang,_Xinjiang|بايياڭ قالاسى ( Kazakh)
654200|kk-Arab|تارباعاتاي|abroad|https://hessslslslsls.azureedge.net/wiki/Tacheng_Prefecture|Kazakh name / Kazakh تارباعاتاي ايماعى Tarbaǵataı Aımaǵy Тарбағатай аймағы
654200|kk|Тарбағатай|abroad|https://hessslslslsls.azureedge.net/wiki/Tacheng_Prefecture|Kazakh name / Kazakh تارباعاتاي ايماعى Tarbaǵataı Aımaǵy Тарбағатай аймағы
654200|mn|Тарвагатай|abroad|https://hessslslslsls.azureedge.net/wiki/Tacheng_Prefecture|Mongolian name / Mongolian Cyrillic / Тарвагатай тойрог
654200|zh-alt|塔尔巴哈台地区||https://hessslslslsls.azureedge.net/wiki/Tacheng_Prefecture|Alternative Chinese name / Simplified Chinese 塔尔巴哈台地区 / Traditional Chinese 塔爾巴哈台地區
654200|zh-alt|塔爾巴哈台地區||https://hessslslslsls.azureedge.net/wiki/Tacheng_Prefecture|Alternative Chinese name / Simplified Chinese 塔尔巴哈台地区 / Traditional Chinese 塔爾巴哈台地區
654000|kk-Arab|ىلە|abroad|https://en.wikipedia.org/wiki/Ili_Kazakh_Autonomous_Prefecture|Kazakh name / Kazakh ىلە قازاق اۆتونوميالىق وبلىسى / Іле Қазақ автономиялық облысы / Ile Qazaq avtonomiialyq oblysy
654000|kk|Іле|abroad|https://en.wikipedia.org/wiki/Ili_Kazakh_Autonomous_Prefecture|Kazakh name ... Іле Қазақ автономиялық облысы
653200|ru|Хотан||http://wiki-org.ru/wiki/%D0%A5%D0%BE%D1%82%D0%B0%D0%BD|Хотан (уйг. خوتەن, Хотән, кит. упр. 和田市) — оазис и городской уезд в округе Хотан на юго-востоке Синьцзян-Уйгурского автономного района Китая
653201|ru|Хотан||http://wiki-org.ru/wiki/%D0%A5%D0%BE%D1%82%D0%B0%D0%BD|Хотан (уйг. خوتەن, Хотән, кит. упр. 和田市, пиньинь: Hétián shì) — оазис и городской уезд
653201|ug-Cyrl|Хотән||http://wiki-org.ru/wiki/%D0%A5%D0%BE%D1%82%D0%B0%D0%BD|Хотан (уйг. خوتەن, Хотән, кит. упр. 和田市)
650200|ug-Cyrl|Қарамай||https://tr.wikipedia-on-ipfs.org/wiki/Karamay|Uygurca isim / Arap-Fars (K̡ona Yezik̡): قاراماي شەھرى / Latin (Yengi Yezik̡): K̡aramay Xəh̡ri / Kiril (SSCB): Қарамай шәһири
650000|az|Sincan-Uyğur Muxtar Rayonu||https://wikipedia.anarim.az/?q=Sincan-Uy%C4%9Fur_Muxtar_Rayonu|Sincan-Uyğur Muxtar Rayonu və ya Sintszyan-Uyğur Muxtar Rayonu (çin. sadə. 新疆维吾尔自治区 ...) — Çin Xalq Respublikasında inzibati-ərazi vahidi (the full name only: Sincan alone is a district of Ankara, https://ankara.ktb.gov.tr/TR-152783/sincan.html)
650000|az|Sintszyan-Uyğur Muxtar Rayonu||https://wikipedia.anarim.az/?q=Sincan-Uy%C4%9Fur_Muxtar_Rayonu|Sincan-Uyğur Muxtar Rayonu və ya Sintszyan-Uyğur Muxtar Rayonu
650000|uz|Sintszyan||https://milliycha.uz/ru/?p=124414|SINTSZYAN-UYG'UR MUXTOR RAYONI, Sintszyan (mahalliy talaffuzda shinjon) — XXRning shim.g'arbiy qismidagi milliy o'lka
650000|tr|Sincan Uygur Özerk Bölgesi||http://www.mapnall.com/tr/Harita-Sincan-Uygur-Özerk-Bölgesi_1104058.html|Sincan Uygur Özerk Bölgesi (Uygur Latin yazısı: Shinjang Uyghur Aptonom Rayoni; Rusça: Синьцзян) ... Çin'in kuzeybatısında bulunan bir özerk bölge (the full name only: Sincan alone is a district of Ankara, https://ankara.ktb.gov.tr/TR-152783/sincan.html)
650000|fi|Xinjiangin Uygurin autonominen alue||https://fi.abcdef.wiki/wiki/Xinjiang|Xinjiangin Uygurin autonominen alue / Nimen transkriptio(t) / kiina 新疆维吾尔自治区
650000|ko|신장 위구르 자치구||https://namu.moe/w/%EC%8B%A0%EC%9E%A5%20%EC%9C%84%EA%B5%AC%EB%A5%B4%20%EC%9E%90%EC%B9%98%EA%B5%AC|新疆维吾尔自治区 ... 신장 위구르 자치구 / Xinjiang Uyghur Autonomous Region (the full name only)
650000|ko|신장위구르자치구||http://wiki1.kr/index.php/신장위구르자치구|신장위구르자치구(شىنجاڭ ئۇيغۇر ئاپتونوم رايونى, 新疆维吾尔自治区)은 중국 서북부에 위치 하였으며 성도는 우루무치이다
652801|ru|Корла||https://hmong.ru/ru/%D0%9A%D0%BE%D1%80%D0%BB%D0%B0|Корла (уйг. كورلا, Корла, кит. упр. 库尔勒, пиньинь Kù'ěrlè, монг. Хорл) — городской уезд в Баян-Гол-Монгольском автономном округе
652801|mn|Хорл|abroad|https://hmong.ru/ru/%D0%9A%D0%BE%D1%80%D0%BB%D0%B0|Корла (... монг. Хорл) (four Cyrillic letters that are also a Mongolian word form: counts only with country CN)
654201|kk|Шәуешек||https://linproxy.fan.workers.dev/https/ja.wikipedia.org/wiki/%E5%A1%94%E5%9F%8E%E7%9C%8C|塔城市 ... カザフ語アラビア文字 شاۋەشەك / カザフ語キリル文字 Шәуешек / カザフ語ラテン文字 Şäweşek
654201|kk-Latn|Şäweşek||https://linproxy.fan.workers.dev/https/ja.wikipedia.org/wiki/%E5%A1%94%E5%9F%8E%E7%9C%8C|カザフ語ラテン文字 Şäweşek
654323|zh-alt|布伦托海县||https://en.m.wikipedia.org./wiki/Fuhai_County|Alternative Chinese name / Simplified Chinese 布伦托海县 / Traditional Chinese 布倫託海縣 / Hanyu Pinyin Bùlúntuōhǎi Xiàn
654323|zh-alt|布倫託海縣||https://en.m.wikipedia.org./wiki/Fuhai_County|Alternative Chinese name / Simplified Chinese 布伦托海县 / Traditional Chinese 布倫託海縣
654022|zh-alt|宁西县||http://xzqh.info/lt/read.php?tid=100656|察布查尔锡伯自治县:原名称为河南县 ... 1944年(民国33年)清政府决定将河南县改名为宁西县 (河南县 left out: 河南 is a province and Qinghai has 河南蒙古族自治县)
654022|zh-alt|寧西縣||https://kkannews.com/89990906.html|察布查爾錫伯自治縣:原名稱為河南縣 ... 1944年(民國33年)清政府決定將河南縣改名為寧西縣
652925|zh-alt|托克苏县||http://xzqh.info/lt/read.php?tid=100656|4、新和县:原名托克苏县,建县于1930年(民国9年) ... 1941年(民国30年),将汉名托克苏改为新和
654226|zh-alt|和丰县||https://m.630shu.cc/book/19029/9969447_2.html|民国33年(1944),设治局为和丰县,迁至现今和布克赛尔镇 ... 1950年4月,成立和丰县人民政府 ... 1955年2月,改称和布克赛尔蒙古自治县
653131|zh-alt|蒲犁县||https://uz.wikial.top/wiki/Taxkorgan_Tajik_Autonomous_County|Puli okrugi / Soddalashtirilgan xitoy tili 蒲 犁 县 / An'anaviy xitoy 蒲 犁 縣 / Xanyu Pinyin Puli Xian (spaces of the page dropped)
653131|zh-alt|蒲犁縣||https://uz.wikial.top/wiki/Taxkorgan_Tajik_Autonomous_County|Puli okrugi / An'anaviy xitoy 蒲 犁 縣 (spaces of the page dropped)
654301|zh-alt|承化县||https://www.zi5.net/article/view/842033.html|说说阿勒泰市的来历 ... 1913年设置承化县佐 ... 1921年始设承化县。1949年12月改称阿山区行政督察专员公署。1953年改称阿泰县
654301|zh-alt|阿泰县||https://www.zi5.net/article/view/842033.html|说说阿勒泰市的来历 ... 1921年始设承化县 ... 1953年改称阿泰县
654028|zh-alt|巩哈县||https://cha138.com/zhuanti/show-173590.html|尼勒克县 ... 1938年,从伊宁县分置巩哈设治局,1939年改为巩哈县,1954年又改为尼勒克县
654025|zh-alt|巩乃斯县||http://kanshici.com/lishi/diming/e696b0e6ba90e58ebf|新源县 1946年改巩乃斯县置 ... 1945年升县,改名巩乃斯县。1946年改设新源县
654024|zh-alt|特克斯塔留县||https://es.abcdef.wiki/wiki/Gongliu_County|también transcrito del uigur como condado de Tokkuztara (uigur: توقۇزتارا ناھىيىسى ; chino :特克斯塔 留 县) (spaces of the page dropped)
654023|zh-alt|霍尔果斯县||https://kiwix.casplantje.nl/wikipedia_en_all_maxi_2018-10/A/Huocheng_County.html|Alternative Chinese name / Simplified Chinese 霍尔果斯县 ... also transliterated from Uyghur as Korgas County (Uyghur: قورغاس ناھىيىسى ; Chinese: 霍尔果斯县)
654023|zh-alt|绥定县||https://perceptiode.com/%D0%A5%D0%BE%D1%87%D1%8D%D0%BD|Suiding County (绥定县) wurde 1888 gegründet ... 1965 wurde Suiding County in Shuiding (水定县) umbenannt. 1966 wurde der Landkreis Shuiding dem Landkreis Huocheng angegliedert
654023|zh-alt|水定县||https://perceptiode.com/%D0%A5%D0%BE%D1%87%D1%8D%D0%BD|1965 wurde Suiding County in Shuiding (水定县) umbenannt. 1966 wurde der Landkreis Shuiding dem Landkreis Huocheng angegliedert
650109|zh-alt|乾德縣||http://m.radjoulmouhamadou.com/gonglve/137014177339277312|民國十七年(1928年),正式建立乾德縣治 ... 1953年11月20日更名為"米泉縣" ... 米東區原隸屬于昌吉州米泉市
652824|zh-alt|婼羌县||http://caolvse.com/d/840326_5.html|若羌县,若羌古称卡克里克 ... 1903年升格为县取名婼羌县,1959年将婼羌改若羌
653226|zh-alt|於闐縣||https://oson.ca/china/baike.php?a=7832&l=3&o=%E4%BA%8E%E7%94%B0%E5%8E%BF|於田縣 ... 光緒八年(1882)置於闐縣。1959年改於田縣
652827|zh-alt|和靖县||http://caolvse.com/d/840326_5.html|和静县,和静原称和靖 ... 1938年设和靖设治局,1941年改置和靖县,一度又称和通县,1965年改称和静县
652827|zh-alt|和通县||http://caolvse.com/d/840326_5.html|1941年改置和靖县,一度又称和通县,1965年改称和静县
652822|zh-alt|布古尔县||http://caolvse.com/d/840326_5.html|轮台县 ... 清代称布古尔或玉古尔,1902年置布古尔县,清宣统,间将布古尔县改称轮台县
650100|zh-alt|迪化县||http://bbs.kashenzx.com/archiver/showtopic-8391.aspx|乌鲁木齐市,乾隆年间设屯堡取名乌鲁木齐 ... 年后称迪化县,年改为迪化市,解放后恢复乌鲁木齐旧名
650100|zh-alt|迪化市||http://bbs.kashenzx.com/archiver/showtopic-8391.aspx|年后称迪化县,年改为迪化市,解放后恢复乌鲁木齐旧名
653223|zh-alt|固瑪||http://m.nmhdgaokao.com/list/4/hetiandiqugexianshiqudimingyoulai.html|光緒二十八年置縣,以古國名命名。維吾爾族稱皮山縣為“固瑪” (the county seat is 固玛镇: http://www.kanciyu.com/lishi/diming/e79aaee5b1b1e58ebf)
659001|ug-Latn|Xihənzə||https://defi.other.wiki/wiki/Shihezi|Uiguurien nimi / Arabia-persia (Kona Yeziⱪ) : شىخەنزە شەھىرى / Latina (Yengi Yeziⱪ) : Xihənzə Xəⱨiri
659003|ug-Cyrl|Тумшуқ||https://wikimili.com/en/Tumxuk|Uyghur name ... Latin Yëziqi Tumshuq / Yengi Yeziⱪ Tumxuⱪ / SASM/GNC Tumxuk / Siril Yëziqi Тумшуқ
659003|ug-Latn|Tumxuⱪ||https://wikimili.com/en/Tumxuk|Yengi Yeziⱪ Tumxuⱪ
659003|ru|Тумшук||https://world.wikisort.org/china/ru/Китай/Тумшук|Тумшук (уйг. تۇمشۇق, кит. упр. 图木舒克, пиньинь Túmùshūkè) — городской уезд в Синьцзян-Уйгурском автономном районе КНР
659008|ug-Arab|كۆكدالا||https://friendlywiki.com/article/index.php?title=Kokdala|Infobox Chinese / s=可克达拉 / uig=كۆكدالا / uly=Kökdala / uyy=Kɵkdala / sgs=Kokdala / usy=Көкдала
659008|ug-Cyrl|Көкдала|abroad|https://friendlywiki.com/article/index.php?title=Kokdala|usy=Көкдала (Cyrillic, as Kazakh-alphabet text across the border is written: counts only with country CN, a precaution)
659008|kk-Arab|كوكدالا||https://friendlywiki.com/article/index.php?title=Kokdala|native name / kk-Arab / كوكدالا قالاسى
659008|en|Cocodala||https://kiwix.casplantje.nl/wikipedia_en_all_maxi_2018-10/A/Kokdala.html|Kokdala or Cocodala is a city in northern Xinjiang, China ... Website www.cocodala.gov.cn
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


#: Uyghur Arabic letters to the Turkish-alphabet transcription used in Turkey (Şihenze for Shihezi, Vucyaçü for
#: Wujiaqu), each letter read off pairs printed side by side on `TR_SOURCES` (شىخەنزە Şihenze, ۋۇجياچۈ Vucyaçü,
#: تۇمشۇق Tumşuk, سايباغ Saybağ, تۇدۇڭخابا Tudunghaba, جەرەنبۇلاق Cerenbulak, ئۈرۈمچى Ürümçi, شۇيموگۇ Şuymogu,
#: شەھىرى Şehiri; خوتەن Hoten). Letters those pairs do not show (ې ۆ پ ف ژ ك) are left out: a name that uses one
#: gets no Turkish-alphabet form rather than a guessed one.
TR_LETTERS = {
    "ا": "a", "ە": "e", "ب": "b", "ت": "t", "ج": "c", "چ": "ç", "خ": "h", "د": "d", "ر": "r", "ز": "z",
    "س": "s", "ش": "ş", "غ": "ğ", "ق": "k", "گ": "g", "ڭ": "ng", "ل": "l", "م": "m", "ن": "n", "ھ": "h",
    "و": "o", "ۇ": "u", "ۈ": "ü", "ۋ": "v", "ى": "i", "ی": "i", "ي": "y", "ئ": "", " ": " ",
}  # fmt: skip
TR_SOURCES = (
    "https://no.frwiki.wiki/wiki/Liste_des_subdivisions_administratives_du_Xinjiang",
    "https://fr.wikipedia.org/wiki/Liste_des_subdivisions_administratives_du_Xinjiang",
    "https://de.qa.edu.vn/fi/Hotanin_prefektuuri",
)


def tr_from_arabic(name: str) -> str | None:
    """The Turkish-alphabet spelling of a Uyghur Arabic-script name (شىخەنزە -> Şihenze), or None.

    Why: records from Turkish trading partners and Turkish-language pages write Uyghur place names in the
    Turkish alphabet, where خ is h, ج is c and ۋ is v, so neither the ULY form (Shixenze) nor a
    letter-for-letter fold of it reaches them. None when the name has a letter `TR_LETTERS` lacks.
    """
    if any(ch not in TR_LETTERS for ch in name):
        return None
    out = "".join(TR_LETTERS[ch] for ch in name)
    return " ".join(w[:1].upper() + w[1:] for w in out.split())


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
    """Per division code: (language, name, flag, source URL, evidence), plus the derived ULY spellings and the
    Turkish-alphabet spellings that differ from every name a place already has."""
    table: dict[str, list[tuple[str, str, str, str, str]]] = {}
    turkish: list[tuple[str, tuple[str, str, str, str, str]]] = []
    zh_alt: list[tuple[str, tuple[str, str, str, str, str]]] = []
    for line in LOCAL_NAMES.strip().splitlines():
        code, lang, name, flag, url, evidence = (part.strip() for part in line.split("|", 5))
        if flag not in ("", "abroad", "weak") or not url.startswith("http"):
            raise ValueError(f"LOCAL_NAMES row {line!r}: flag or source URL malformed")
        rows = table.setdefault(code, [])
        rows.append((lang, name, flag, url, evidence))
        if lang == "ug-Arab":
            rows.append(("ug-Latn", uly_from_arabic(name), flag, url, f"ULY of {name} (derived)"))
            tr = tr_from_arabic(name)
            if tr is not None:
                turkish.append(
                    (code, ("ug-Latn-tr", tr, flag, url, f"Turkish-alphabet form of {name} (derived)"))
                )
        if (
            lang == "zh"
        ):  # a Chinese abbreviation is written in pinyin too (博州 -> Bozhou), like the short names
            rows.append(("zh-Latn", _pinyin(name)[1], flag, url, f"pinyin of {name} (derived, pypinyin)"))
        if lang == "zh-alt":
            zh_alt.append((code, (lang, name, flag, url, evidence)))
    # A Turkish-alphabet form equal to a name some place already has (Karamay, Aksu, Midong) adds nothing and
    # must not turn that name into one that needs country CN.
    known = {_plain(n) for rows in table.values() for _, n, _, _, _ in rows}
    curated = _curated()
    known.update(_plain(n) for entry in curated.values() for n in (entry[0], *entry[1].split(",")))
    for div in csv.DictReader(io.StringIO(DIVISIONS_FILE.read_text(encoding="utf-8-sig"))):
        _, plain, spaced = _pinyin(_short(div["name"].strip()))
        known.update((_plain(plain), _plain(spaced)))
    for code, row in turkish:
        if _plain(row[1]) not in known:
            table[code].append(row)
    _derive_zh_alt(table, zh_alt)
    return table


#: Pinyin of a former or alternative Chinese name that is also the pinyin of a county-level or prefecture-level
#: division elsewhere in China (china-division 2.7.0, dist/areas.csv and dist/cities.csv, the package the
#: division codes come from): "Fuyuan Xian" is as likely 富源县 (Yunnan) or 抚远 (Heilongjiang) as 孚远县
#: (Jimsar), so no pinyin form is derived for these; the Chinese characters still count.
ZH_ALT_PINYIN_ELSEWHERE = {
    "Hefeng": "鹤峰县 (Hubei)",
    "Chenghua": "成华区 (Chengdu)",
    "Yutian": "玉田县 (Hebei)",
    "Fuyuan": "富源县 (Yunnan), 抚远市 (Heilongjiang)",
    "Gucheng": "古城区 (Lijiang), 故城县 (Hebei), 谷城县 (Hubei)",
}
#: The Latin words a county-level suffix is written as after a pinyin name (县 Xian / County, 地区 Prefecture).
_ZH_ALT_SUFFIX_WORDS = {
    "县": ("Xian", "County"),
    "縣": ("Xian", "County"),
    "地区": ("Prefecture",),
    "地區": ("Prefecture",),
}


def _derive_zh_alt(
    table: dict[str, list[tuple[str, str, str, str, str]]],
    zh_alt: list[tuple[str, tuple[str, str, str, str, str]]],
) -> None:
    """Add, for each former or alternative Chinese name, its other script and its pinyin with the suffix word.

    Why: a source often prints one script only (乾德縣, 托克苏县) while records use either, and Latin-script
    records write a former county name in pinyin followed by Xian or County ("Buluntuohai Xian"); both are
    mechanical (OpenCC, pypinyin with the build's polyphone readings). The pinyin keeps its suffix word, as
    the Chinese name keeps 县, because the bare pinyin of an old name is too often another word or place; a
    pinyin another Chinese division shares (ZH_ALT_PINYIN_ELSEWHERE) is not derived at all.
    """
    import opencc  # type: ignore[import-untyped]  # development-time dependency

    to_hant, to_hans = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
    for code, (_, name, flag, url, _evidence) in zh_alt:
        rows = table[code]
        have = {n for _, n, _, _, _ in rows}
        converted = str(to_hans.convert(name))
        simplified = "".join(o if o in _HANS_KEEP else c for o, c in zip(name, converted, strict=True))
        for form, how in ((simplified, "t2s"), (_hant(to_hant, simplified), "s2t")):
            if form not in have:
                rows.append(("zh-alt", form, flag, url, f"{how} form of {name} (derived, OpenCC)"))
                have.add(form)
        suffix = next((x for x in _ZH_ALT_SUFFIX_WORDS if simplified.endswith(x)), None)
        if suffix is None:
            continue
        plain = _pinyin(simplified[: -len(suffix)])[1]
        if plain in ZH_ALT_PINYIN_ELSEWHERE:
            continue
        for word in _ZH_ALT_SUFFIX_WORDS[suffix]:
            latin = f"{plain} {word}"
            if latin not in have:
                rows.append(("zh-alt-Latn", latin, flag, url, f"pinyin of {simplified} (derived, pypinyin)"))
                have.add(latin)


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


def _plain(name: str) -> str:
    """A name without diacritics, case, dotless i or separators, to tell two spellings apart."""
    decomposed = unicodedata.normalize("NFD", name.strip().replace("ı", "i"))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).casefold()


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
    import opencc  # development-time dependency

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
        flagged = locals_.get(code, [])
        # A Turkish-alphabet form counts only with country CN: Turkish words and given names share these
        # spellings (Burçin, Niye).
        turkish = [n for lg, n, _, _, _ in flagged if lg == "ug-Latn-tr"]
        local = list(dict.fromkeys(n for _, n, _, _, _ in flagged))
        abroad = list(
            dict.fromkeys(
                [v.strip() for v in amb_abroad.split(",") if v.strip()]
                + [n for _, n, f, _, _ in flagged if f == "abroad"]
                + turkish
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
    meta["turkish_derivation_sources"] = list(TR_SOURCES)
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
        xuar_latin = {
            name for row in rows for name in [*row["latin_variants"].split("|"), row["pinyin"]] if name
        }
        context = build_context_rows(
            (dist / "provinces.csv").read_text(encoding="utf-8"),
            (dist / "cities.csv").read_text(encoding="utf-8"),
            (dist / "areas.csv").read_text(encoding="utf-8"),
            xuar_latin,
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


#: County-level kinds elsewhere in China whose pinyin can be an XUAR name's, and the English word a Latin
#: address writes after them: the homograph counts only with it ("Qinghe County" may be Hebei's 清河县;
#: "Qinghe" alone, or "Qinghe Xian" read as pinyin plus suffix, is left to the XUAR rules, because a
#: longer key would hide the XUAR name inside it from the scanner).
_HOMOGRAPH_KINDS = {"县": ("County",), "市": ("City",)}


def build_context_rows(
    provinces_csv: str, cities_csv: str, areas_csv: str = "", xuar_latin: Collection[str] = ()
) -> list[dict[str, str]]:
    """Other Chinese provinces and prefecture-level cities, for "this address is elsewhere in China"; and,
    from `areas_csv` (county-level divisions), the counties and county-level cities elsewhere whose pinyin
    is one of `xuar_latin` (the gazetteer's Latin names, folded): Hebei's 清河县, 新河县 and 玉田县 read
    "Qinghe/Xinhe/Yutian County" exactly as Qinggil, Xinhe and Keriya do, so such a name alone is no
    evidence either way. Only the full Chinese name is added for them (their two-character stems are
    ordinary words), and their Latin forms carry the kind word."""
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
    wanted = {name.casefold() for name in xuar_latin}
    for area in csv.DictReader(io.StringIO(areas_csv)) if areas_csv else ():
        name, kind = area["name"], area["name"][-1:]
        if area["provinceCode"] == "65" or kind not in _HOMOGRAPH_KINDS:
            continue
        m = _CONTEXT_SUFFIX.match(name)
        plain = "".join(lazy_pinyin(m.group(1) if m else name[:-1])).capitalize()
        if plain.casefold() not in wanted:
            continue
        latin = "|".join(f"{plain} {word}" for word in _HOMOGRAPH_KINDS[kind])
        rows.append(
            {
                "code": area["code"],
                "province_code": area["provinceCode"] + "0000",
                "name_zh": name,
                "latin": latin,
            }
        )
    return rows


if __name__ == "__main__":
    main(sys.argv)
