"""Fill the caches before anyone asks: every page in every language with the default filters, for
the live warehouse, right after the server starts and again as soon as a refresh publishes a new
version — so no user's first visit pays for the filters' allowed values, the names, the queries and
the figures (bench/RESULTS.md "Pages").

One daemon thread per server process watches the live file (its identity, as analysis.db.current
does, every POLL_S seconds) and warms each version it has not seen. Only `python -m pages.ui.serve`
starts it, as soon as Streamlit's runtime is up: not a page's script run, because AppTest creates a
runtime too, and a watcher left running in a test process warms pages behind other tests' backs
(`streamlit run dashboard.py` serves the same app without the warm-up).

Each view is drawn by the page's own `render` without a session — Streamlit's "bare" mode, in which
the st.* calls draw nothing — so it runs exactly the queries and figures a visit runs, into the
caches all sessions share (pages.ui.frame). The warm-up never raises: a missing, outdated or broken
warehouse, a failing page, anything, is logged (logger ctm.dashboard) and the watcher goes on.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time

from analysis import db
from analysis.i18n import LANGS

log = logging.getLogger("ctm.dashboard")
THREAD_NAME = "ctm-warmup"
POLL_S = 2.0

_lock = threading.Lock()
_thread: threading.Thread | None = None


class _OnlyOtherThreads(logging.Filter):
    """Drop Streamlit's "missing ScriptRunContext" warning for the warm-up's own thread (bare mode
    is what it wants); every other thread's warnings pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        return threading.current_thread().name != THREAD_NAME


def in_server() -> bool:
    """Whether this process is a running Streamlit server (not AppTest, not a plain import)."""
    from streamlit.runtime import Runtime

    return Runtime.exists()


def start() -> bool:
    """Start the watcher once per process; False when it is already running."""
    global _thread
    with _lock:
        if _thread is not None and _thread.is_alive():
            return False
        logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_OnlyOtherThreads())
        _thread = threading.Thread(target=_watch, name=THREAD_NAME, daemon=True)
        _thread.start()
        return True


def start_when_server_runs(timeout_s: float = 120.0) -> threading.Thread:
    """From the launcher, before Streamlit starts: start the watcher as soon as the runtime exists."""

    def wait() -> None:
        deadline = time.monotonic() + timeout_s
        while not in_server():
            if time.monotonic() > deadline:
                log.warning("warm-up not started: no Streamlit runtime after %.0f s", timeout_s)
                return
            time.sleep(0.05)
        start()

    thread = threading.Thread(target=wait, name="ctm-warmup-start", daemon=True)
    thread.start()
    return thread


def _watch() -> None:
    seen: db.Identity | None = None
    while True:
        try:
            ident = db.identity()
        except db.WarehouseMissing:
            ident = None
        except Exception:  # noqa: BLE001 - the watcher must outlive anything (a vanished folder, permissions)
            log.exception("warm-up: could not look at the warehouse file")
            ident = None
        if ident is not None and ident != seen:
            seen = ident
            warm_all()
        time.sleep(POLL_S)


def warm_all() -> tuple[int, int]:
    """Warm every view for the live warehouse as it is now: (views warmed, views failed). Never raises."""
    t0 = time.perf_counter()
    try:
        wh = db.current()
    except Exception as e:  # noqa: BLE001 - missing, outdated or unreadable: the pages say so to users
        log.warning("warm-up skipped: the warehouse could not be opened (%s: %s)", type(e).__name__, e)
        return 0, 0
    from pages.ui import frame

    done = failed = 0
    # the root URL (the overview in English) first: the likeliest first visit
    for page, lang in [(page, lang) for lang in LANGS for page in frame.PAGES]:
        try:
            frame.warm(page, lang, wh, _render(page))
            done += 1
        except Exception as e:  # noqa: BLE001
            failed += 1
            if db.is_damage(e):
                log.warning("warm-up of version %s stopped: the warehouse is damaged (%s: %s)", wh.version,
                            type(e).__name__, e)
                break
            log.exception("warm-up: page %s %s failed on version %s", page, lang, wh.version)
    log.info("warm-up of version %s: %d views in %.2f s%s", wh.version, done, time.perf_counter() - t0,
             f", {failed} failed" if failed else "")
    return done, failed


def _render(page: str):
    return importlib.import_module(f"pages.{page}").render
