"""marts.bilateral_totals: Russia <-> Iran national trade per product, direction and Gregorian month
(Comtrade years spread by the provinces' monthly profile; years without Comtrade carried)."""

from etl.estimate.totals import model

__all__ = ["model"]
