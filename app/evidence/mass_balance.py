"""Mass balance: do the quantities in the data make sense? (`shared/DOMAIN.md` §5: "quantities that make
sense: inputs consistent with outputs".)

CBP reads quantities as evidence: a supplier's shares that do not add up mean a supplier is missing from
the records (or counted twice), a product that weighs more than what it is made of means its bill of
materials or its units are wrong, and an output lot bigger than its input lots can make means goods from
somewhere else went in. Each check returns findings with the figures and a sentence; none changes a
verdict (quantities qualify links, they never hide a risk, `shared/FORMATS.md`), but the readiness
score keeps a product with findings below 1.

Three checks:
- `share_findings`: the suppliers of one (buyer, item), all with a `share`, must sum to 100% within the
  checklist's tolerance. The rows compared are those in force on the group's latest `valid_from` (a link
  replaced by a newer one does not count twice).
- `bom_findings`: an item consumed by mass (its parent's BOM line says kg, g, t or lb) and made only of
  inputs measured by mass must not weigh more than those inputs.
- `lot_balance`: an output lot against its input lots × the BOM ratios, with the tolerance plus the
  sector's documented yield loss. Pure figures in, finding out; `app.evidence.readiness` feeds it each
  lot of a lot trace with its recorded inputs (`GraphStore.get_lot_links`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from graph_schema import BomLine, Sourcing


class MassBalanceCheck(StrEnum):
    """Which quantities disagree."""

    SOURCING_SHARES = "sourcing_shares"  # the shares of one (buyer, item)'s suppliers do not sum to 100%
    BOM_QUANTITY = "bom_quantity"  # a bill-of-materials line whose quantity cannot be right
    LOT_BALANCE = "lot_balance"  # an output lot's quantity against its input lots (needs lot records)


class MassBalanceFinding(BaseModel):
    """One inconsistency between quantities, with the figures that show it."""

    model_config = ConfigDict(frozen=True)

    check: MassBalanceCheck = Field(description="Which check found it: sourcing shares, BOM, lot balance.")
    item_id: str = Field(description="The item whose quantities disagree.")
    facility_id: str | None = Field(
        None, description="The buyer or making facility; empty for the importer's own purchases."
    )
    lot_id: str | None = Field(None, description="The output lot, for lot balance findings.")
    sourcing_ids: list[str] = Field(
        default_factory=list, description="The sourcing links whose figures were compared."
    )
    expected: float = Field(description="What the figures should come to (e.g. 100 for shares, in %).")
    actual: float = Field(description="What they come to.")
    tolerance: float = Field(description="Allowed difference, in the same unit as `expected`.")
    unit: str = Field(description="Unit of `expected` and `actual`: `%`, `kg`, `pcs`, ...")
    figures: dict[str, float] = Field(
        default_factory=dict, description="The individual figures behind `actual`, by what they belong to."
    )
    explanation: str = Field(description="What does not add up, in a sentence a person can check.")


#: mass units a BOM line or lot may use, in kilograms; lots (EPCIS) use UN/CEFACT Rec. 20 codes
MASS_UNITS_KG: Mapping[str, float] = {
    "kg": 1.0,
    "kgs": 1.0,
    "kgm": 1.0,
    "g": 0.001,
    "grm": 0.001,
    "t": 1000.0,
    "mt": 1000.0,
    "tne": 1000.0,
    "tonne": 1000.0,
    "tonnes": 1000.0,
    "lb": 0.45359237,
    "lbs": 0.45359237,
    "lbr": 0.45359237,
}


def _kg_factor(unit: str | None) -> float | None:
    return MASS_UNITS_KG.get(unit.strip().lower()) if unit else None


def _num(value: float) -> str:
    """A figure as people write it: 73,750 rather than 7.375e+04, 0.16 rather than 0.1600."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def _in_force(rows: Sequence[Sourcing]) -> list[Sourcing]:
    """The rows in force on the latest `valid_from` among them: the group's current supplier mix."""
    starts = [r.valid_from for r in rows if r.valid_from is not None]
    on = max(starts) if starts else date.min
    return [
        r
        for r in rows
        if (r.valid_from is None or r.valid_from <= on) and (r.valid_to is None or r.valid_to >= on)
    ]


def share_findings(
    groups: Mapping[tuple[str, str], Sequence[Sourcing]], tolerance_pct: float
) -> list[MassBalanceFinding]:
    """Sourcing shares per (buyer, item) that do not sum to 100% (± `tolerance_pct` points).

    Only groups whose rows all give a share are judged: a missing share says nothing about the others.
    """
    out: list[MassBalanceFinding] = []
    for (buyer, item_id), group in sorted(groups.items()):
        rows = sorted(_in_force(group), key=lambda r: r.sourcing_id)
        if not rows or any(r.share is None for r in rows):
            continue
        figures = {r.supplier_facility_id: float(r.share or 0.0) for r in rows}
        total = sum(float(r.share or 0.0) for r in rows)
        if abs(total - 100.0) <= tolerance_pct:
            continue
        listed = ", ".join(f"{f} {_num(v)}%" for f, v in figures.items())
        who = f"facility {buyer}" if buyer else "the importer"
        if total > 100.0:
            meaning = "more than the whole: overlapping or double-counted links"
        else:
            meaning = f"{_num(100.0 - total)}% of the volume comes from a supplier not in the data"
        out.append(
            MassBalanceFinding(
                check=MassBalanceCheck.SOURCING_SHARES,
                item_id=item_id,
                facility_id=buyer or None,
                sourcing_ids=[r.sourcing_id for r in rows],
                expected=100.0,
                actual=round(total, 6),
                tolerance=tolerance_pct,
                unit="%",
                figures=figures,
                explanation=(
                    f"The suppliers of {item_id} to {who} have shares summing to {_num(total)}% ({listed}), "
                    f"not 100% ± {_num(tolerance_pct)}: {meaning}."
                ),
            )
        )
    return out


