"""How Iran's trade with Russia physically moves: corridors, the Russian regions they reach, gateways.

A shipment between an Iranian origin (a province, or the rest of Iran) and Russia takes a
*corridor*; the corridor decides where in Russia it can end up (or, for Russia's exports, where it
can come from), and the product decides which of those regions buys or sells it. Nothing here is
an association parameter: the province <-> Volgograd association of the generated worlds comes out
of which corridors each origin uses (`etl.sample.worlds`), through these tables.
"""

from __future__ import annotations

import numpy as np

CORRIDORS = (
    "volga",         # river-sea vessels between Iran's Caspian ports and Volgograd, up the Volga
    "astrakhan",     # sea to Astrakhan / Olya, then road and rail inland
    "makhachkala",   # sea to Makhachkala (Dagestan), then road and rail
    "astara_road",   # trucks via Astara, Azerbaijan and Dagestan (INSTC western branch)
    "upper_lars",    # trucks via Julfa, Armenia, Georgia and Upper Lars
    "rail_east",     # rail via Incheh Borun or Sarakhs, Turkmenistan and Kazakhstan (INSTC eastern branch)
    "bandar_abbas",  # by sea from Bandar Abbas round to Novorossiysk
)
SEA = ("volga", "astrakhan", "makhachkala")
REGIONS = ("RU-VGG", "RU-AST", "RU-DA", "RU-KDA", "RU-ROS", "RU-SAR", "RU-TA", "RU-MOW", "other")
C, R = len(CORRIDORS), len(REGIONS)
VOLGA, ASTRAKHAN, MAKHACHKALA = (CORRIDORS.index(c) for c in SEA)
VGG_I = REGIONS.index("RU-VGG")


