"""marts.bilateral_volgograd: Volgograd's side per product, direction and Gregorian month — as its
customs reported it, or nowcast (shares carried forward, benchmarked to published yearly totals)."""

from etl.estimate.nowcast import model

__all__ = ["model"]
