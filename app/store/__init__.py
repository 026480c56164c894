"""Graph stores: one protocol, two backends, chosen by `Settings.store`."""

from app.store.base import GraphStore, RecordKind, SourcingKey, TenantInfo

__all__ = ["GraphStore", "RecordKind", "SourcingKey", "TenantInfo"]