def _table(rows: dict[str, dict[str, float]], keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    return {name: np.array([row.get(k, 0.0) for k in keys]) for name, row in rows.items()}


# Where a corridor's cargo is consigned to (or loaded at), before the product's pull.
# River-sea vessels call at Volgograd first; some go on to Saratov, Kazan or Moscow.
REACH = np.stack(list(_table({
    "volga": {"RU-VGG": 6, "RU-AST": .3, "RU-SAR": 1.5, "RU-TA": 1.2, "RU-MOW": .6, "other": .4},
    "astrakhan": {"RU-VGG": 1.5, "RU-AST": 3, "RU-DA": .2, "RU-KDA": .3, "RU-ROS": .5, "RU-SAR": .6, "RU-TA": .4,
                  "RU-MOW": 2, "other": 1},
    "makhachkala": {"RU-VGG": .5, "RU-AST": .3, "RU-DA": 3, "RU-KDA": 1, "RU-ROS": .8, "RU-SAR": .2, "RU-TA": .2,
                    "RU-MOW": 2, "other": 1},
    "astara_road": {"RU-VGG": .6, "RU-AST": .3, "RU-DA": 1.5, "RU-KDA": 1.2, "RU-ROS": .8, "RU-SAR": .3, "RU-TA": .3,
                    "RU-MOW": 3, "other": 1.5},
    "upper_lars": {"RU-VGG": .3, "RU-AST": .1, "RU-DA": .3, "RU-KDA": 1.5, "RU-ROS": 1.2, "RU-SAR": .2, "RU-TA": .3,
                   "RU-MOW": 3, "other": 2},
    "rail_east": {"RU-VGG": .6, "RU-AST": .8, "RU-DA": .1, "RU-KDA": .2, "RU-ROS": .3, "RU-SAR": 1, "RU-TA": 1.5,
                  "RU-MOW": 3, "other": 2},
    "bandar_abbas": {"RU-VGG": .2, "RU-AST": .1, "RU-DA": .2, "RU-KDA": 3, "RU-ROS": 1.2, "RU-SAR": .2, "RU-TA": .3,
                     "RU-MOW": 3, "other": 2},
}, REGIONS).values()))

# Which Russian regions buy (Iran's exports) or sell (Iran's imports) a kind of product.
PULL = _table({
    "grain": {"RU-VGG": 3, "RU-AST": .5, "RU-DA": .1, "RU-KDA": 2.5, "RU-ROS": 2.5, "RU-SAR": 2, "RU-TA": 1,
              "RU-MOW": .2, "other": 2},
    "pulses": {"RU-VGG": 3, "RU-AST": 1, "RU-KDA": .5, "RU-ROS": 1, "RU-SAR": 3, "other": 1},
    "linseed": {"RU-VGG": 1.5, "RU-ROS": .5, "RU-SAR": 1.5, "other": 3},
    "vegoil": {"RU-VGG": 1.5, "RU-KDA": 2, "RU-ROS": 3, "RU-SAR": 2, "RU-MOW": .3, "other": 1.5},
    "steel": {"RU-VGG": 2, "RU-ROS": .5, "RU-TA": .3, "RU-MOW": .5, "other": 4},
    "rice": {"RU-VGG": .3, "RU-AST": 1, "RU-DA": 1, "RU-KDA": 4, "RU-ROS": .5},
    "petroleum": {"RU-VGG": 3, "RU-AST": .5, "RU-KDA": 1, "RU-SAR": 1, "RU-TA": 1.5, "other": 3},
    "fresh": {"RU-VGG": 2.5, "RU-AST": .8, "RU-DA": 1, "RU-KDA": 1.2, "RU-ROS": 1, "RU-SAR": .6, "RU-TA": .8,
              "RU-MOW": 3, "other": 2.5},
    "dairy": {"RU-VGG": 2, "RU-AST": 1, "RU-DA": 1.5, "RU-KDA": 1, "RU-ROS": .6, "RU-TA": .5, "RU-MOW": 2, "other": 2},
    "building": {"RU-VGG": 2.5, "RU-AST": 1.5, "RU-DA": 2, "RU-KDA": 1, "RU-ROS": .8, "RU-MOW": .5, "other": 1},
    "industrial": {"RU-VGG": 2, "RU-SAR": 1, "RU-TA": 2, "RU-MOW": 2, "RU-ROS": .5, "other": 2},
    "food": {"RU-VGG": 2, "RU-AST": .5, "RU-DA": 1, "RU-KDA": 1, "RU-ROS": 1, "RU-SAR": .5, "RU-TA": .7,
             "RU-MOW": 3, "other": 2},
}, REGIONS)
PRODUCT_PULL = {
    "100199": "grain", "100390": "grain", "100590": "grain", "071320": "pulses", "120400": "linseed",
    "151219": "vegoil", "720712": "steel", "721049": "steel", "100630": "rice", "271019": "petroleum",
    "081050": "fresh", "080510": "fresh", "080521": "fresh", "030389": "fresh", "030489": "fresh",
    "040690": "dairy", "040390": "dairy", "252329": "building", "390311": "industrial", "870899": "industrial",
    "200290": "food", "080410": "food", "080251": "food", "060312": "food", "060290": "food", "090230": "food",
}

# How well a kind of cargo suits a corridor: bulk goes by water and rail, perishables by truck.
MODE_FIT = _table({
    "bulk": {"volga": 1.5, "astrakhan": 1.2, "makhachkala": 1, "astara_road": .3, "upper_lars": .3, "rail_east": 1,
             "bandar_abbas": 1},
    "perishable": {"volga": .6, "astrakhan": .9, "makhachkala": 1, "astara_road": 2.5, "upper_lars": 1.5,
                   "rail_east": .6, "bandar_abbas": .3},
    "general": {"volga": 1, "astrakhan": 1, "makhachkala": 1, "astara_road": 1, "upper_lars": 1, "rail_east": 1,
                "bandar_abbas": 1.2},
}, CORRIDORS)
PRODUCT_MODE = {h: "bulk" for h in ("100199", "100390", "100590", "071320", "120400", "151219", "720712", "721049",
                                     "100630", "271019", "252329")}
PRODUCT_MODE.update({h: "perishable" for h in ("081050", "080510", "080521", "040690", "040390", "030389", "030489",
                                                "060312", "060290")})

# Share of a month the Volga–Caspian canal is navigable (Jan..Dec): closed by ice about Dec–Mar.
NAVIGATION = np.array([0, 0, .1, .8, 1, 1, 1, 1, 1, 1, .8, .2])
# Where river-sea cargo goes while the canal is closed: by sea to Astrakhan / Olya or Makhachkala.
WINTER = {ASTRAKHAN: .7, MAKHACHKALA: .3}

# A province's customs office for each corridor: its own ports for the sea corridors, its border
# crossings for its land corridors, and its inland office for cargo trucked to other gateways.
GATEWAYS = {
    "IR-01": {"sea": ["گمرک بندر انزلی", "گمرک بندر کاسپین"], "astara_road": "گمرک آستارا", "inland": "گمرک رشت"},
    "IR-02": {"sea": ["گمرک بندر امیرآباد", "گمرک بندر نوشهر", "گمرک فریدونکنار"], "inland": "گمرک ساری"},
    "IR-27": {"sea": ["گمرک بندر ترکمن"], "rail_east": "گمرک اینچه برون", "inland": "گمرک گرگان"},
}


def land_office(prov: str, corridor: str) -> str:
    """The office recording a province's cargo on a land corridor."""
    g = GATEWAYS[prov]
    return g.get(corridor, g["inland"])


def region_choice(hs6: str, pull_noise: np.ndarray) -> np.ndarray:
    """P[c, r, j]: where cargo of hs6 on corridor c ends (or starts) in Russia, by month.

    pull_noise [R, J] scales each region's pull month by month (markets and harvests move); it is
    the same for every Iranian origin.
    """
    w = REACH[:, :, None] * PULL[PRODUCT_PULL[hs6]][None, :, None] * pull_noise[None, :, :]
    return w / w.sum(axis=1, keepdims=True)


def navigable(months: np.ndarray) -> np.ndarray:
    """Share of each month (1..12) the Volga route is open."""
    return NAVIGATION[months - 1]
