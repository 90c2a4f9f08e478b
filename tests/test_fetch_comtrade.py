"""`fetch comtrade` against a real HTTP server on 127.0.0.1 serving recorded API responses.

No test reaches the real API: every call is pointed at the local server or at a closed port, and
an autouse fixture points COMTRADE_API_BASE at a closed port by default.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from etl import fetch
from etl.reference import Reference
from etl.sources import comtrade

RECORDED = Path(__file__).parent / "fixtures" / "comtrade" / "annual_hs6_iran_russia.json"
RATE_LIMITED = b'{"statusCode": 429, "message": "Rate limit is exceeded. Try again in 1 seconds."}'


class RecordedComtrade:
    """A local server: answers each GET with the next scripted status, then 200 with recorded data."""

    def __init__(self):
        self.script: list[tuple[int, dict[str, str]]] = []  # (status, extra headers) per request
        self.requests: list[tuple[str, dict[str, str], dict[str, str]]] = []
        self.records = json.loads(RECORDED.read_text(encoding="utf-8"))["data"]
        self.empty = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                query = dict(parse_qsl(url.query))
                server.requests.append((url.path, query, dict(self.headers)))
                status, headers = server.script.pop(0) if server.script else (200, {})
                body = server.body(query) if status == 200 else RATE_LIMITED
                self.send_response(status)
                for k, v in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def body(self, query: dict[str, str]) -> bytes:
        """The recorded records of the requested reporter, as the API wraps them."""
        data = [] if self.empty else [r for r in self.records if str(r["reporterCode"]) == query.get("reportercode")]
        return json.dumps({"elapsedTime": "0.1 secs", "count": len(data), "data": data, "error": ""}).encode()

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(autouse=True)
def no_real_network(monkeypatch):
    monkeypatch.setenv(fetch.API_BASE_ENV, closed_port_url())
    monkeypatch.delenv(fetch.API_KEY_ENV, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def api():
    with RecordedComtrade() as server:
        yield server


def test_retries_on_429_then_writes_files_the_adapter_reads(api: RecordedComtrade, tmp_path: Path):
    api.script = [(429, {}), (429, {})]
    sleeps, messages = [], []
    files = fetch.fetch_comtrade(range(2022, 2023), "A", tmp_path, api_key="test-key", sleep=sleeps.append,
                                 api_base=api.url, log=messages.append)

    assert sleeps == [2.0, 4.0]
    assert files == [tmp_path / "comtrade_364_2022_A.json", tmp_path / "comtrade_643_2022_A.json"]
    assert len(api.requests) == 4
    path, query, headers = api.requests[-2]
    assert path == "/data/v1/get/C/A/HS"
    assert query == {"reportercode": "364", "partnerCode": "643", "period": "2022", "flowCode": "M,X",
                     "cmdCode": "AG6", "partner2Code": "0", "customsCode": "C00", "motCode": "0",
                     "maxRecords": "100000", "format": "JSON", "includeDesc": "true"}
    assert headers[fetch.KEY_HEADER] == "test-key" and "test-key" not in json.dumps(query)
    assert any("HTTP 429" in m for m in messages)

    written = json.loads(files[0].read_text(encoding="utf-8"))
    assert written["data"] == [r for r in api.records if r["reporterCode"] == 364]
    ref = Reference.load()
    iran = comtrade.read(files[0], files[0].name, ref).rows
    russia = comtrade.read(files[1], files[1].name, ref).rows
    assert set(iran["reporter_country"]) == {"IR"} and set(russia["reporter_country"]) == {"RU"}
    assert len(iran) == 5  # the recorded re-export row is left out
    assert russia["value_usd"].sum() == 1300000.0 + 14000000.0


def test_gives_up_after_five_tries(api: RecordedComtrade, tmp_path: Path):
    api.script = [(503, {})] * 5
    sleeps = []
    with pytest.raises(fetch.ComtradeError, match="HTTP 503, 5 tries"):
        fetch.fetch_comtrade(range(2022, 2023), "A", tmp_path, api_key="k", sleep=sleeps.append,
                             api_base=api.url, log=lambda m: None)
    assert sleeps == [2.0, 4.0, 8.0, 16.0] and len(api.requests) == 5
    assert list(tmp_path.iterdir()) == []


def test_honours_retry_after(api: RecordedComtrade, tmp_path: Path):
    api.script = [(429, {"Retry-After": "7"})]
    sleeps = []
    fetch.fetch_comtrade(range(2022, 2023), "A", tmp_path, api_key="k", sleep=sleeps.append,
                         api_base=api.url, log=lambda m: None)
    assert sleeps == [7.0]


def test_a_refused_key_is_not_retried(api: RecordedComtrade, tmp_path: Path):
    api.script = [(401, {})]
    sleeps = []
    with pytest.raises(fetch.ComtradeError, match="refused the key"):
        fetch.fetch_comtrade(range(2022, 2023), "A", tmp_path, api_key="wrong", sleep=sleeps.append,
                             api_base=api.url, log=lambda m: None)
    assert sleeps == [] and len(api.requests) == 1


def test_without_a_key_uses_the_preview_and_says_so(api: RecordedComtrade, tmp_path: Path):
    messages = []
    fetch.fetch_comtrade(range(2022, 2023), "M", tmp_path, api_key=None, sleep=lambda s: None,
                         api_base=api.url, log=messages.append)
    path, query, headers = api.requests[0]
    assert path == "/public/v1/preview/C/M/HS" and fetch.KEY_HEADER not in headers
    assert query["maxRecords"] == "500"
    assert query["period"] == ",".join(f"2022{m:02d}" for m in range(1, 13))
    assert "500 records" in messages[0] and fetch.API_KEY_ENV in messages[0]


def test_an_empty_answer_writes_no_file(api: RecordedComtrade, tmp_path: Path):
    api.empty = True
    messages = []
    files = fetch.fetch_comtrade(range(2024, 2026), "A", tmp_path, api_key="k", api_base=api.url,
                                 log=messages.append)
    assert files == [] and list(tmp_path.iterdir()) == []
    assert len(api.requests) == 4 and sum("no records" in m for m in messages) == 4


def test_offline_says_what_to_do(tmp_path: Path):
    sleeps = []
    with pytest.raises(fetch.ComtradeError) as err:
        fetch.fetch_comtrade(range(2022, 2023), "A", tmp_path, api_key="k", sleep=sleeps.append,
                             api_base=closed_port_url(), log=lambda m: None)
    message = str(err.value)
    assert message.startswith("cannot reach the UN Comtrade API (")
    assert "check the network or place downloaded JSON files in data/raw/comtrade/" in message
    assert sleeps == []


def test_base_url_from_the_environment(api: RecordedComtrade, tmp_path: Path, monkeypatch):
    monkeypatch.setenv(fetch.API_BASE_ENV, api.url)
    files = fetch.fetch_comtrade(range(2022, 2023), "A", tmp_path, api_key="k", log=lambda m: None)
    assert len(files) == 2 and len(api.requests) == 2


def test_command_line(api: RecordedComtrade, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv(fetch.API_BASE_ENV, api.url)
    monkeypatch.setenv(fetch.API_KEY_ENV, "cli-key")
    assert fetch.main(["fetch", "comtrade", "--years", "2021-2022", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "comtrade_364_2021_A.json", "comtrade_364_2022_A.json", "comtrade_643_2021_A.json", "comtrade_643_2022_A.json"]
    assert {q["period"] for _, q, _ in api.requests} == {"2021", "2022"}
    assert "4 file(s) written" in capsys.readouterr().err


def test_command_line_offline_and_bad_years(tmp_path: Path, capsys):
    assert fetch.main(["fetch", "comtrade", "--years", "2022", "--out", str(tmp_path)]) == 1
    assert "cannot reach the UN Comtrade API" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad:
        fetch.main(["fetch", "comtrade", "--years", "2025-2019"])
    assert bad.value.code == 2


@pytest.mark.parametrize(("text", "years"), [("2019-2025", range(2019, 2026)), ("2023", range(2023, 2024))])
def test_parse_years(text: str, years: range):
    assert fetch.parse_years(text) == years
