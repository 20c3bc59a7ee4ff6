"""What a calibration method starts from and returns, whatever the method and the targets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .objective import Objective


@dataclass(frozen=True)
class FitDesign:
    """What every calibration file fixes, whatever it is fitted to.

    parameters, bounds : free parameters (registry names) and their uniform priors
    """

    name: str
    description: str
    source: str
    method: str
    options: dict
    parameters: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    sampler_seed: int
    confidence_level: float
    identification_factor: float
    predictive_draws: int

    @property
    def lower(self) -> np.ndarray:
        return np.array([b[0] for b in self.bounds])

    @property
    def upper(self) -> np.ndarray:
        return np.array([b[1] for b in self.bounds])


@dataclass
class Fit:
    """Result of a calibration method.

    estimate : point estimate (parameter values)
    draws, weights : the uncertainty sample (ABC-SMC: the posterior particles and their
        weights; SMM: bootstrap re-estimates, equal weights)
    history : one row per generation (evaluations, distances or threshold reached; SMM:
        the generation's best and median distance and the best so far, see ``smm.fit_smm``)
    """

    method: str
    estimate: np.ndarray
    draws: np.ndarray
    weights: np.ndarray
    history: pd.DataFrame
    objective: Objective
    notes: list[str]
