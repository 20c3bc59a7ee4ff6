"""Territory data: loading, validation and the synthetic population."""

from .territory import EDGE_COLUMNS, NODE_COLUMNS, Territory, load_territory

__all__ = ["EDGE_COLUMNS", "NODE_COLUMNS", "Territory", "load_territory"]
