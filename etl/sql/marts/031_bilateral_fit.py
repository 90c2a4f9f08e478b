"""marts.bilateral_fit: every province <-> Volgograd cell fitted — estimate, logical bounds, 80 %
interval and its parts for sums, method, ψ and the nowcast's origin (etl/estimate/cells.py)."""

from etl.estimate.cells import model

__all__ = ["model"]
