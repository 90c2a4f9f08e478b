"""The shipped SYNTHETIC demonstration data (`python -m etl sample`), apart from the runtime ETL.

`generator` invents a hidden truth and writes what each source would have recorded of it.
"""

from etl.sample.generator import DEFAULT_SEED, generate

__all__ = ["DEFAULT_SEED", "generate"]
