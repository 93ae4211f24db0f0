"""A small threaded HTTP server on 127.0.0.1 that speaks Sotkanet's REST 1.1 wire format.

It enforces what the real service enforces (User-Agent required, ``years`` repeated and
mandatory, ``genders`` mandatory, only the genders an indicator publishes) and can be scripted to
answer a request with a given status, a delay, or a truncated body, to test the client's handling.
"""

import json
import threading
import time
from collections import Counter, defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class SotkanetState:
    def __init__(self, indicators: dict[int, dict], regions: list[dict]):
        self.indicators = indicators  # id -> {"data-updated":..., "genders":[...], "rows": [...]}
        self.regions = regions
        self.script: dict[str, deque] = defaultdict(deque)  # path key -> actions
        self.requests: Counter = Counter()
        self.user_agents: list[str] = []
        self.lock = threading.Lock()

    def metadata(self, ind: int) -> dict:
        spec = self.indicators[ind]
        return {
            "id": ind, "data-updated": spec["data-updated"], "range": {"start": 2015, "end": 2024},
            "title": {"fi": f"Indikaattori {ind}", "en": f"Indicator {ind}", "sv": f"Indikator {ind}"},
            "primaryValueType": {"code": "PROS", "title": {"fi": "Prosentti", "en": "Percentage", "sv": "Procent"}},
            "decimals": 1, "organization": {"id": 2, "title": {"fi": "THL", "en": "THL", "sv": "THL"}},
            "classifications": {"sex": {"values": spec["genders"]}, "region": {"values": ["Maa"]}},
        }


def make_handler(state: SotkanetState):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output clean
            pass

        def _send(self, status: int, body: bytes = b"", headers: dict | None = None, declared_length: int | None = None):
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(body) if declared_length is None else declared_length))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlsplit(self.path)
            query = parse_qs(url.query, keep_blank_values=True)
            ua = self.headers.get("User-Agent", "")
            with state.lock:
                state.requests[url.path] += 1
                state.user_agents.append(ua)
                key = f"{url.path}?indicator={query.get('indicator', [''])[0]}" if url.path.endswith("/json") else url.path
                action = state.script[key].popleft() if state.script[key] else None
            if not ua or ua.startswith("python-httpx"):
                return self._send(403)
            if action:
                if "delay" in action:
                    time.sleep(action["delay"])
                if "status" in action:
                    return self._send(action["status"], b"", action.get("headers"))
            body = self._answer(url.path, query)
            if isinstance(body, int):
                return self._send(body)
            if action and action.get("truncate"):
                return self._send(200, body[: len(body) // 2])
            self._send(200, body)

        def _answer(self, path: str, query: dict):
            if path.endswith("/regions"):
                return json.dumps(state.regions).encode()
            if "/indicators/" in path:
                ind = int(path.rsplit("/", 1)[1])
                return json.dumps(state.metadata(ind)).encode() if ind in state.indicators else 404
            if path.endswith("/json"):
                years, genders = query.get("years", []), query.get("genders", [])
                if not years or not genders or any("," in y for y in years):
                    return 400
                ind = int(query["indicator"][0])
                spec = state.indicators[ind]
                rows = [r for r in spec["rows"] if str(r["year"]) in years and r["gender"] in genders]
                return json.dumps(rows).encode()
            return 404

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that timed out closes the socket before the delayed answer: expected here.
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class LoopbackSotkanet:
    """Context manager: ``with LoopbackSotkanet(state) as base_url: ...``; stops by itself on exit."""

    def __init__(self, state: SotkanetState):
        self.state = state
        self.server = QuietServer(("127.0.0.1", 0), make_handler(state))

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/rest/1.1"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def small_state(indicators=(683, 127), regions_per_kind=None) -> SotkanetState:
    """A tiny but complete Sotkanet: the country, two wellbeing areas, one cooperation area."""
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
