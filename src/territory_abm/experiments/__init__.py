"""Experiments: many runs (scenario comparisons, sensitivity analysis) on local or Dask engines,
stored so that an interrupted experiment resumes."""

from .results import load_results

__all__ = ["load_results"]
