"""The hidden truth, told as a physical story: who trades what with Russia, by which corridor, to where.

For every product and month (Jalali months, even daily rate inside each):
1. each origin — Gilan, Mazandaran, Golestan and the rest of Iran — has a volume of trade with
   Russia (season, growth, shocks, its own drift and noise);
2. the world (`etl.sample.worlds`) splits it over corridors (ports, border crossings, rail), which
   the Volga's navigation season and capacity shocks shared by everyone then bend, and ties parts
   of it to one region by supply contracts;
3. each corridor's cargo ends (or, for Russia's exports, starts) in a Russian region by the
   corridor's reach and the product's buyers or sellers (`etl.sample.routes`).
The province <-> Volgograd truth is what the provinces' routes bring to Volgograd; Volgograd's
trade with Iran is what all four origins bring there. Nothing is fitted to margins and no odds
ratio is set: the association comes out of the routes and is only *measured* (`etl.sample.truth`).

`Model` then derives what the sources would record (CIF, timing, rounding), in float; the
writers round (see `etl.sample.generator` for how the bounds are guaranteed).
"""

from __future__ import annotations

import zlib

import numpy as np

from etl.sample.catalogue import (
    GRAIN,
    GROWTH,
    ORIGINS,
    PRODUCTS,
    PROVINCES,
    REST_ONLY_2019,
    ROI,
    RUSSIA_TRADE,
    SEASON,
    YEARS,
    price_index,
)
from etl.sample.grid import Grid
from etl.sample.routes import (
    ASTRAKHAN,
    CORRIDORS,
    GATEWAYS,
    REGIONS,
    SEA,
    VGG_I,
    VOLGA,
    WINTER,
    C,
    R,
    land_office,
    navigable,
    region_choice,
)
from etl.sample.worlds import World

REST_MAX_VGG = 0.5  # the rest of Iran never sends more than half of a product's Russia trade to Volgograd
CONTRACT_CORRIDOR = {"RU-VGG": "volga", "RU-AST": "astrakhan", "RU-MOW": "astara_road"}


