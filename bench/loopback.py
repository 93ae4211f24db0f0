"""A loopback Sotkanet for the fetch benchmark: REST 1.1 wire format, fixed latency, request counts.

Runs as its own process (``python -m bench.loopback``) so that serving never competes with the
client for the GIL. It speaks what the client must cope with on the real service:
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
from collections import Counter
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

    def data(self, indicator: int, years: list[str], genders: list[str]) -> bytes:
        parts = [self.chunks[(indicator, y, g)] for y in years for g in genders if (indicator, y, g) in self.chunks]
        return ("[" + ",".join(p for p in parts if p) + "]").encode()


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


def make_handler(cat: Catalogue, stats: Stats, latency: float, server_ref: list):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as separate writes; with Nagle on, the body waits for the
        # client's delayed ACK (~40 ms on Linux), which would be charged to the client.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def _send(self, status: int, body: bytes = b"") -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
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
            with stats.lock:
                stats.by_request[key] += 1
                stats.in_flight += 1
                stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
            try:
                time.sleep(latency)
                status, body = self._answer(url.path, query)
            finally:
                with stats.lock:
                    stats.in_flight -= 1
                    stats.by_status[status if "status" in locals() else 500] += 1
            self._send(status, body)

        def _answer(self, path: str, query: list[tuple[str, str]]) -> tuple[int, bytes]:
            ua = self.headers.get("User-Agent", "")
            if not ua or ua.startswith("python-httpx") or ua.startswith("python-requests"):
                return 403, b""
            if path == f"{API}/regions":
                return 200, cat.regions_body
            if path.startswith(f"{API}/indicators/"):
                tail = path.rsplit("/", 1)[1]
                body = cat.metadata.get(int(tail)) if tail.isdigit() else None
                return (200, body) if body else (404, b"")
            if path == f"{API}/json":
                years = [v for k, v in query if k == "years"]
                genders = [v for k, v in query if k == "genders"]
                indicator = [v for k, v in query if k == "indicator"]
                if not years or not genders or len(indicator) != 1 or any("," in y for y in years):
                    return 400, b""
                if not indicator[0].isdigit() or int(indicator[0]) not in cat.metadata:
                    return 200, b"[]"
                return 200, cat.data(int(indicator[0]), years, genders)
            return 404, b""

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


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
