"""Caspian Trade Monitor — the entry page (`/`) shows the overview; the other pages are in pages/."""

from pages.overview import render
from pages.ui import frame

frame.run("overview", render)