def rng(seed: int, name: str) -> np.random.Generator:
    """One independent, reproducible random stream per name."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


class Model:
    """All latent series. Axes: k = (flow, hs6) of RUSSIA_TRADE, o = ORIGINS, c = corridor, r = region,
    j = Jalali month, g = Gregorian month of the grid."""

    def __init__(self, seed: int, world: World):
        self.seed, self.world = seed, world
        self.grid = Grid()
        self.groups = [(flow, hs6) for flow, hs6, _, _ in RUSSIA_TRADE]
        self._volumes()
        self._routes()
        self._offices()
        self._records()

    # 1. volumes -----------------------------------------------------------------------------
    def _volumes(self):
        g, draw = self.grid, rng(self.seed, "volumes")
        shape = (len(self.groups), len(ORIGINS), g.J)
        self.X = np.zeros(shape)
        self.price = np.ones(shape)
        for k, (flow, hs6, base, weights) in enumerate(RUSSIA_TRADE):
            season = SEASON[PRODUCTS[hs6][3]][g.month - 1]
            growth = np.array([GROWTH[flow][y] for y in g.year])
            shock = np.ones(g.J)
            if flow == "import" and hs6 in GRAIN:  # 2022 Russian grain-export restrictions
                shock[(g.year == 2022) & (g.month >= 3) & (g.month <= 6)] = 0.35
            if flow == "export":  # COVID spring 2020
                shock[(g.year == 2020) & ((g.month == 4) | (g.month == 5))] = 0.6
            unit = PRODUCTS[hs6][2] * price_index(hs6, g.year)
            rest_ratio = draw.uniform(1.0, 2.5)  # the rest of Iran trades 1-2.5 times the three provinces
            for o, origin in enumerate(ORIGINS):
                if origin == ROI:
                    level, sigma = (REST_ONLY_2019[hs6] if weights is None else base * rest_ratio), 0.12
                else:
                    level = base * (weights or {}).get(origin, 0.0)
                    sigma = 0.30 if hs6 in GRAIN else 0.22
                drift = np.exp(np.cumsum(draw.normal(0, 0.08, len(YEARS))))
                noise = np.exp(draw.normal(-sigma**2 / 2, sigma, g.J))
                wobble = np.exp(draw.normal(0, 0.05, g.J))
                if level == 0:
                    continue
                self.X[k, o] = level / 12 * season * growth * shock * (drift / drift[1])[g.year - YEARS[0]] * noise
                self.price[k, o] = unit * wobble
        self.trades = self.X.sum(axis=2) > 0  # [K, O]

    # 2. routes --------------------------------------------------------------------------------
    def _routes(self):
        g, w = self.grid, self.world
        draw, habits = rng(self.seed, "regions"), rng(self.seed, f"corridors-{w.routing}")
        traded = {origin: [hs6 for k, (_, hs6) in enumerate(self.groups) if self.trades[k, o]]
                  for o, origin in enumerate(ORIGINS)}
        self.contracts = w.contracts(traded, rng(self.seed, f"contracts-{w.routing}"))
        capacity = _capacity_shocks(g, rng(self.seed, "capacity"))
        is_open = navigable(g.month)
        nyears = g.year.max() - g.year.min() + 1
        self.F = np.zeros((len(self.groups), len(ORIGINS), C, R, g.J))
        for k, (_, hs6) in enumerate(self.groups):
            pull = (np.exp(draw.normal(0, 0.2, (R, nyears)))[:, g.year - g.year.min()]
                    * np.exp(draw.normal(0, 0.1, (R, g.J))))
            where = region_choice(hs6, pull)  # [C, R, J]
            for o, origin in enumerate(ORIGINS):
                weights = w.corridors(origin, hs6, g, habits) * capacity
                weights = weights * np.exp(habits.normal(0, w.month_noise, weights.shape))
                if not self.trades[k, o]:
                    continue
                closed = weights[VOLGA] * (1 - is_open)  # the canal is frozen: cargo goes by sea
                weights[VOLGA] -= closed
                for c, part in WINTER.items():
                    weights[c] += part * closed
                shares = weights / weights.sum(axis=0)
                tied = self._tied(origin, hs6, is_open)  # [C, R, J] shares under contract
                free = 1 - tied.sum(axis=(0, 1))
                flows = self.X[k, o] * (free * shares[:, None, :] * where + tied)
                if origin == ROI:
                    flows = _cap_volgograd(flows, self.X[k, o], REST_MAX_VGG)
                self.F[k, o] = flows
        self.Fkg = self.F / self.price[:, :, None, None, :]

    def _tied(self, origin: str, hs6: str, is_open: np.ndarray) -> np.ndarray:
        g = self.grid
        tied = np.zeros((C, R, g.J))
        for ct in self.contracts:
            if (ct.origin, ct.hs6) != (origin, hs6):
                continue
            active = ct.share * ((g.year >= ct.first_year) & (g.year <= ct.last_year))
            r = REGIONS.index(ct.region)
            corridor = CORRIDORS.index(CONTRACT_CORRIDOR[ct.region])
            if corridor == VOLGA:  # frozen canal: the contract's cargo goes via Astrakhan
                tied[VOLGA, r] += active * is_open
                tied[ASTRAKHAN, r] += active * (1 - is_open)
            else:
                tied[corridor, r] += active
        total = tied.sum(axis=(0, 1))
        return tied * np.where(total > 0.6, 0.6 / np.maximum(total, 1e-12), 1.0)

    # 3. customs offices of the provinces' Russia trade ---------------------------------------
    def _offices(self):
        """office_val[(k, province)] = {office: [J] USD}: sea corridors split over the province's ports."""
        g, draw = self.grid, rng(self.seed, "offices")
        self.office_val: dict[tuple[int, str], dict[str, np.ndarray]] = {}
        self.office_kg: dict[tuple[int, str], dict[str, np.ndarray]] = {}
        sea = [CORRIDORS.index(c) for c in SEA]
        for k in range(len(self.groups)):
            for o, prov in enumerate(PROVINCES):
                ports = GATEWAYS[prov]["sea"]
                n = 2 if len(ports) > 1 and draw.random() < 0.45 else 1
                chosen = list(draw.choice(ports, size=n, replace=False))
                first = np.clip(draw.uniform(0.55, 0.9) * np.exp(draw.normal(0, 0.08, g.J)), 0, 1)
                if not self.trades[k, o]:
                    continue
                by_corridor = self.F[k, o].sum(axis=1)  # [C, J]
                kg_corridor = self.Fkg[k, o].sum(axis=1)
                val, kg = {}, {}
                split = [first, 1 - first] if n == 2 else [np.ones(g.J)]
                for port, part in zip(chosen, split, strict=True):
                    val[port] = by_corridor[sea].sum(axis=0) * part
                    kg[port] = kg_corridor[sea].sum(axis=0) * part
                for c, name in enumerate(CORRIDORS):
                    if name in SEA:
                        continue
                    office = land_office(prov, name)
                    val[office] = val.get(office, 0) + by_corridor[c]
                    kg[office] = kg.get(office, 0) + kg_corridor[c]
                self.office_val[(k, prov)] = {o_: v for o_, v in val.items() if np.any(v > 0)}
                self.office_kg[(k, prov)] = {o_: kg[o_] for o_ in self.office_val[(k, prov)]}

    # 4. what the sources would record ----------------------------------------------------------
    def _records(self):
        g, draw = self.grid, rng(self.seed, "records")
        K = len(self.groups)
        russia_imports = np.array([flow == "export" for flow, _ in self.groups])[:, None]  # Iran -> Russia
        cif_ru = draw.uniform(1.04, 1.09, (K, len(YEARS)))
        cif_ir = draw.uniform(1.04, 1.09, (K, len(YEARS)))
        self.cif_ru = np.where(russia_imports, cif_ru[:, g.gy - YEARS[0]], 1.0)  # [K, G]
        self.cif_ir = np.where(russia_imports, 1.0, cif_ir[:, g.year - YEARS[0]])  # [K, J]
        focus = [ORIGINS.index(p) for p in PROVINCES]
        # Gregorian truth: province (and rest of Iran) <-> Volgograd, and each origin's Russia total
        self.vgg_g = g.to_gregorian(self.F[:, :, :, VGG_I, :].sum(axis=2))  # [K, O, G]
        self.vgg_kg_g = g.to_gregorian(self.Fkg[:, :, :, VGG_I, :].sum(axis=2))
        self.tot_g = g.to_gregorian(self.X)  # [K, O, G]
        self.tot_kg_g = g.to_gregorian(self.Fkg.sum(axis=(2, 3)))
        # FCS, Volgograd <-> Iran: CIF on Volgograd's imports; 0-10 % of the month's cargo from the rest
        # of Iran is declared the next month (never the provinces' own: the upper bound stays exact)
        late = draw.uniform(0, 0.10, (K, len(g.greg)))
        self.fcs_val = self.cif_ru * _declare_late(self.vgg_g.sum(axis=1), self.vgg_g[:, focus].sum(axis=1), late)
        self.fcs_kg = _declare_late(self.vgg_kg_g.sum(axis=1), self.vgg_kg_g[:, focus].sum(axis=1), late)
        # national (Comtrade): every declaration, whatever the region, plus up to 3 % in no region
        all_g, all_kg = self.tot_g.sum(axis=1), self.tot_kg_g.sum(axis=1)
        other_regions = all_g - self.vgg_g.sum(axis=1)
        self.russia_val = self.fcs_val + self.cif_ru * other_regions  # Russia's imports CIF / exports FOB
        self.russia_kg = self.fcs_kg + all_kg - self.vgg_kg_g.sum(axis=1)
        self.iran_val = g.to_gregorian(self.X.sum(axis=1) * self.cif_ir)  # Iran's imports CIF / exports FOB
        self.iran_kg = all_kg
        self.unassigned = draw.uniform(0, 0.03, (2, K, len(YEARS)))  # [Russia, Iran] share, by year

    # views --------------------------------------------------------------------------------------
    def series(self) -> list[tuple[int, str, str, str]]:
        """The province <-> Volgograd series of the truth: (k, province, flow, hs6), in a fixed order."""
        return [(k, p, flow, hs6) for k, (flow, hs6) in enumerate(self.groups)
                for o, p in enumerate(PROVINCES) if self.trades[k, o]]


