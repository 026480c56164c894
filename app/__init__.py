"""tracegraph: a supply-chain traceability graph service for forced-labor (UFLPA) import compliance."""

__version__ = "0.1.0"
