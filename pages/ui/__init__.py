"""Streamlit code shared by the pages (a package, so Streamlit does not list it as a page)."""