def _capacity_shocks(g: Grid, draw: np.random.Generator) -> np.ndarray:
    """[C, J] capacity factors shared by every origin: a port's dredging, a border closure, a rail
    washout — in a corridor and year with probability 1/4, for 2-4 months at 30-70 % capacity."""
    out = np.ones((C, g.J))
    for c in range(C):
        for y in range(g.year.min(), g.year.max() + 1):
            hit, start, length, level = draw.random(), draw.integers(0, 12), draw.integers(2, 5), draw.uniform(.3, .7)
            months = np.flatnonzero(g.year == y)
            if hit < 0.25 and len(months):
                out[c, months[min(start, len(months) - 1)]:][:length] = level
    return out


def _cap_volgograd(flows: np.ndarray, total: np.ndarray, cap: float) -> np.ndarray:
    """Move what exceeds cap × total from Volgograd to the corridor's other regions, month by month."""
    vgg = flows[:, VGG_I, :].sum(axis=0)
    excess = np.clip(vgg - cap * total, 0, None)
    if not np.any(excess > 0):
        return flows
    flows = flows.copy()
    keep = np.where(vgg > 0, 1 - excess / np.maximum(vgg, 1e-300), 1.0)
    moved = flows[:, VGG_I, :] * (1 - keep)
    flows[:, VGG_I, :] *= keep
    others = np.delete(np.arange(R), VGG_I)
    rest = flows[:, others, :]
    weight = np.where(rest.sum(axis=1, keepdims=True) > 0, rest / np.maximum(rest.sum(axis=1, keepdims=True), 1e-300),
                      np.eye(len(others))[-1][None, :, None])  # no other region on the corridor: 'other'
    flows[:, others, :] += moved[:, None, :] * weight
    return flows


def _declare_late(total: np.ndarray, focus: np.ndarray, late: np.ndarray) -> np.ndarray:
    """Volgograd's month as declared: `late` of the non-focus part slips into the next month."""
    moved = late * np.clip(total - focus, 0, None)
    out = total - moved
    out[:, 1:] += moved[:, :-1]
    return out
