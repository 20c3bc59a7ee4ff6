"""Calibration against territory data: observations, statistics, SMM and ABC-SMC fits."""

from .command import CalibrationStatus, run_calibration
from .design import CalibrationDesign, load_calibration
from .observations import Observations, load_observations

__all__ = ["CalibrationDesign", "CalibrationStatus", "Observations", "load_calibration", "load_observations",
           "run_calibration"]
