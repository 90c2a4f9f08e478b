"""`python -m analysis export` — the chart pack for one filter set and language.

    python -m analysis export --out DIR [--lang en|fa|ru] [--provinces IR-02,gilan] [--flow export]
        [--from YYYY-MM --to YYYY-MM] [--sectors agriculture,…] [--measure usd|kg]
        [--calendar gregorian|jalali] [--formats png,svg,html,csv,xlsx] [--db PATH]

Filter values are checked strictly (analysis.filters.Filters.parse_strict): a bad one is a usage
error naming its parameter. Provinces may be given by code or by name in any of the three languages.

Exit codes: 0 done (formats skipped for want of a browser are said, not failed), 1 a problem (no
warehouse, a chart that could not be built or written), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from analysis import export, pack
from analysis.db import Warehouse, WarehouseMissing, identity
from analysis.filters import Allowed, FilterError, Filters
from analysis.i18n import LANGS
from analysis.names import Names
from etl import paths

err = Console(stderr=True, highlight=False, soft_wrap=True, width=None if sys.stderr.isatty() else 160)
FILTER_OPTIONS = ("lang", "provinces", "flow", "from", "to", "sectors", "measure", "calendar")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.run(args, parser)
    except KeyboardInterrupt:
        err.print("interrupted")
        return 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis", description="Caspian Trade Monitor analysis")
    sub = p.add_subparsers(dest="command")
    e = sub.add_parser("export", help="write every standard chart for a selection, with index.html",
                       description="Write every standard chart for one selection and language into a folder, "
                                   "with an offline index.html.")
    e.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    e.add_argument("--lang", help=f"language: {', '.join(LANGS)} (default en)")
    e.add_argument("--provinces", help="comma-separated codes or names (IR-01 Gilan, IR-02 Mazandaran, "
                                       "IR-27 Golestan; default all three)")
    e.add_argument("--flow", help="export, import or both (default both)")
    e.add_argument("--from", dest="from_", metavar="YYYY-MM", help="first month, Gregorian (2024-01) or Jalali "
                                                                   "(1403-01)")
    e.add_argument("--to", metavar="YYYY-MM", help="last month")
    e.add_argument("--sectors", help="comma-separated sector keys (default all)")
    e.add_argument("--measure", help="usd or kg (default usd)")
    e.add_argument("--calendar", help="gregorian or jalali (default: jalali for fa, else gregorian)")
    e.add_argument("--formats", type=_formats, default=list(export.FORMATS),
                   help=f"comma-separated, of {','.join(export.FORMATS)} (default all)")
    e.add_argument("--db", type=Path, default=paths.WAREHOUSE, help=f"warehouse (default {paths.WAREHOUSE})")
    e.set_defaults(run=cmd_export)
    return p


def _formats(text: str) -> list[str]:
    asked = [x.strip().lower() for x in text.split(",") if x.strip()]
    unknown = [x for x in asked if x not in export.FORMATS]
    if unknown or not asked:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(unknown) or repr(text)}; "
                                         f"expected a comma-separated list of {','.join(export.FORMATS)}")
    return asked


def cmd_export(args, parser: argparse.ArgumentParser) -> int:
    try:
        wh = Warehouse(identity(args.db))
    except WarehouseMissing as e:
        err.print(f"{e}; build one with: python -m etl refresh --sample (or --raw DIR)")
        return 1
    names = Names.from_warehouse(wh)
    given = {"from" if k == "from_" else k: v for k, v in vars(args).items()
             if (k == "from_" or k in FILTER_OPTIONS) and v is not None}
    if "provinces" in given:
        given["provinces"] = province_codes(given["provinces"], names)
    try:
        f = Filters.parse_strict(given, Allowed.from_warehouse(wh))
    except FilterError as e:
        option = "/".join(f"--{p}" for p in e.problem.param.split(","))
        parser.exit(2, f"{parser.prog} export: error: {option}: {e.problem.message}\n")

    formats = args.formats
    if any(fmt in export.IMAGE_FORMATS for fmt in formats) and export.render.find_browser() is None:
        err.print(f"[bold]PNG and SVG are skipped:[/bold] {export.BrowserMissing.message('en')}", markup=True)
    progress = Progress(TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=err, transient=False)
    with progress:
        task = progress.add_task("export", total=pack.steps(formats))

        def step(description: str) -> None:
            progress.update(task, advance=1, description=description[:40])

        result = pack.write_pack(wh, f, args.out, formats, names=names, on_step=step)
    written = len(result.files)
    err.print(f"wrote {written} files and {result.index} in {result.seconds:.1f} s")
    if result.skipped:
        err.print(f"skipped: {', '.join(result.skipped)} (no Chromium or Chrome; "
                  f"install with: {export.INSTALL_COMMAND})")
    for problem in result.problems:
        err.print(f"problem: {problem}")
    return 1 if result.problems else 0


def province_codes(text: str, names: Names) -> str:
    """Names (any language, any case) to codes; anything else is passed on for the filter to refuse."""
    lookup = {}
    for lang, table in names.tables.get("region", {}).items():
        for code, name in table.items():
            lookup[name.casefold()] = code
            if lang == "en":
                lookup[name.casefold().replace(" province", "")] = code
    return ",".join(lookup.get(item.strip().casefold(), item.strip()) for item in text.split(","))


if __name__ == "__main__":
    sys.exit(main())
