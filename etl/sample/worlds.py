"""The generated worlds: which corridors each Iranian origin uses, and which supply contracts it holds.

A world says, for an origin (a province or the rest of Iran) and a product, how much of its
Russia trade takes each corridor of `etl.sample.routes`, month by month, and which multi-year
contracts tie part of it to one Russian region. The province <-> Volgograd association is never
set here: it follows from these routes (a province shipping by river-sea vessel up the Volga
lands much of it in Volgograd; one railing it through Kazakhstan lands little there).

Every world uses the same products, volumes, file layouts and source coverage: FCS regional data
stop after 2022-01 (except `fcs_continues`, a diagnosis world), Comtrade has Russia's reports to
2021 and Iran's to 2024.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.sample.catalogue import PROVINCES, ROI
from etl.sample.grid import Grid
from etl.sample.routes import CORRIDORS, MODE_FIT, PRODUCT_MODE

WORLDS = {
    "sample": "the shipped sample: each province ships through its own gateways (Gilan: Anzali and Astara; "
              "Mazandaran: Amirabad, Nowshahr; Golestan: Incheh Borun rail), habits differ by product and drift "
              "by year, and supply contracts tie some trade to a region: the association is mixed by province, "
              "product and year, sometimes weaker than independence",
    "strong": "the provinces ship by river-sea vessel from their own Caspian ports to Volgograd, the rest of Iran "
              "by Bandar Abbas, Julfa and the eastern rail: a strong association (Caspian neighbours)",
    "none": "all of Iran's Russia cargo is consolidated by national forwarders and routed by one corridor mix, "
            "whatever the province: no association",
    "drifting": "year by year the provinces' cargo moves to river-sea lines to Volgograd and the rest of Iran's to "
                "the southern and land corridors: from no association in 2019 to a strong one in 2025",
    "route_shift": "strong until early 2022; from 1401/01 (2022-03-21) the river-sea line to Volgograd stops "
                   "(Gilan's and Mazandaran's cargo goes to Astrakhan and Makhachkala) and Golestan's trade moves "
                   "to the Incheh Borun rail corridor",
    "fcs_continues": "as `sample`, but FCS keeps publishing Volgograd's regional data to 2025-12 "
                     "(not reality: for diagnosing a nowcast against what FCS would have said)",
}


def _mix(**shares: float) -> np.ndarray:
    return np.array([shares.get(c, 0.0) for c in CORRIDORS])


# The provinces' own gateways (what the sample world starts from).
GEOGRAPHY = {
    "IR-01": _mix(volga=.25, astrakhan=.30, makhachkala=.10, astara_road=.25, upper_lars=.03, rail_east=.02,
                  bandar_abbas=.05),
    "IR-02": _mix(volga=.35, astrakhan=.30, makhachkala=.15, astara_road=.10, upper_lars=.02, rail_east=.03,
                  bandar_abbas=.05),
    "IR-27": _mix(volga=.05, astrakhan=.20, makhachkala=.10, astara_road=.10, upper_lars=.02, rail_east=.50,
                  bandar_abbas=.03),
}
NATIONAL = _mix(volga=.08, astrakhan=.18, makhachkala=.10, astara_road=.22, upper_lars=.12, rail_east=.12,
                bandar_abbas=.18)  # the rest of Iran: Tehran, Isfahan, Tabriz, the south
POOLED = _mix(volga=.12, astrakhan=.18, makhachkala=.10, astara_road=.20, upper_lars=.10, rail_east=.15,
              bandar_abbas=.15)  # one national mix for everybody
DIRECT = _mix(volga=.60, astrakhan=.28, makhachkala=.04, astara_road=.06, rail_east=.02)
SOUTHERN = _mix(astrakhan=.05, makhachkala=.05, astara_road=.25, upper_lars=.22, rail_east=.15, bandar_abbas=.28)
SHIFT_J = (1401, 1)  # route_shift: the first Jalali month of the new routes


@dataclass(frozen=True)
class Contract:
    """A multi-year supply contract: `share` of an origin's trade in hs6 goes to (comes from) `region`."""

    origin: str
    hs6: str
    region: str
    first_year: int
    last_year: int
    share: float


