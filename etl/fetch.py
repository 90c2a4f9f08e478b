"""Download Iran <-> Russia trade from the UN Comtrade API v1 into data/raw/comtrade/.

    python -m etl fetch comtrade --years 2019-2025 [--freq A|M] [--out DIR]

One file per reporter, year and frequency (`comtrade_364_2021_A.json`), holding the API's JSON
response as received (`{"data": [...records...], ...}` with the API's field names), which the
`comtrade` adapter reads. Both sides report: Iran (364) against Russia (643) and Russia against
Iran; flows M and X; every 6-digit HS code (AG6); totals over second partner, customs procedure
and transport mode (partner2Code 0, customsCode C00, motCode 0).

Why not `comtradeapicall.getFinalData` itself: the official package (1.3.2) builds the request
below, but on an HTTP error it prints the body and returns None, and on a network error it prints
and returns None, so a caller cannot tell a rate limit (429, worth retrying) from a bad key or
from being offline. This module sends the same request — the endpoint paths and parameter names
of `comtradeapicall.PreviewGet.getPreviewData` — with `requests`, so it sees the status. The key
goes in the `Ocp-Apim-Subscription-Key` header rather than the query, so it never shows in a URL.
Without a key the public preview endpoint is used: at most 500 records per call.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

from etl.paths import RAW

API_BASE = "https://comtradeapi.un.org"
API_BASE_ENV = "COMTRADE_API_BASE"  # tests point this (or api_base=) at a local server
API_KEY_ENV = "COMTRADE_API_KEY"
GET_PATH = "/data/v1/get/{type}/{freq}/{cl}"  # with a subscription key
PREVIEW_PATH = "/public/v1/preview/{type}/{freq}/{cl}"  # without one
KEY_HEADER = "Ocp-Apim-Subscription-Key"
TYPE_CODE, CLASSIFICATION = "C", "HS"
PAIRS = ((364, 643), (643, 364))  # (reporter, partner): Iran and Russia, each as reporter
FLOWS = "M,X"
COMMODITIES = "AG6"  # every 6-digit HS code
MAX_RECORDS_WITH_KEY = 100_000  # the free key's per-call limit
MAX_RECORDS_PREVIEW = 500
FREQS = ("A", "M")
MAX_TRIES = 5
BACKOFF_SECONDS = 2.0  # 2, 4, 8, 16 s between the 5 tries
MAX_RETRY_AFTER = 60.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
TIMEOUT_SECONDS = 120
DEFAULT_OUT = RAW / "comtrade"
OFFLINE_HINT = "check the network or place downloaded JSON files in data/raw/comtrade/"
NO_KEY_MESSAGE = (
    f"{API_KEY_ENV} is not set: using the public preview API, which returns at most {MAX_RECORDS_PREVIEW} "
    "records per call. Iran-Russia trade at 6-digit HS usually has more, so files may be cut short. "
    "A free key is available at https://comtradedeveloper.un.org"
)


class ComtradeError(Exception):
    """The API could not be reached or refused the request; the message says what to do."""


def fetch_comtrade(years: range, freq: str, out_dir: Path, *, api_key: str | None,
                   sleep: Callable[[float], None] = time.sleep, api_base: str | None = None,
                   log: Callable[[str], None] | None = None) -> list[Path]:
    """Download each reporter's year into out_dir; return the files written (empty answers write none)."""
    log = log or _stderr
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS}, got {freq!r}")
    if not api_key:
        log(NO_KEY_MESSAGE)
    url = endpoint(api_base, freq, api_key)
    limit = MAX_RECORDS_WITH_KEY if api_key else MAX_RECORDS_PREVIEW
    written = []
    for year in years:
        for reporter, partner in PAIRS:
            params = query(reporter, partner, year, freq, limit)
            doc = get_json(url, params, api_key=api_key, sleep=sleep, log=log)
            records = doc.get("data") or []
            label = f"reporter {reporter}, {year} {freq}"
            if not records:
                log(f"{label}: no records (not reported yet, or not reported at this frequency)")
                continue
            if len(records) >= limit:
                log(f"{label}: {len(records)} records = the per-call limit; the file may be cut short")
            path = out_dir / f"comtrade_{reporter}_{year}_{freq}.json"
            write_json(path, doc)
            log(f"{label}: wrote {path} ({len(records)} records)")
            written.append(path)
    return written


def endpoint(api_base: str | None, freq: str, api_key: str | None) -> str:
    base = (api_base or os.environ.get(API_BASE_ENV) or API_BASE).rstrip("/")
    path = GET_PATH if api_key else PREVIEW_PATH
    return base + path.format(type=TYPE_CODE, freq=freq, cl=CLASSIFICATION)


def periods(year: int, freq: str) -> str:
    return str(year) if freq == "A" else ",".join(f"{year}{m:02d}" for m in range(1, 13))


