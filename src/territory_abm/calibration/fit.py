"""What a calibration method returns, whatever the method."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .objective import Objective


@dataclass
class Fit:
    """Result of a calibration method.

    estimate : point estimate (parameter values)
    draws, weights : the uncertainty sample (ABC-SMC: the posterior particles and their
        weights; SMM: bootstrap re-estimates, equal weights)
    history : one row per generation (evaluations, distance or threshold reached)
    """

    method: str
    estimate: np.ndarray
    draws: np.ndarray
    weights: np.ndarray
    history: pd.DataFrame
    objective: Objective
    notes: list[str]
