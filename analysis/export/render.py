"""PNG and SVG of a figure through kaleido, driving the Chromium or Chrome found on this machine.

Images reuse one browser per process: kaleido's sync server is started on the first image (≈1.5 s)
and later images take ≈0.1–0.3 s (DESIGN §7). Calls into it are serialised by a lock (its request
and reply queues are shared), and a browser that dies is reported instead of waiting forever.
Stamp a figure first (analysis.export.stamp.stamped).
"""

from __future__ import annotations

import os
import queue
import shutil
import threading

import plotly.graph_objects as go

from analysis.i18n import t

IMAGE_FORMATS = ("png", "svg")  # need a browser
WIDTH, HEIGHT = 1400, 800  # exported image size in pixels
BROWSER_ENV = ("CHROME_PATH", "BROWSER_PATH")
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_COMMAND = "apt-get install chromium fonts-dejavu-core"
RENDER_TIMEOUT = 120  # seconds for one image before the browser is considered stuck


class BrowserMissing(Exception):
    """PNG and SVG need Chromium or Chrome; `message(lang)` says so in the UI's language."""

    formats = IMAGE_FORMATS

    def __init__(self) -> None:
        super().__init__(self.message("en"))

    @staticmethod
    def message(lang: str = "en") -> str:
        return t("export.browser_missing", lang, command=INSTALL_COMMAND)


class RenderError(RuntimeError):
    """The browser failed or stopped while drawing an image."""


def find_browser() -> str | None:
    """CHROME_PATH or BROWSER_PATH when it names an executable file, else the first of chromium,
    chromium-browser, google-chrome, google-chrome-stable on PATH; None when there is none."""
    for var in BROWSER_ENV:
        path = os.environ.get(var)
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    for name in BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


_render_lock = threading.Lock()
_server_browser: str | None = None


def _server():
    import kaleido

    return kaleido._global_server  # noqa: SLF001 — only to see whether its thread is still alive


def _ensure_server(browser: str) -> None:
    """Start kaleido's sync server once per process (one browser for every later image)."""
    global _server_browser
    import kaleido

    if _server_browser is not None and _server().is_running():
        thread = getattr(_server(), "_thread", None)
        if thread is None or thread.is_alive():
            return
        kaleido.stop_sync_server(silence_warnings=True)  # the browser died: start a new one
    # mathjax=False: the default loads MathJax from a CDN, which an offline machine waits on
    kaleido.start_sync_server(path=browser, mathjax=False, n=1, silence_warnings=True)
    _server_browser = browser



def _render(fig: go.Figure, fmt: str, width: int, height: int) -> bytes:
    browser = find_browser()
    if browser is None:
        raise BrowserMissing()
    import kaleido

    spec = fig.to_dict()
    opts = {"format": fmt, "width": width, "height": height, "scale": 1}
    with _render_lock:
        _ensure_server(browser)
        result: queue.Queue = queue.Queue(maxsize=1)

        def call() -> None:
            try:
                result.put(kaleido.calc_fig_sync(spec, opts=opts))
            except BaseException as e:  # noqa: BLE001 — handed to the caller
                result.put(e)

        # kaleido's server waits forever if its browser thread has died; watch it from here
        threading.Thread(target=call, daemon=True, name="export-render").start()
        server_thread = getattr(_server(), "_thread", None)
        for _ in range(int(RENDER_TIMEOUT / 0.2)):
            try:
                got = result.get(timeout=0.2)
                break
            except queue.Empty:
                if server_thread is not None and not server_thread.is_alive():
                    _reset_server()
                    raise RenderError(f"the browser ({browser}) stopped while drawing a {fmt.upper()}") from None
        else:  # kaleido's own 90 s timeout should come first; a server stuck past it cannot be stopped cleanly
            raise RenderError(f"the browser ({browser}) took more than {RENDER_TIMEOUT} s for one {fmt.upper()}")
    if isinstance(got, BaseException):
        raise RenderError(f"{fmt.upper()} export failed: {got}") from got
    return got


def _reset_server() -> None:
    global _server_browser
    import kaleido

    _server_browser = None
    try:
        kaleido.stop_sync_server(silence_warnings=True)
    except Exception:  # noqa: BLE001 — a dead server may fail to stop cleanly; a new one is started next time
        pass


def to_png(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """PNG bytes of `fig` (stamp it first with `stamped`). Raises BrowserMissing without a browser."""
    return _render(fig, "png", width, height)


def to_svg(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """SVG bytes of `fig` (text stays text, in the figure's fonts)."""
    return _render(fig, "svg", width, height)

