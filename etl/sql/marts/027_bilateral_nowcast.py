"""marts.bilateral_nowcast: Volgograd's side over its customs' silence, per product, direction and
Gregorian month — the carried shares benchmarked to published yearly totals (Denton), with spreads."""

from etl.estimate.nowcast import model

__all__ = ["model"]
