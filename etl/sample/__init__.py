"""The SYNTHETIC demonstration data (`python -m etl sample`) and the generated worlds, apart from the runtime ETL.

`generator.generate` tells a hidden truth as a physical story (`model`, `routes`, `worlds`) and
writes what each source would have recorded of it (`iran`, `russia`, `comtrade`, `manual`) and the
truth itself (`truth`). `WORLDS` names the worlds (name -> one-line description).
"""

from etl.sample.catalogue import DEFAULT_SEED
from etl.sample.generator import generate
from etl.sample.worlds import WORLDS

__all__ = ["DEFAULT_SEED", "WORLDS", "generate"]
