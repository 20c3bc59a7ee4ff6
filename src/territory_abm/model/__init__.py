"""The Mesa model: households (columns), firms and municipalities (agents), markets."""

from .model import TerritoryModel

__all__ = ["TerritoryModel"]