@dataclass(frozen=True)
class World:
    name: str
    fcs_last: str = "2022-01"  # the last month FCS publishes Volgograd's regional data

    @property
    def description(self) -> str:
        return WORLDS[self.name]

    @property
    def routing(self) -> str:
        """The world whose routes and contracts this one has (a diagnosis world differs in coverage only)."""
        return "sample" if self.name == "fcs_continues" else self.name

    @property
    def month_noise(self) -> float:
        """Month-to-month wobble of each origin's corridor use (lognormal sigma)."""
        return 0.10 if self.name == "none" else 0.20

    def corridors(self, origin: str, hs6: str, grid: Grid, rng: np.random.Generator) -> np.ndarray:
        """Corridor weights [C, J] of an origin's trade in hs6 (before season, shocks and noise)."""
        fit = MODE_FIT[PRODUCT_MODE.get(hs6, "general")][:, None]
        rest = origin == ROI
        ones = np.ones(grid.J)[None, :]
        if self.routing == "sample":
            if rest:
                base = NATIONAL * np.exp(rng.normal(0, 0.3, len(CORRIDORS)))
                return base[:, None] * fit * _yearly_walk(grid, rng, 0.10)
            base = GEOGRAPHY[origin] * np.exp(rng.normal(0, 0.5, len(CORRIDORS))) * fit[:, 0]
            base = np.where(base / base.sum() < 0.06, 0.0, base)  # a shipper uses a few corridors only
            return base[:, None] * _yearly_walk(grid, rng, 0.15)
        if self.name == "none":
            return POOLED[:, None] * fit * ones
        if self.name == "strong":
            base = SOUTHERN if rest else DIRECT * np.exp(rng.normal(0, 0.3, len(CORRIDORS)))
            return base[:, None] * fit * ones
        if self.name == "drifting":  # from one pooled mix in 2019 apart to DIRECT and SOUTHERN in 2025
            lam = np.clip(grid.t / 7.0, 0.0, 1.0)[None, :]
            return ((1 - lam) * POOLED[:, None] + lam * (SOUTHERN if rest else DIRECT)[:, None]) * fit
        if self.name == "route_shift":
            if rest:
                return SOUTHERN[:, None] * fit * ones
            before = 0.7 * DIRECT + 0.3 * GEOGRAPHY[origin]
            after = before.copy()
            if origin == "IR-27":
                after = after * 0.25 / after.sum()
                after[CORRIDORS.index("rail_east")] += 0.75
            else:
                volga = CORRIDORS.index("volga")
                moved = after[volga] * 0.9
                after[volga] -= moved
                after[CORRIDORS.index("astrakhan")] += moved / 2
                after[CORRIDORS.index("makhachkala")] += moved / 2
            shifted = np.array([jm >= SHIFT_J for jm in grid.jal])[None, :]
            return np.where(shifted, after[:, None], before[:, None]) * fit
        raise ValueError(f"unknown world {self.name!r}")

    def contracts(self, trade: dict[str, list[str]], rng: np.random.Generator) -> list[Contract]:
        """Supply contracts; trade maps each origin to the hs6 codes it trades with Russia."""
        if self.routing == "sample":
            n, origins, regions = 10, [*PROVINCES, ROI], ["RU-VGG", "RU-MOW", "RU-AST"]
            p_origin, p_region = [.25, .3, .15, .3], [.65, .2, .15]
        elif self.name == "strong":
            n, origins, regions, p_origin, p_region = 5, list(PROVINCES), ["RU-VGG"], [.35, .45, .2], [1.0]
        else:
            return []
        out = []
        for _ in range(n):
            origin = str(rng.choice(origins, p=p_origin))
            hs6 = str(rng.choice(trade[origin]))
            first = int(rng.integers(2019, 2025))
            out.append(Contract(origin, hs6, str(rng.choice(regions, p=p_region)), first,
                                first + int(rng.integers(1, 4)), float(rng.uniform(0.15, 0.4))))
        return out


def _yearly_walk(grid: Grid, rng: np.random.Generator, sigma: float) -> np.ndarray:
    """[C, J] multiplicative random walk by year (habits change from one year to the next)."""
    years = np.arange(grid.year.min(), grid.year.max() + 1)
    walk = np.exp(np.cumsum(rng.normal(0, sigma, (len(CORRIDORS), len(years))), axis=1))
    return walk[:, grid.year - years[0]]


def world(name: str) -> World:
    if name not in WORLDS:
        raise ValueError(f"unknown world {name!r}; expected one of: {', '.join(WORLDS)}")
    return World(name, fcs_last="2025-12" if name == "fcs_continues" else "2022-01")
