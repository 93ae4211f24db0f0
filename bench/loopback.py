"""The one loopback Sotkanet, for the tests and the fetch benchmark: REST 1.1 wire format, request counts.

Two ways to run it: in process (``with LoopbackSotkanet(small_state()) as base_url:``, the tests;
a ``SotkanetState`` can be scripted to answer a request with a status, a delay or a truncated
body), or as its own process (``python -m bench.loopback``, the benchmark, so that serving never
competes with the client for the GIL; bodies from a pre-rendered ``Catalogue``). Either way it
speaks what the client must cope with on the real service:
- ``GET /regions`` -> JSON array; ``GET /indicators/{id}`` -> metadata object with ``data-updated``
  and ``classifications.sex.values``; ``GET /json?indicator=&years=..&genders=..`` -> flat row array;
- 403 without a User-Agent (or with httpx's default one), 400 when ``years`` is comma-joined or
  ``years``/``genders`` is missing, 404 for unknown indicators or paths;
- every response (errors too) waits ``--latency`` seconds first, in its own thread
  (ThreadingHTTPServer), so concurrent requests overlap as they would against a remote server.
Bodies are assembled from rows pre-rendered at start-up, so serving adds (almost) nothing to the
latency. ``GET /__stats`` returns the request counts; ``GET /__shutdown`` stops the server, and it
stops by itself after ``--max-seconds`` in any case. All data is synthetic.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter, defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from bench.gen_archive import ArchiveSpec, data_body, indicator_metadata, region_list

API = "/rest/1.1"


class Catalogue:
    """Pre-rendered bodies: metadata per indicator, and each (indicator, year, gender) row chunk."""

    def __init__(self, spec: ArchiveSpec):
        self.spec = spec
        self.regions_body = json.dumps(region_list(spec.regions), ensure_ascii=False).encode()
        region_ids = [r["id"] for r in json.loads(self.regions_body)]
        self.metadata = {i: json.dumps(indicator_metadata(i, spec)).encode() for i in spec.indicator_ids}
        self.chunks: dict[tuple[int, str, str], str] = {}
        for ind in spec.indicator_ids:
            for y in spec.year_list:
                for g in spec.genders:
                    one = ArchiveSpec(1, spec.regions, 1, (g,))
                    body = data_body(ind, region_ids, _OneYear(one, y)).decode()
                    self.chunks[(ind, str(y), g)] = body[1:-1]

    def regions(self) -> bytes:
        return self.regions_body

    def indicator(self, indicator: int) -> bytes | None:
        return self.metadata.get(indicator)

    def data(self, indicator: int, years: list[str], genders: list[str]) -> bytes:
        parts = [self.chunks[(indicator, y, g)] for y in years for g in genders if (indicator, y, g) in self.chunks]
        return ("[" + ",".join(p for p in parts if p) + "]").encode()


class SotkanetState:
    """A small scripted Sotkanet for tests: indicators with rows, a region list, and ``script``,
    per request key (``/rest/1.1/json?indicator=683`` or a path), actions answered in turn:
    ``{"status": 429, "headers": {...}}``, ``{"delay": 1.0}``, ``{"truncate": True}``."""

    def __init__(self, indicators: dict[int, dict], regions_list: list[dict]):
        self.indicators = indicators  # id -> {"data-updated":..., "genders":[...], "rows": [...]}
        self.regions_list = regions_list
        self.script: dict[str, deque] = defaultdict(deque)
        self.stats = Stats()

    @property
    def requests(self) -> Counter:
        return self.stats.by_path

    @property
    def user_agents(self) -> list[str]:
        return self.stats.user_agents

    def metadata(self, ind: int) -> dict:
        spec = self.indicators[ind]
        return {
            "id": ind, "data-updated": spec["data-updated"], "range": {"start": 2015, "end": 2024},
            "title": {"fi": f"Indikaattori {ind}", "en": f"Indicator {ind}", "sv": f"Indikator {ind}"},
            "primaryValueType": {"code": "PROS", "title": {"fi": "Prosentti", "en": "Percentage", "sv": "Procent"}},
            "decimals": 1, "organization": {"id": 2, "title": {"fi": "THL", "en": "THL", "sv": "THL"}},
            "classifications": {"sex": {"values": spec["genders"]}, "region": {"values": ["Maa"]}},
        }

    def regions(self) -> bytes:
        return json.dumps(self.regions_list).encode()

    def indicator(self, indicator: int) -> bytes | None:
        return json.dumps(self.metadata(indicator)).encode() if indicator in self.indicators else None

    def data(self, indicator: int, years: list[str], genders: list[str]) -> bytes:
        rows = [r for r in self.indicators[indicator]["rows"] if str(r["year"]) in years and r["gender"] in genders]
        return json.dumps(rows).encode()


class _OneYear:
    """ArchiveSpec view with a single given year (data_body reads year_list and genders)."""

    def __init__(self, spec: ArchiveSpec, year: int):
        self.genders = spec.genders
        self.year_list = [year]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_request: Counter = Counter()  # path?sorted-query -> count
        self.by_status: Counter = Counter()
        self.by_path: Counter = Counter()
        self.user_agents: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0

    def snapshot(self) -> dict:
        with self.lock:
            return {
                "requests": sum(self.by_request.values()),
                "distinct_requests": len(self.by_request),
                "repeated_requests": sum(c - 1 for c in self.by_request.values() if c > 1),
                "by_status": dict(self.by_status),
                "max_in_flight": self.max_in_flight,
                "by_kind": dict(Counter(k.split("?")[0].rsplit("/", 1)[0].rsplit("/", 1)[-1]
                                        if "/indicators/" in k else k.split("?")[0].rsplit("/", 1)[-1]
                                        for k in self.by_request.elements())),
            }


def make_handler(backend, stats: Stats, latency: float, server_ref: list, script: dict[str, deque] | None = None):
    """``backend``: ``regions()``, ``indicator(id)`` and ``data(id, years, genders)`` bodies (Catalogue
    or SotkanetState); the handler owns the service's rules, the latency, the script and the stats."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as separate writes; with Nagle on, the body waits for the
        # client's delayed ACK (~40 ms on Linux), which would be charged to the client.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlsplit(self.path)
            if url.path == "/__stats":
                return self._send(200, json.dumps(stats.snapshot()).encode())
            if url.path == "/__shutdown":
                self._send(200, b"{}")
                threading.Thread(target=server_ref[0].shutdown, daemon=True).start()
                return None
            query = parse_qsl(url.query, keep_blank_values=True)
            key = url.path + "?" + "&".join(f"{k}={v}" for k, v in sorted(query))
            indicator = next((v for k, v in query if k == "indicator"), "")
            script_key = f"{url.path}?indicator={indicator}" if url.path.endswith("/json") else url.path
            with stats.lock:
                stats.by_request[key] += 1
                stats.by_path[url.path] += 1
                stats.user_agents.append(self.headers.get("User-Agent", ""))
                stats.in_flight += 1
                stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
                action = script[script_key].popleft() if script is not None and script[script_key] else {}
            status, body, headers = 500, b"", None
            try:
                time.sleep(latency + action.get("delay", 0))
                status, body = self._answer(url.path, query)
                if status == 200 and "status" in action:
                    status, body, headers = action["status"], b"", action.get("headers")
                elif status == 200 and action.get("truncate"):
                    body = body[: len(body) // 2]
            finally:
                with stats.lock:
                    stats.in_flight -= 1
                    stats.by_status[status] += 1
            self._send(status, body, headers)

        def _answer(self, path: str, query: list[tuple[str, str]]) -> tuple[int, bytes]:
            ua = self.headers.get("User-Agent", "")
            if not ua or ua.startswith("python-httpx") or ua.startswith("python-requests"):
                return 403, b""
            if path == f"{API}/regions":
                return 200, backend.regions()
            if path.startswith(f"{API}/indicators/"):
                tail = path.rsplit("/", 1)[1]
                body = backend.indicator(int(tail)) if tail.isdigit() else None
                return (200, body) if body else (404, b"")
            if path == f"{API}/json":
                years = [v for k, v in query if k == "years"]
                genders = [v for k, v in query if k == "genders"]
                indicator = [v for k, v in query if k == "indicator"]
                if not years or not genders or len(indicator) != 1 or any("," in y for y in years):
                    return 400, b""
                if not indicator[0].isdigit() or backend.indicator(int(indicator[0])) is None:
                    return 200, b"[]"
                return 200, backend.data(int(indicator[0]), years, genders)
            return 404, b""

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class LoopbackSotkanet:
    """In process: ``with LoopbackSotkanet(state) as base_url: ...``; stops on exit."""

    def __init__(self, state: SotkanetState, latency: float = 0.0):
        self.state = state
        ref: list = []
        self.server = QuietServer(("127.0.0.1", 0), make_handler(state, state.stats, latency, ref, state.script))
        ref.append(self.server)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}{API}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def small_state(indicators=(683, 127)) -> SotkanetState:
    """A tiny but complete Sotkanet: the country, two wellbeing areas, one cooperation area (synthetic)."""
    regions = [
        {"id": 658, "code": "358", "category": "MAA", "title": {"fi": "Koko maa", "en": "Whole country", "sv": "Hela landet"}, "memberOf": []},
        {"id": 962, "code": "20", "category": "HYVINVOINTIALUE", "title": {"fi": "Kainuun hyvinvointialue", "en": "Kainuu", "sv": "Kajanaland"}, "memberOf": [658, 1105]},
        {"id": 968, "code": "21", "category": "HYVINVOINTIALUE", "title": {"fi": "Lapin hyvinvointialue", "en": "Lapland", "sv": "Lappland"}, "memberOf": [658, 1105]},
        {"id": 1105, "code": "5", "category": "YTA", "title": {"fi": "Pohjois-Suomen yhteistyöalue", "en": "Northern Finland", "sv": "Norra Finland"}, "memberOf": [658]},
    ]
    specs = {}
    for ind in indicators:
        rows = [
            {"indicator": ind, "region": r, "year": y, "gender": "total", "value": round(10 + r / 100 + (y - 2015) / 10, 1)}
            for r in (658, 962, 968, 1105) for y in range(2015, 2025)
        ]
        specs[ind] = {"data-updated": "2025-01-01", "genders": ["total"], "rows": rows}
    return SotkanetState(specs, regions)


def serve(spec: ArchiveSpec, latency: float, max_seconds: float, port: int = 0) -> None:
    cat = Catalogue(spec)
    stats = Stats()
    ref: list = []
    server = QuietServer(("127.0.0.1", port), make_handler(cat, stats, latency, ref))
    ref.append(server)
    # Bounded: stops by itself even if the harness dies without calling /__shutdown.
    timer = threading.Timer(max_seconds, server.shutdown)
    timer.daemon = True
    timer.start()
    print(f"LISTENING http://127.0.0.1:{server.server_address[1]}{API}", flush=True)
    try:
        server.serve_forever(poll_interval=0.05)
    finally:
        timer.cancel()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loopback", description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--regions", type=int, default=465)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--max-seconds", type=float, default=600)
    parser.add_argument("--port", type=int, default=0)
    a = parser.parse_args(argv)
    serve(ArchiveSpec(a.indicators, a.regions, a.years), a.latency, a.max_seconds, a.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