def bom_findings(bom: Mapping[str, Sequence[BomLine]], tolerance_pct: float) -> list[MassBalanceFinding]:
    """Items that weigh more than the inputs their bill of materials says they are made of.

    An item's unit is the unit its parents consume it in; only items consumed by mass in one unit, and
    whose own lines all give a quantity by mass, are judged (a button counted in pieces has no weight
    here, so a mixed bill of materials proves nothing).
    """
    consumed_in: dict[str, set[str]] = defaultdict(set)
    for lines in bom.values():
        for line in lines:
            consumed_in[line.component_item_id].add((line.unit or "").strip().lower())
    out: list[MassBalanceFinding] = []
    for parent, lines in sorted(bom.items()):
        units = consumed_in.get(parent, set())
        if len(units) != 1 or not lines:
            continue
        (unit,) = units
        parent_kg = _kg_factor(unit)
        if parent_kg is None:
            continue
        figures: dict[str, float] = {}
        for line in lines:
            factor = _kg_factor(line.unit)
            if factor is None or line.quantity is None:
                figures = {}
                break
            figures[line.component_item_id] = line.quantity * factor / parent_kg
        if not figures:
            continue
        total = sum(figures.values())
        if total >= 1.0 * (1 - tolerance_pct / 100.0):
            continue
        listed = ", ".join(f"{c} {_num(v)}" for c, v in figures.items())
        out.append(
            MassBalanceFinding(
                check=MassBalanceCheck.BOM_QUANTITY,
                item_id=parent,
                expected=1.0,
                actual=round(total, 6),
                tolerance=round(tolerance_pct / 100.0, 6),
                unit=f"{unit} of inputs per {unit}",
                figures=figures,
                explanation=(
                    f"One {unit} of {parent} is recorded as made from {_num(total)} {unit} of inputs "
                    f"({listed}): "
                    f"the output outweighs its inputs by more than {_num(tolerance_pct)}%, which no process "
                    "does; check the bill of materials' quantities and units."
                ),
            )
        )
    return out


@dataclass(frozen=True)
class LotQuantity:
    """A lot's item and quantity, as a lot record (EPCIS `quantityList`) gives them."""

    lot_id: str
    item_id: str
    quantity: float
    unit: str


def lot_balance(
    output: LotQuantity,
    inputs: Iterable[LotQuantity],
    bom: Sequence[BomLine],
    tolerance_pct: float,
    yield_loss_pct: float = 0.0,
) -> list[MassBalanceFinding]:
    """An output lot against what its input lots can make, component by component.

    `bom` is the output item's bill of materials (a parent needs `quantity` of each component per unit).
    For each component with input lots in a comparable unit, the input quantity ÷ the BOM ratio is the
    output it can make. More output than that (beyond the tolerance) means inputs from elsewhere went in;
    much less (beyond the tolerance plus the documented yield loss) means input went somewhere unrecorded.
    Components without input lots or with incomparable units are not judged.
    """
    by_item: dict[str, list[LotQuantity]] = defaultdict(list)
    for lot in inputs:
        by_item[lot.item_id].append(lot)
    out: list[MassBalanceFinding] = []
    for line in sorted(bom, key=lambda b: b.component_item_id):
        lots = by_item.get(line.component_item_id)
        if not lots or line.quantity is None or line.quantity <= 0:
            continue
        line_unit = (line.unit or "").strip().lower()
        line_kg = _kg_factor(line_unit)
        available = 0.0
        for lot in lots:
            lot_unit = lot.unit.strip().lower()
            if lot_unit == line_unit:
                available += lot.quantity
            elif line_kg is not None and (lot_kg := _kg_factor(lot_unit)) is not None:
                available += lot.quantity * lot_kg / line_kg
            else:
                available = -1.0
                break
        if available < 0:
            continue
        can_make = available / line.quantity
        low = can_make * (1 - (tolerance_pct + yield_loss_pct) / 100.0)
        high = can_make * (1 + tolerance_pct / 100.0)
        if low <= output.quantity <= high:
            continue
        figures = {lot.lot_id: lot.quantity for lot in lots}
        if output.quantity > high:
            meaning = "more output than its input lots can make: input from elsewhere went in"
        else:
            meaning = (
                f"much less output than its input lots make, beyond the {_num(yield_loss_pct)}% documented "
                "yield loss: input went somewhere unrecorded"
            )
        out.append(
            MassBalanceFinding(
                check=MassBalanceCheck.LOT_BALANCE,
                item_id=output.item_id,
                lot_id=output.lot_id,
                expected=round(can_make, 6),
                actual=output.quantity,
                tolerance=round(can_make * tolerance_pct / 100.0, 6),
                unit=output.unit,
                figures=figures,
                explanation=(
                    f"Lot {output.lot_id} holds {_num(output.quantity)} {output.unit} of {output.item_id}; "
                    f"its {line.component_item_id} input lots ({_num(available)} {line_unit}, "
                    f"{_num(line.quantity)} {line_unit} per unit) make {_num(can_make)}: {meaning}."
                ),
            )
        )
    return out
