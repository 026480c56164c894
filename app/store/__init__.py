"""Graph stores: one protocol, two backends, chosen by `Settings.store`."""

from app.store.base import GraphStore, RecordKind, SourcingKey, Supply, TenantInfo

__all__ = ["GraphStore", "RecordKind", "SourcingKey", "Supply", "TenantInfo"]
