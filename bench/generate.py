"""Synthetic supply-chain bundles of any size, for benchmarks and scale tests.

Why a generator and not a big fixture: the interesting costs of the walk (states per tier, sharing, traders,
gaps, document look-ups) depend on the *shape* of the graph, so the shape is what the knobs control, and a
seed makes every run reproducible byte for byte (same seed and knobs, same files; no clock, no hash
randomisation, no set iteration order).

The shape, modelled on real supply chains:
- items sit on levels: products (level 0), components (levels 1 .. tiers-2) and raw materials (the last
  level, no bill of materials); a bill of materials only points one level down, so the BOM is acyclic by
  construction;
- each new item's components are often *shared* (reused from the items already on the next level), so
  popular components are used by many products, as yarn or cells are;
- each item is made at one or two facilities (multi-sourcing), and each buyer buys each component from one
  or more of its makers, sometimes through a *trader* that passes the goods through (the trader's own
  sourcing rows name the makers);
- a share of origin (raw-material) facilities is in the XUAR, with Xinjiang registration codes on their
  operators, and the same share of new traders is a bonded warehouse in Urumqi (goods in transit); a share
  of links is untraced (no supplier recorded, or a trader that names none);
- most links carry one to three documents.

Size is set by a target node count (companies + facilities + items + documents + sourcing rows): products
are added until the target is reached. `deep_states` adds one product whose upstream has exactly that many
(item, facility) states, for the "1,000-state trace" benchmark.

    python -m bench.generate --nodes 100000 --seed 42 --out /tmp/bundle-100k
    python -m bench.generate --nodes 20000 --deep-product 1000 --out /tmp/deep
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

#: Bundle contract v1 headers, in the order the files are written.
HEADERS: dict[str, tuple[str, ...]] = {
    "companies": (
        "company_id",
        "name",
        "name_local",
        "aliases",
        "country",
        "registration_id",
        "registration_scheme",
        "address",
        "parent_company_id",
        "ownership_pct",
    ),
    "facilities": (
        "facility_id",
        "company_id",
        "name",
        "activity",
        "address",
        "city",
        "region",
        "postal_code",
        "country",
        "latitude",
        "longitude",
        "os_id",
    ),
    "items": ("item_id", "name", "kind", "hts_code", "commodity"),
    "bom": ("parent_item_id", "component_item_id", "quantity", "unit"),
    "sourcing": (
        "item_id",
        "supplier_facility_id",
        "buyer_facility_id",
        "share",
        "valid_from",
        "valid_to",
        "document_ids",
    ),
    "documents": ("document_id", "type", "number", "issued_on", "issuer_company_id", "uri", "sha256"),
}
NODE_FILES = ("companies", "facilities", "items", "documents", "sourcing")

# Places: (country, region, city, city in Chinese or "", GB/T 2260 code or "", latitude, longitude).
_Place = tuple[str, str, str, str, str, float, float]
_PLACES: tuple[_Place, ...] = (
    ("CN", "Jiangsu", "Nantong", "南通", "320600", 32.0, 120.9),
    ("CN", "Jiangsu", "Wuxi", "无锡", "320200", 31.5, 120.3),
    ("CN", "Zhejiang", "Shaoxing", "绍兴", "330600", 30.0, 120.6),
    ("CN", "Shandong", "Qingdao", "青岛", "370200", 36.1, 120.4),
    ("CN", "Guangdong", "Foshan", "佛山", "440600", 23.0, 113.1),
    ("CN", "Sichuan", "Leshan", "乐山", "511100", 29.6, 103.8),
    ("CN", "Henan", "Zhengzhou", "郑州", "410100", 34.7, 113.6),
    ("CN", "Hebei", "Shijiazhuang", "石家庄", "130100", 38.0, 114.5),
    ("VN", "Binh Duong", "Thu Dau Mot", "", "", 11.0, 106.7),
    ("VN", "Dong Nai", "Bien Hoa", "", "", 10.9, 106.8),
    ("BD", "Dhaka Division", "Gazipur", "", "", 24.0, 90.4),
    ("IN", "Tamil Nadu", "Tiruppur", "", "", 11.1, 77.3),
    ("PK", "Punjab", "Faisalabad", "", "", 31.4, 73.1),
    ("TR", "Denizli", "Denizli", "", "", 37.8, 29.1),
    ("MY", "Penang", "Batu Kawan", "", "", 5.2, 100.4),
    ("US", "TX", "Lubbock", "", "", 33.6, -101.9),
    ("US", "MS", "Greenwood", "", "", 33.5, -90.2),
    ("BR", "Mato Grosso", "Sorriso", "", "", -12.5, -55.7),
    ("AU", "New South Wales", "Narrabri", "", "", -30.3, 149.8),
    ("MX", "Chihuahua", "Delicias", "", "", 28.2, -105.5),
)
_XUAR: tuple[_Place, ...] = (
    ("CN", "Xinjiang", "Aksu", "阿克苏", "652900", 41.2, 80.3),
    ("CN", "Xinjiang", "Kashgar", "喀什", "653100", 39.5, 76.0),
    ("CN", "Xinjiang", "Changji", "昌吉", "652300", 44.0, 87.3),
    ("CN", "Xinjiang", "Bayingolin", "巴音郭楞", "652800", 41.8, 86.1),
    ("CN", "Xinjiang", "Hotan", "和田", "653200", 37.1, 79.9),
    ("CN", "Xinjiang", "Urumqi", "乌鲁木齐", "650100", 43.8, 87.6),
    ("CN", "Xinjiang", "Turpan", "吐鲁番", "650400", 42.9, 89.2),
)
_TRADER_PLACES: tuple[_Place, ...] = (
    ("HK", "Hong Kong", "Kowloon", "", "", 22.3, 114.2),
    ("SG", "", "Singapore", "", "", 1.3, 103.8),
    ("AE", "Dubai", "Dubai", "", "", 25.2, 55.3),
    ("CH", "Geneva", "Geneva", "", "", 46.2, 6.1),
    ("CN", "Shanghai", "Shanghai", "上海", "310100", 31.2, 121.5),
)
_XUAR_TRANSIT: _Place = ("CN", "Xinjiang", "Urumqi", "乌鲁木齐", "650100", 43.9, 87.6)
_SYLLABLES: tuple[tuple[str, str], ...] = (
    ("Heng", "恒"),
    ("Feng", "丰"),
    ("Xin", "鑫"),
    ("Da", "达"),
    ("Hua", "华"),
    ("Sheng", "盛"),
    ("Tai", "泰"),
    ("Yuan", "源"),
    ("Jin", "金"),
    ("Long", "隆"),
    ("Rui", "瑞"),
    ("Kang", "康"),
    ("Yong", "永"),
    ("Fu", "富"),
)
_TRADES: tuple[tuple[str, str], ...] = (
    ("Textile", "纺织"),
    ("Materials", "材料"),
    ("Industrial", "实业"),
    ("Technology", "科技"),
    ("Manufacturing", "制造"),
)
_LEVEL_WORDS = ("Product", "Assembly", "Part", "Intermediate", "Semi-finished", "Precursor")
_COMMODITIES = ("cotton", "polysilicon", "aluminum", "tomato", "pvc", "copper", "steel")
_ORIGIN_ACTIVITIES = ("farm", "mine", "processing")
_DOC_TYPES = (
    "purchase_order",
    "commercial_invoice",
    "packing_list",
    "bill_of_lading",
    "certificate_of_origin",
    "production_record",
    "payment_record",
    "transport_document",
    "mill_certificate",
)
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_EPOCH = date(2024, 1, 1)


@dataclass(frozen=True)
class GeneratorConfig:
    """The knobs. Shares are probabilities in [0, 1]."""

    seed: int = 42
    #: stop adding products once companies+facilities+items+documents+sourcing rows reach this
    nodes: int | None = 100_000
    #: or: exactly this many products (ignores `nodes`)
    n_products: int | None = None
    #: levels of items: product, components..., raw material (>= 2)
    tiers: int = 5
    #: components per bill of materials (each BOM has fanout-1 .. fanout+1 lines, at least 1)
    fanout: int = 3
    #: share of origin (raw-material) facilities located in the XUAR
    share_xuar: float = 0.02
    #: chance that a BOM line reuses an existing item of the next level instead of a new one
    shared_components: float = 0.6
    #: chance that an item is made at two facilities, and that a buyer buys from two of them
    multi_source: float = 0.3
    #: chance that a buyer gets a component through a trader
    trader_share: float = 0.08
    #: chance that a component link has no supplier recorded (and that a trader names none)
    untraced_share: float = 0.01
    #: chance that a sourcing row carries documents
    documented_share: float = 0.85
    #: add one product whose upstream has exactly this many (item, facility) states (0 = none)
    deep_states: int = 0

    def __post_init__(self) -> None:
        if self.tiers < 2:
            raise ValueError("tiers must be at least 2 (a product and a raw material)")
        if self.fanout < 1:
            raise ValueError("fanout must be at least 1")
        if self.nodes is None and self.n_products is None and self.deep_states <= 0:
            raise ValueError("give a target size: nodes, n_products or deep_states")
        for name in (
            "share_xuar",
            "shared_components",
            "multi_source",
            "trader_share",
            "untraced_share",
            "documented_share",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within [0, 1], got {value}")


@dataclass
class BundleStats:
    """What was written: rows per file, the node count the target is measured in, the special products."""

    rows: dict[str, int]
    nodes: int
    products: int
    xuar_origin_facilities: int
    deep_product_id: str | None = None
    deep_product_states: int = 0
    files: list[str] = field(default_factory=list)


def uscc(division: str, serial: int) -> str:
    """A syntactically valid Unified Social Credit Code for a company registered in `division`.

    Position 1-2 "91" (an enterprise registered with market regulation), 3-8 the GB/T 2260 division of
    the registering authority, 9-17 an organisation code, 18 the GB 32100-2015 check character, so
    detectors that read the division code (65xxxx = Xinjiang) have something real to read.
    """
    body = f"91{division}{serial % 10**9:09d}"
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


class _Generator:
    """Builds the rows in memory (plain tuples, for speed), then writes them in creation order."""

    def __init__(self, cfg: GeneratorConfig) -> None:
        self.cfg = cfg
        self.rng = random.Random(cfg.seed)
        self.companies: list[tuple[str, ...]] = []
        self.facilities: list[tuple[str, ...]] = []
        self.items: list[tuple[str, ...]] = []
        self.bom: list[tuple[str, ...]] = []
        self.sourcing: list[tuple[str, ...]] = []
        self.documents: list[tuple[str, ...]] = []
        self.last_level = cfg.tiers - 1
        self.level_items: list[list[str]] = [[] for _ in range(cfg.tiers)]
        self.level_facilities: list[list[str]] = [[] for _ in range(cfg.tiers)]
        self.makers: dict[str, list[str]] = {}
        self.facility_company: dict[str, str] = {}
        self.companies_by_country: dict[str, list[str]] = {}
        self.traders: list[str] = []
        self.trader_supplied: set[tuple[str, str]] = set()
        self.bought: set[tuple[str, str]] = set()
        self.xuar_origins = 0
        self.products = 0

    # -- size ----------------------------------------------------------------------------------------
    def nodes(self) -> int:
        return (
            len(self.companies)
            + len(self.facilities)
            + len(self.items)
            + len(self.documents)
            + len(self.sourcing)
        )

    # -- companies and facilities --------------------------------------------------------------------
    def _company(self, place: _Place) -> str:
        country, region, city, city_zh, division, _, _ = place
        # Operators run several sites, so companies are reused, but only within one country and on one
        # side of the XUAR boundary: a Xinjiang registration stays with Xinjiang sites.
        pool = self.companies_by_country.setdefault(f"{country}:{region == 'Xinjiang'}", [])
        if pool and self.rng.random() < 0.3:
            return self.rng.choice(pool[-20:])
        n = len(self.companies) + 1
        cid = f"C{n:06d}"
        (s1, h1), (s2, h2) = self.rng.sample(_SYLLABLES, 2)
        trade, trade_zh = self.rng.choice(_TRADES)
        name = f"{city} {s1}{s2.lower()} {trade} Co., Ltd."
        local = reg = scheme = ""
        if country == "CN":
            local = f"{city_zh}{h1}{h2}{trade_zh}有限公司"
            reg, scheme = uscc(division, n * 7919), "USCC"
        parent = pct = ""
        if pool and self.rng.random() < 0.1:
            # an earlier company as the parent: ownership chains stay acyclic by construction
            parent = self.rng.choice(pool)
            pct = str(self.rng.choice((51, 60, 75, 100)))
        address = f"No. {self.rng.randint(1, 300)} Industrial Road, {city}" + (
            f", {region}" if region else ""
        )
        self.companies.append((cid, name, local, "", country, reg, scheme, address, parent, pct))
        pool.append(cid)
        return cid

    def _facility(self, place: _Place, activity: str) -> str:
        fid = f"F{len(self.facilities) + 1:06d}"
        company = self._company(place)
        country, region, city, _, _, lat, lon = place
        lat += self.rng.uniform(-0.3, 0.3)
        lon += self.rng.uniform(-0.3, 0.3)
        self.facilities.append(
            (
                fid,
                company,
                f"{city} {activity} site {fid}",
                activity,
                f"Plot {self.rng.randint(1, 99)}, {city} Industrial Zone",
                city,
                region,
                "",
                country,
                f"{lat:.4f}",
                f"{lon:.4f}",
                "",
            )
        )
        self.facility_company[fid] = company
        return fid

    def _maker(self, level: int) -> str:
        pool = self.level_facilities[level]
        if pool and self.rng.random() < 0.5:
            return self.rng.choice(pool)
        if level == self.last_level:
            xuar = self.rng.random() < self.cfg.share_xuar
            place = self.rng.choice(_XUAR if xuar else _PLACES)
            fid = self._facility(place, self.rng.choice(_ORIGIN_ACTIVITIES))
            self.xuar_origins += xuar
        else:
            fid = self._facility(self.rng.choice(_PLACES), "manufacturing")
        pool.append(fid)
        return fid

    def _trader(self) -> str:
        if self.traders and self.rng.random() < 0.7:
            return self.rng.choice(self.traders)
        if self.rng.random() < self.cfg.share_xuar:
            # a bonded warehouse in the XUAR: goods made elsewhere pass through it (a transit finding)
            fid = self._facility(_XUAR_TRANSIT, "warehouse")
        else:
            fid = self._facility(self.rng.choice(_TRADER_PLACES), "trading")
        self.traders.append(fid)
        return fid

    # -- sourcing and documents ----------------------------------------------------------------------
    def _documents(self, supplier: str, buyer: str | None, day: date) -> str:
        if self.rng.random() >= self.cfg.documented_share:
            return ""
        ids = []
        for _ in range(self.rng.choice((1, 1, 2, 3))):
            n = len(self.documents) + 1
            did = f"D{n:07d}"
            dtype = self.rng.choice(_DOC_TYPES)
            issuer = self.facility_company[supplier]
            if buyer and dtype in ("purchase_order", "payment_record"):
                issuer = self.facility_company[buyer]
            issued = (day + timedelta(days=self.rng.randint(0, 90))).isoformat()
            self.documents.append(
                (
                    did,
                    dtype,
                    f"{dtype[:3].upper()}-{n:07d}",
                    issued,
                    issuer,
                    f"https://docs.example.com/{did}.pdf",
                    hashlib.sha256(did.encode()).hexdigest(),
                )
            )
            ids.append(did)
        return "|".join(ids)

    def _rows(self, item: str, suppliers: Sequence[str], buyer: str | None) -> None:
        """One row per supplier, shares adding up to 100, each with its documents."""
        count = len(suppliers)
        base = round(100 / count, 2)
        day = _EPOCH + timedelta(days=self.rng.randint(0, 700))
        for i, supplier in enumerate(suppliers):
            share = base if i < count - 1 else round(100 - base * (count - 1), 2)
            self.sourcing.append(
                (
                    item,
                    supplier,
                    buyer or "",
                    f"{share:g}",
                    day.isoformat(),
                    "",
                    self._documents(supplier, buyer, day),
                )
            )

    def _pick(self, makers: list[str]) -> list[str]:
        if len(makers) > 1 and self.rng.random() < self.cfg.multi_source:
            return self.rng.sample(makers, 2)
        return [self.rng.choice(makers)]

    def _link(self, buyer: str, component: str) -> None:
        """`buyer` gets `component` from its makers: directly, through a trader, or untraced."""
        if (buyer, component) in self.bought:
            return  # a facility making two items with a common component buys it once
        self.bought.add((buyer, component))
        if self.rng.random() < self.cfg.untraced_share:
            return
        if self.rng.random() < self.cfg.trader_share:
            trader = self._trader()
            self._rows(component, [trader], buyer)
            if (trader, component) not in self.trader_supplied:
                self.trader_supplied.add((trader, component))
                if self.rng.random() >= self.cfg.untraced_share:
                    self._rows(component, self._pick(self.makers[component]), trader)
            return
        self._rows(component, self._pick(self.makers[component]), buyer)

    # -- items ---------------------------------------------------------------------------------------
    def _item(self, level: int, prefix: str = "I") -> str:
        n = len(self.items) + 1
        iid = f"{prefix}{n:07d}"
        if level == 0:
            kind = "product"
        elif level == self.last_level:
            kind = "material"
        else:
            kind = "component"
        word = _LEVEL_WORDS[min(level, len(_LEVEL_WORDS) - 1)] if kind != "material" else "Raw material"
        commodity = _COMMODITIES[n % len(_COMMODITIES)]
        self.items.append((iid, f"{word} {iid}", kind, "", commodity))
        makers = [self._maker(level)]
        if self.rng.random() < self.cfg.multi_source:
            other = self._maker(level)
            if other != makers[0]:
                makers.append(other)
        self.makers[iid] = makers
        if level < self.last_level:
            self._explode(iid, level)
        self.level_items[level].append(iid)
        return iid

    def _explode(self, item: str, level: int) -> None:
        """Give `item` a bill of materials one level down, then source each component for each maker."""
        fanout = self.cfg.fanout
        count = max(1, self.rng.randint(fanout - 1, fanout + 1))
        pool = self.level_items[level + 1]
        components: list[str] = []
        for _ in range(count):
            if pool and self.rng.random() < self.cfg.shared_components:
                component = self.rng.choice(pool)
                if component in components:
                    continue
            else:
                component = self._item(level + 1)
            components.append(component)
            unit = "kg" if level + 1 == self.last_level else "pcs"
            self.bom.append((item, component, f"{self.rng.randint(1, 40) / 4:g}", unit))
        for maker in self.makers[item]:
            for component in components:
                self._link(maker, component)

    def add_product(self) -> str:
        product = self._item(0, prefix="P")
        self._rows(product, self.makers[product], None)
        self.products += 1
        return product

    def add_deep_product(self, states: int) -> str:
        """A product whose upstream is a tree of exactly `states` (item, facility) states, fanout 3.

        Node 0 is the product at its assembler; node i > 0 is a part of node (i - 1) // 3, made at its own
        facility and supplied by it alone, so the walk meets every state exactly once. Nodes without
        children are raw materials, located in the XUAR with probability `share_xuar` like other origins.
        """
        product = f"PDEEP{len(self.items) + 1:07d}"
        self.items.append((product, "Deep benchmark product", "product", "", "polysilicon"))
        nodes: list[tuple[str, str]] = [(product, self._facility(self.rng.choice(_PLACES), "manufacturing"))]
        self._rows(product, [nodes[0][1]], None)
        for i in range(1, states):
            leaf = 3 * i + 1 >= states
            xuar = leaf and self.rng.random() < self.cfg.share_xuar
            place = self.rng.choice(_XUAR if xuar else _PLACES)
            fac = self._facility(place, self.rng.choice(_ORIGIN_ACTIVITIES) if leaf else "manufacturing")
            self.xuar_origins += xuar
            iid = f"IDEEP{len(self.items) + 1:07d}"
            kind, label = ("material", "Deep raw material") if leaf else ("component", "Deep part")
            self.items.append((iid, f"{label} {iid}", kind, "", "polysilicon"))
            parent_item, parent_fac = nodes[(i - 1) // 3]
            self.bom.append((parent_item, iid, "1", "pcs"))
            self._rows(iid, [fac], parent_fac)
            nodes.append((iid, fac))
        self.products += 1
        return product

    # -- output --------------------------------------------------------------------------------------
    def write(self, out: Path) -> list[str]:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, rows in (
            ("companies", self.companies),
            ("facilities", self.facilities),
            ("items", self.items),
            ("bom", self.bom),
            ("sourcing", self.sourcing),
            ("documents", self.documents),
        ):
            path = out / f"{name}.csv"
            with path.open("w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f, lineterminator="\n")
                writer.writerow(HEADERS[name])
                writer.writerows(rows)
            written.append(path.name)
        return written


def generate(
    out: Path,
    n_products: int | None = None,
    tiers: int = 5,
    fanout: int = 3,
    share_xuar: float = 0.02,
    seed: int = 42,
    *,
    nodes: int | None = None,
    shared_components: float = 0.6,
    multi_source: float = 0.3,
    trader_share: float = 0.08,
    untraced_share: float = 0.01,
    documented_share: float = 0.85,
    deep_states: int = 0,
) -> BundleStats:
    """Write a bundle directory at `out` and say what is in it. Give `n_products` or a `nodes` target."""
    cfg = GeneratorConfig(
        seed=seed,
        nodes=nodes,
        n_products=n_products,
        tiers=tiers,
        fanout=fanout,
        share_xuar=share_xuar,
        shared_components=shared_components,
        multi_source=multi_source,
        trader_share=trader_share,
        untraced_share=untraced_share,
        documented_share=documented_share,
        deep_states=deep_states,
    )
    return generate_from(cfg, out)


def generate_from(cfg: GeneratorConfig, out: Path) -> BundleStats:
    """`generate` with a ready-made config."""
    gen = _Generator(cfg)
    deep_id: str | None = None
    if cfg.deep_states > 0:
        deep_id = gen.add_deep_product(cfg.deep_states)
    if cfg.n_products is not None:
        for _ in range(cfg.n_products):
            gen.add_product()
    elif cfg.nodes is not None:
        while gen.nodes() < cfg.nodes:
            gen.add_product()
    files = gen.write(out)
    rows = {
        "companies": len(gen.companies),
        "facilities": len(gen.facilities),
        "items": len(gen.items),
        "bom": len(gen.bom),
        "sourcing": len(gen.sourcing),
        "documents": len(gen.documents),
    }
    return BundleStats(
        rows=rows,
        nodes=gen.nodes(),
        products=gen.products,
        xuar_origin_facilities=gen.xuar_origins,
        deep_product_id=deep_id,
        deep_product_states=cfg.deep_states if deep_id else 0,
        files=files,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description="Write a seeded, reproducible synthetic supply-chain bundle (contract v1 CSVs).",
    )
    d = GeneratorConfig()
    parser.add_argument("--out", type=Path, required=True, help="bundle directory to write")
    parser.add_argument("--seed", type=int, default=d.seed)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--nodes", type=int, default=d.nodes, help="target node count (default %(default)s)")
    size.add_argument("--products", type=int, default=None, help="exact number of products instead")
    parser.add_argument("--tiers", type=int, default=d.tiers, help="item levels, product to raw material")
    parser.add_argument("--fanout", type=int, default=d.fanout, help="components per bill of materials")
    parser.add_argument("--share-xuar", type=float, default=d.share_xuar, help="origin sites in the XUAR")
    parser.add_argument("--shared-components", type=float, default=d.shared_components)
    parser.add_argument("--multi-source", type=float, default=d.multi_source)
    parser.add_argument("--trader-share", type=float, default=d.trader_share)
    parser.add_argument("--untraced-share", type=float, default=d.untraced_share)
    parser.add_argument("--documented-share", type=float, default=d.documented_share)
    parser.add_argument(
        "--deep-product",
        type=int,
        default=0,
        metavar="STATES",
        help="add one product with exactly this many upstream (item, facility) states, e.g. 1000",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        cfg = GeneratorConfig(
            seed=args.seed,
            nodes=None if args.products is not None else args.nodes,
            n_products=args.products,
            tiers=args.tiers,
            fanout=args.fanout,
            share_xuar=args.share_xuar,
            shared_components=args.shared_components,
            multi_source=args.multi_source,
            trader_share=args.trader_share,
            untraced_share=args.untraced_share,
            documented_share=args.documented_share,
            deep_states=args.deep_product,
        )
    except ValueError as e:
        parser.error(str(e))
    stats = generate_from(cfg, args.out)
    report = {**asdict(stats), "out": str(args.out), "seconds": round(time.perf_counter() - started, 2)}
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
