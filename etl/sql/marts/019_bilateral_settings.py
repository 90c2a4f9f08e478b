"""marts.bilateral_settings: the estimator's stated constants (one row), for the SQL models that need
them and for the data page: the CIF/FOB margin τ and the spreads assumed where data say nothing."""

from etl.estimate.inputs import settings as model

__all__ = ["model"]
