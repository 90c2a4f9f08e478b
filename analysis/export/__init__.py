"""Exports of one chart, each stamped with title, filters, sources, vintage, note and sample mark:
PNG and SVG (kaleido driving the Chromium or Chrome on this machine), standalone HTML that works
offline, and CSV and XLSX of exactly the plotted data.

    stamp   what the stamp says (`stamp_for`) and where it goes on a figure (`stamped`)
    data    the plotted data read back from a figure's traces (`figure_data`)
    render  PNG and SVG through one shared browser (`to_png`, `to_svg`; `render.find_browser()`)
    files   file names, HTML, CSV and XLSX, and `to_bytes` for any of the five formats
"""

from analysis.export.data import figure_data
from analysis.export.files import FORMATS, MIME, file_name, to_bytes
from analysis.export.render import HEIGHT, IMAGE_FORMATS, INSTALL_COMMAND, WIDTH, BrowserMissing, RenderError
from analysis.export.stamp import Stamp, stamp_for, stamped

__all__ = ["FORMATS", "HEIGHT", "IMAGE_FORMATS", "INSTALL_COMMAND", "MIME", "WIDTH", "BrowserMissing", "RenderError",
           "Stamp", "figure_data", "file_name", "stamp_for", "stamped", "to_bytes"]
