"""Sensitivity analysis with SALib: which behavioural parameters drive the outcomes.

A design file (TOML, in ``experiments/``) names the parameters, the SALib method, the
sample size, the outcomes and the scenario; ``run_sensitivity`` samples with SALib, runs
the model on the experiment engines (resumable store), and analyses with SALib.
"""

from .design import SensitivityDesign, load_design
from .methods import METHODS

__all__ = ["METHODS", "SensitivityDesign", "load_design"]
