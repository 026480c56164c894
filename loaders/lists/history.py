"""Entries keep their history across list versions: what a new version added, changed and removed.

Entry IDs are stable across versions (`uflpa:<section>:<slug>`, `ofac:sdn:<ent_num>`, ...), so comparing
two versions by ID answers "which of my products are newly affected?" (screen only `added` and `changed`)
and shows removals, which matter as much for a detention already under review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph_schema import ListEntry


@dataclass(frozen=True)
class ChangedEntry:
    """One entry present in both versions whose content differs; `fields` maps name -> (old, new)."""

    entry_id: str
    old: ListEntry
    new: ListEntry
    fields: dict[str, tuple[Any, Any]]


@dataclass(frozen=True)
class ListDiff:
    """The difference between two versions of one list, each part in the new (or old) file's order."""

    added: list[ListEntry] = field(default_factory=list)
    changed: list[ChangedEntry] = field(default_factory=list)
    removed: list[ListEntry] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """No entry was added, changed or removed (the versions may still differ in bytes)."""
        return not (self.added or self.changed or self.removed)


def diff_versions(old_entries: list[ListEntry], new_entries: list[ListEntry]) -> ListDiff:
    """Compare two versions' entries by `entry_id`; report added, changed (with the fields) and removed.

    Why by ID and not by name: a renamed entity (a "technical correction", a new alias) is the same listing
    and must show as a change, not as a removal plus an addition.
    """
    old_by_id = {e.entry_id: e for e in old_entries}
    new_by_id = {e.entry_id: e for e in new_entries}
    added = [e for e in new_entries if e.entry_id not in old_by_id]
    removed = [e for e in old_entries if e.entry_id not in new_by_id]
    changed: list[ChangedEntry] = []
    for e in new_entries:
        before = old_by_id.get(e.entry_id)
        if before is None or before == e:
            continue
        old_props, new_props = before.model_dump(mode="json"), e.model_dump(mode="json")
        fields = {
            name: (old_props.get(name), new_props.get(name))
            for name in new_props
            if old_props.get(name) != new_props.get(name)
        }
        changed.append(ChangedEntry(entry_id=e.entry_id, old=before, new=e, fields=fields))
    return ListDiff(added=added, changed=changed, removed=removed)