def query(reporter: int, partner: int, year: int, freq: str, max_records: int) -> dict[str, str]:
    """The query string, with comtradeapicall's parameter names."""
    return {
        "reportercode": str(reporter), "partnerCode": str(partner), "period": periods(year, freq),
        "flowCode": FLOWS, "cmdCode": COMMODITIES, "partner2Code": "0", "customsCode": "C00",
        "motCode": "0", "maxRecords": str(max_records), "format": "JSON", "includeDesc": "true",
    }


def get_json(url: str, params: dict[str, str], *, api_key: str | None,
             sleep: Callable[[float], None], log: Callable[[str], None]) -> dict:
    """GET with up to MAX_TRIES tries on 429/5xx and read timeouts; the parsed JSON object."""
    headers = {KEY_HEADER: api_key} if api_key else {}
    problem = ""
    for attempt in range(1, MAX_TRIES + 1):
        try:
            resp = requests.get(url, params=params, headers=headers, timeout=TIMEOUT_SECONDS)
        except requests.ConnectionError as e:  # refused, DNS, no route: retrying will not help
            raise ComtradeError(f"cannot reach the UN Comtrade API ({_reason(e)}): {OFFLINE_HINT}") from None
        except requests.Timeout:
            resp, problem = None, f"no answer within {TIMEOUT_SECONDS} s"
        if resp is not None and resp.status_code == 200:
            return _parse(resp)
        if resp is not None and resp.status_code not in RETRY_STATUSES:
            raise ComtradeError(_refusal(resp))
        if resp is not None:
            problem = f"HTTP {resp.status_code}"
        if attempt < MAX_TRIES:
            delay = _delay(resp, attempt)
            log(f"UN Comtrade API: {problem}; try {attempt + 1} of {MAX_TRIES} in {delay:g} s")
            sleep(delay)
    raise ComtradeError(f"the UN Comtrade API kept failing ({problem}, {MAX_TRIES} tries); try again later")


def _delay(resp: requests.Response | None, attempt: int) -> float:
    """Retry-After when the server sends seconds, else exponential backoff."""
    header = resp.headers.get("Retry-After", "") if resp is not None else ""
    if header.strip().isdigit():
        return min(float(header), MAX_RETRY_AFTER)
    return BACKOFF_SECONDS * 2 ** (attempt - 1)


def _parse(resp: requests.Response) -> dict:
    try:
        doc = resp.json()
    except ValueError:
        raise ComtradeError(f"the UN Comtrade API answered with something not JSON: {resp.text[:200]!r}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("data", []), list | type(None)):
        raise ComtradeError('the UN Comtrade API answer has no "data" list')
    if doc.get("error"):
        raise ComtradeError(f"the UN Comtrade API reported an error: {doc['error']}")
    return doc


def _refusal(resp: requests.Response) -> str:
    body = resp.text[:300].strip()
    if resp.status_code in (401, 403):
        return f"the UN Comtrade API refused the key (HTTP {resp.status_code}); check {API_KEY_ENV}: {body}"
    return f"the UN Comtrade API refused the request (HTTP {resp.status_code}): {body}"


def _reason(e: requests.ConnectionError) -> str:
    inner = e.args[0] if e.args else e
    return str(getattr(inner, "reason", inner))[:200]


def write_json(path: Path, doc: dict) -> None:
    """Write atomically, so a failed run never leaves half a file for the ETL to read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.part")
    tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


# ---------------------------------------------------------------- command line

def parse_years(text: str) -> range:
    """'2019-2025' or '2023' -> range of years."""
    first, _, last = text.partition("-")
    try:
        years = range(int(first), int(last or first) + 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year or a range such as 2019-2025, got {text!r}") from None
    if not years or years.start < 1962 or years.stop > 2101:
        raise argparse.ArgumentTypeError(f"expected years between 1962 and 2100, first before last, got {text!r}")
    return years


def add_parser(subparsers) -> None:
    """Register `fetch comtrade` on the CLI's subparsers."""
    fetch = subparsers.add_parser("fetch", help="download source data from public APIs")
    sources = fetch.add_subparsers(dest="source", required=True, metavar="SOURCE")
    comtrade = sources.add_parser(
        "comtrade", help="Iran <-> Russia trade by HS 6-digit code from the UN Comtrade API",
        description=f"Uses {API_KEY_ENV} when set; without it the preview API (500 records per call).")
    comtrade.add_argument("--years", type=parse_years, required=True, help="a year or a range, e.g. 2019-2025")
    comtrade.add_argument("--freq", choices=FREQS, default="A", help="A annual (default) or M monthly")
    comtrade.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder for the files (default {DEFAULT_OUT})")
    comtrade.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """0 = done, 1 = the API could not be reached or refused, 2 = bad arguments."""
    if args.freq not in FREQS:
        _stderr(f"--freq must be one of {', '.join(FREQS)}")
        return 2
    try:
        files = fetch_comtrade(args.years, args.freq, Path(args.out), api_key=os.environ.get(API_KEY_ENV) or None)
    except (ComtradeError, OSError) as e:
        _stderr(f"error: {e}")
        return 1
    _stderr(f"{len(files)} file(s) written to {args.out}; run the ETL to load them")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
