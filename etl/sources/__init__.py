"""Source adapters, one module per file format, each with the same small surface:

    NAME: str                                   # the `source` value of its rows
    sniff(path, head: bytes) -> bool            # is this file my format? (content, not folder)
    read(path, name, ref) -> AdapterResult      # staging rows + rejected rows

`head` is the first 64 KiB of the file. Adapters raise `FileError` for whole-file problems.
Their shared helpers are in `etl.sources.common`.
"""

from etl.sources.common import ADAPTER_NAMES, HEAD_BYTES, adapters, detect

__all__ = ["ADAPTER_NAMES", "HEAD_BYTES", "adapters", "detect"]
