"""marts.bilateral_psi: ψ per province, direction, product and Gregorian year — the odds ratio of a
province's Russia trade going to Volgograd against the rest of Iran's — its spread and its source."""

from etl.estimate.psi import model

__all__ = ["model"]
