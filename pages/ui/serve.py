"""Serve the dashboard and warm its caches as soon as the server is up:

    python -m pages.ui.serve [streamlit options, e.g. --server.port 8501]

the same as `streamlit run dashboard.py [options]`, plus the warm-up (pages.ui.warmup) started right
after Streamlit's runtime exists instead of on the first visit.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def main(argv: list[str] | None = None) -> None:
    from streamlit.web import cli

    from pages.ui import warmup

    warmup.start_when_server_runs()
    sys.argv = ["streamlit", "run", str(ROOT / "dashboard.py"), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
