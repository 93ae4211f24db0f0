"""Build the SYNTHETIC THL cube sample in the replay archive (data/sample, source thl_cube).

    .venv/bin/python scripts/build_sample_thl.py [--archive data/sample]

What it does:
1. Defines two synthetic cubes shaped like THL's (dimension trees with real wellbeing-area names
   and codes from data/reference/regions; synthetic sids; plausible but invented values):
   - avohpaasy/pthhva01/fact_ahil_pthhva01: provider (root -> hyvinvointialue) x month
     (root -> vuosi -> kuukausi; no 2023, when THL collected no primary-care access data) x
     professional group x measure (visits, % within 14 days; '.' decimals);
   - esh/psyk01/fact_esh_psyk: provider (root -> provider type -> wellbeing area / provider unit,
     with HUS, TAYS, OYS units) x four-monthly snapshot x specialty x measure (decimal comma).
   Deliberate features: a suppressed cell ('..', Keski-Pohjanmaa 2024-08), empty cells (Kainuu
   "muu ammattiryhmä" 2025; Lappi nurses 2024-07; Keski-Suomi 2025-12 snapshot).
2. Serves them through ``TikuHandler``, a small re-implementation of the tiku endpoints in the
   exact wire format (listing JSON, JSONP dimension trees, JSON-stat facts; 403 with an empty
   body for any query error, 404 for unknown cubes). The tests run the same handler on a
   loopback HTTP server.
3. Runs the real client (pipelines.sources.thl_cube) in live mode against it, with the request
   URLs of the production base URL, recording every body into the archive with synthetic=true.
   So the replay archive holds exactly the requests the pipeline makes.

The old thl_cube manifest is replaced; payload objects only it referenced are removed.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SYNTHETIC_TAG = "SYNTEETTINEN NÄYTEAINEISTO / SYNTHETIC SAMPLE"
FIXED_FETCHED_AT = "2026-11-23T12:00:00+00:00"  # constant so that regenerating gives identical manifests
REGIONS_CSV = ROOT / "data" / "reference" / "regions" / "derived" / "wellbeing_areas_by_year.csv"


# -- synthetic cube model ----------------------------------------------------------------------


@dataclass
class Node:
    sid: int
    label: str
    stage: str
    code: str
    sort: int = 0
    decimals: int | None = None
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None
    dim: str = ""

    def add(self, *kids: "Node") -> "Node":
        for k in kids:
            k.parent = self
            self.children.append(k)
        return self

    def walk(self) -> Iterable["Node"]:
        yield self
        for c in sorted(self.children, key=lambda n: n.sort):
            yield from c.walk()

    def leaves(self) -> list["Node"]:
        return [n for n in self.walk() if not n.children]


@dataclass
class Dim:
    id: str
    label: str
    root: Node


@dataclass
class Cube:
    subject: str
    hydra: str
    fact: str
    label: str
    dims: list[Dim]
    # cell(coordinate: dim id -> node) -> value text or None (empty cell)
    cell: Callable[[dict[str, Node]], str | None]

    def __post_init__(self):
        self.by_sid: dict[str, dict[str, Node]] = {}
        for d in self.dims:
            for n in d.root.walk():
                n.dim = d.id
                self.by_sid.setdefault(d.id, {})[str(n.sid)] = n
        self.dim_ids = [d.id for d in self.dims]

    def default_node(self, dim: str) -> Node:
        d = next(d for d in self.dims if d.id == dim)
        if dim == "measure":  # tiku: first leaf of the measure dimension, silently
            return d.root.leaves()[0]
        return d.root


def organisers() -> list[dict[str, str]]:
    with REGIONS_CSV.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["year"] == "2024" and r["hyvinvointialue_code"] != "91"]
    return [{"code": f"{int(r['hyvinvointialue_code']):02d}", "name": r["hyvinvointialue_name_fi"].strip()} for r in rows]


def _rng(*parts) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))  # str seeds are hashed with sha512: stable


def fi_decimal(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


# primary care ---------------------------------------------------------------------------------

PTH_YEARS = (2022, 2024, 2025)  # 2023: no data collected, so the cube has no 2023 periods at all
PROF = (("630001", "Lääkäri", "laakari", -9.0, 0.35), ("630002", "Hoitaja", "hoitaja", 5.0, 0.45),
        ("630003", "Muu ammattiryhmä", "muu", 3.0, 0.20))


def primary_care_cube() -> Cube:
    regs = organisers()
    prov = Node(610000, "Kaikki palveluntuottajat", "root", "kaikki", 1)
    for i, r in enumerate(regs):
        prov.add(Node(610000 + int(r["code"]), r["name"], "hyvinvointialue", r["code"], i + 1))
    time = Node(620000, "Kaikki ajat", "root", "kaikki", 1)
    for y in PTH_YEARS:
        yn = Node(620000 + y - 2000, str(y), "vuosi", str(y), y)
        for m in range(1, 13):
            yn.add(Node(620000 + (y - 2000) * 100 + m, f"{y}/{m:02d}", "kuukausi", f"{y}{m:02d}", m))
        time.add(yn)
    prof = Node(630000, "Kaikki ammattiryhmät", "root", "kaikki", 1)
    for i, (sid, label, code, _, _) in enumerate(PROF):
        prof.add(Node(int(sid), label, "ammattiryhma", code, i + 1))
    meas = Node(640000, "Mittarit", "root", "mittarit", 1)
    meas.add(Node(640001, "Hoitoonpääsykäynnit, lkm", "leaf", "kaynnit", 1, decimals=0),
             Node(640002, "Toteutui 14 vrk:n enimmäisajassa, % hoitoonpääsykäynneistä", "leaf", "toteutui14_pros", 2, decimals=1))
    prof_info = {sid: (offset, weight) for sid, _, _, offset, weight in PROF}

    def leaf(region: Node, month: Node, p: Node) -> tuple[int, float] | None:
        year, mm = int(month.code[:4]), int(month.code[4:])
        if region.code == "20" and p.code == "muu" and year == 2025:
            return None  # empty: no value published
        if region.code == "21" and p.code == "hoitaja" and month.code == "202407":
            return None
        r = _rng("pth", region.code)
        size = 800 + r.random() * 9000 * (4 if region.code == "90" else 1)
        base = 58 + r.random() * 30
        offset, share_of_visits = prof_info[str(p.sid)]
        season = 0.7 if mm == 7 else 1.0
        rr = _rng("pth", region.code, month.code, p.code)
        visits = int(size * share_of_visits * season * (0.9 + rr.random() * 0.2))
        trend = {2022: -2.0, 2024: 0.0, 2025: 1.5}[year]
        share = max(15.0, min(99.5, base + offset + trend - (6 if mm == 7 else 0) + rr.gauss(0, 2.5)))
        return visits, share

    def cell(coord: dict[str, Node]) -> str | None:
        got = [
            v
            for reg in coord["palveluntuottaja"].leaves()
            for mon in coord["aika"].leaves() if mon.stage == "kuukausi"
            for p in coord["ammatti"].leaves()
            if (v := leaf(reg, mon, p)) is not None
        ]
        if not got:
            return None
        visits = sum(v for v, _ in got)
        if coord["measure"].sid == 640001:
            return str(visits)
        return f"{sum(v * s for v, s in got) / visits:.1f}"

    return Cube(
        "avohpaasy", "pthhva01", "fact_ahil_pthhva01",
        f"Hoitoonpääsy perusterveydenhuollossa, hyvinvointialueet ({SYNTHETIC_TAG})",
        [Dim("palveluntuottaja", "Palveluntuottaja", prov), Dim("aika", "Aika", time),
         Dim("ammatti", "Ammattiryhmä", prof), Dim("measure", "Mittari", meas)],
        cell,
    )


# child and adolescent psychiatry --------------------------------------------------------------

PSY_YEARS = (2022, 2023, 2024, 2025)
PSY_UNITS = {"08": (710201, "TAYS, lasten- ja nuorisopsykiatria", "tays"),
             "19": (710202, "OYS, lasten- ja nuorisopsykiatria", "oys")}
HUS_CODES = ("01", "02", "03", "04", "90")


def psychiatry_cube() -> Cube:
    regs = organisers()
    prov = Node(710000, "KAIKKI TUOTTAJAT", "root", "kaikki", 1)
    hva = Node(710100, "HYVINVOINTIALUEET", "tuottajatyyppi", "hva", 1)
    uni = Node(710200, "YLIOPISTOSAIRAALAT", "tuottajatyyppi", "yo", 2)
    hus_type = Node(710300, "HUS-YHTYMÄ", "tuottajatyyppi", "husyht", 3)
    for i, r in enumerate(regs):
        if r["code"] in HUS_CODES or r["code"] in PSY_UNITS:
            continue
        hva.add(Node(710100 + int(r["code"]), r["name"], "hyvinvointialue", r["code"], i + 1))
    for i, (sid, label, code) in enumerate(PSY_UNITS.values()):
        uni.add(Node(sid, label, "tuottajayksikko", code, i + 1))
    hus_type.add(Node(710301, "HUS Psykiatria, lapset ja nuoret", "tuottajayksikko", "hus", 1))
    prov.add(hva, uni, hus_type)
    time = Node(720000, "Kaikki ajankohdat", "root", "kaikki", 1)
    for y in PSY_YEARS:
        yn = Node(720000 + y - 2000, str(y), "vuosi", str(y), y)
        for m in (4, 8, 12):
            yn.add(Node(720000 + (y - 2000) * 100 + m, f"{m}/{y}", "period", f"{y}{m:02d}", m))
        time.add(yn)
    eala = Node(730000, "KAIKKI ERIKOISALAT", "root", "kaikki", 1)
    psyk = Node(730100, "PSYKIATRIA YHTEENSÄ", "tautiryhma", "psyk", 1)
    psyk.add(Node(730101, "Lastenpsykiatria", "erikoisala", "74", 1), Node(730102, "Nuorisopsykiatria", "erikoisala", "75", 2))
    kir = Node(730200, "KIRURGIA", "tautiryhma", "kir", 2)
    kir.add(Node(730201, "Yleiskirurgia", "erikoisala", "20", 1))
    eala.add(psyk, kir)
    meas = Node(740000, "Mittarit", "root", "mittarit", 1)
    meas.add(Node(740001, "Hoitoa odottaneet, lkm", "leaf", "odottaneet", 1, decimals=0),
             Node(740002, "Yli 90 vrk, hoitoa odottaneet, lkm", "leaf", "yli90", 2, decimals=0),
             Node(740003, "Yli 90 vrk, hoitoa odottaneet, %", "leaf", "yli90_pros", 3, decimals=1))

    def leaf(p: Node, period: Node, spec: Node) -> tuple[int, int] | None:
        if p.code == "15" and period.code == "202512":
            return None  # empty snapshot
        if spec.code == "20":
            r = _rng("kir", p.code, period.code)
            return 100 + int(r.random() * 500), int(r.random() * 50)
        r = _rng("psy", p.code)
        size = 40 + r.random() * 260 * (6 if p.code == "hus" else 1)
        base = 0.04 + r.random() * 0.25
        rr = _rng("psy", p.code, period.code, spec.code)
        waiting = max(3, int(size * (0.45 if spec.code == "74" else 0.55) * (0.85 + rr.random() * 0.3)))
        over = int(round(waiting * max(0.0, min(0.9, base + rr.gauss(0, 0.03)))))
        return waiting, over

    def suppressed(coord: dict[str, Node]) -> bool:
        provs = coord["tuottaja"].leaves()
        periods = {n.code for n in coord["time"].leaves()}
        return len(provs) == 1 and provs[0].code == "18" and "202408" in periods

    def cell(coord: dict[str, Node]) -> str | None:
        got = [
            v
            for p in coord["tuottaja"].leaves()
            for t in coord["time"].leaves() if t.stage == "period"
            for s in coord["eala"].leaves()
            if (v := leaf(p, t, s)) is not None
        ]
        if not got:
            return None
        m = coord["measure"].sid
        waiting, over = sum(w for w, _ in got), sum(o for _, o in got)
        if m == 740001:
            return str(waiting)
        if suppressed(coord):
            return ".."  # small numbers: THL suppresses the count and the share
        if m == 740002:
            return str(over) if over else "-"
        return fi_decimal(100.0 * over / waiting)

    return Cube(
        "esh", "psyk01", "fact_esh_psyk",
        f"Erikoissairaanhoidon hoitoonpääsy - Lasten ja nuorten mielenterveyspalvelut ({SYNTHETIC_TAG})",
        [Dim("tuottaja", "Palveluntuottaja", prov), Dim("time", "Ajankohta", time),
         Dim("eala", "Erikoisala", eala), Dim("measure", "Mittari", meas)],
        cell,
    )


def sample_cubes() -> list[Cube]:
    return [primary_care_cube(), psychiatry_cube()]


# -- tiku wire format --------------------------------------------------------------------------


class QueryError(Exception):
    """Anything tiku would turn into HTTP 403 with an empty body."""


def resolve(cube: Cube, text: str) -> tuple[str, list[Node]]:
    """Resolve one node selector like tiku's FindNodes (sid search)."""
    dim, sep, body = text.partition("-")
    if not sep:
        dim, sep, body = text.partition("/")  # the old separator is still accepted
    if dim not in cube.by_sid or not body:
        raise QueryError(f"unknown dimension in {text!r}")
    nodes = cube.by_sid[dim]

    def get(sid: str) -> Node:
        if sid not in nodes:
            raise QueryError(f"{sid} not found")
        return nodes[sid]

    body = body.replace(";", ".")
    if body.endswith("L"):
        ref = get(body[:-1])
        root = next(d.root for d in cube.dims if d.id == dim)
        return dim, [n for n in root.walk() if n.stage == ref.stage]
    if body.endswith(".") and body.count(".") == 1:
        return dim, [get(body[:-1])]
    if "." in body:
        return dim, [get(s) for s in body.split(".") if s]
    node = get(body)
    return dim, sorted(node.children, key=lambda n: n.sort) + [node]


def _q(s: str) -> str:
    return s.replace('"', '\\"')  # tiku escapes only quotes


def render_fact(cube: Cube, params: Sequence[tuple[str, str]], label_lang: str = "fi") -> str:
    """JSON-stat in tiku's exact byte layout (JsonStatExporter)."""
    levels: list[tuple[str, str, list[Node]]] = []  # (output id, dim, nodes)
    fixed: dict[str, Node] = {}
    row_dims, col_dims = set(), set()
    for key, val in params:
        if key in ("row", "column"):
            dim, nodes = resolve(cube, val)
            (row_dims if key == "row" else col_dims).add(dim)
            out_id = dim
            while out_id in [lv[0] for lv in levels]:
                out_id += "1"  # findUniqueId
            levels.append((out_id, dim, nodes))
        elif key in ("filter", "measure"):
            dim, nodes = resolve(cube, val)
            fixed.setdefault(dim, nodes[0])
    if row_dims & col_dims:
        raise QueryError("SameDimensionAsRowAndColumnException")
    if not levels:
        levels = [(d.id, d.id, resolve(cube, f"{d.id}-{d.root.sid}")[1]) for d in cube.dims[:2]]
    shown = {lv[1] for lv in levels}
    for d in cube.dim_ids:
        if d not in shown and d not in fixed:
            fixed[d] = cube.default_node(d)
    sizes = [len(lv[2]) for lv in levels]
    values: list[tuple[int, str]] = []
    flat = 0
    for combo in _product([lv[2] for lv in levels]):
        coord = dict(fixed)
        for (_, dim, _), node in zip(levels, combo):
            coord[dim] = node
        v = cube.cell(coord)
        if v is not None:
            values.append((flat, v))
        flat += 1
    out = ['{', '"dataset": {', '"version": "2.0",', '"class": "dataset",', f'"label": "{_q(cube.label)}",', '"dimension": {', '"id": [']
    out.append(",".join(f'"{lv[0]}"' for lv in levels))
    out += ["],", '"size": [', ",".join(str(n) for n in sizes), "],"]
    for k, (out_id, _, nodes) in enumerate(levels):
        out += [f'"{out_id}" : {{', '"category": {', '"index": {']
        out.append(",\n".join(f'"{n.sid}": {i}' for i, n in enumerate(nodes)))
        out += ["},", '"label": {']
        out.append(",\n".join(f'"{n.sid}": "{_q(n.label)}"' for n in nodes))
        out += ["}", "}", "}" + ("," if k < len(levels) - 1 else "")]
    out += ["}", ","]
    if values:
        out += ['"value": {', ",\n".join(f'"{i}": "{_q(v)}"' for i, v in values), "}"]
    else:
        out.append('"value": []')
    out += ["}", "}"]
    return "\n".join(out)


def _product(lists: list[list[Node]]):
    if not lists:
        yield ()
        return
    head, *tail = lists
    for n in head:
        for rest in _product(tail):
            yield (n, *rest)


def render_dimensions(cube: Cube) -> str:
    """JSONP in DimensionTreeExporter's layout (tabs, newlines)."""

    def node(n: Node) -> str:
        parts = [
            "{",
            f'\t"id":"{n.dim}{n.sid}",',
            f'\t"sid":{n.sid},',
            f'\t"label":"{_q(n.label)}",',
            f'\t"stage":"{n.stage}",',
            f'\t"code":"{_q(n.code)}",',
            f'\t"sort":{n.sort},',
        ]
        if n.decimals is not None:
            parts.append(f'\t"decimals":{n.decimals},')
        parts.append(f'\t"uri":"http://meta.thl.fi/codes/synthetic/{n.dim}/{n.code}",')
        if n.stage == "root":
            parts.append(f'\t"properties": {{\n\t"is":"{n.dim}/root"\n\t}},')
        kids = sorted(n.children, key=lambda c: c.sort)
        parts.append('\t"children": [' + ",".join("\n" + node(c) for c in kids) + "]")
        parts.append("}")
        return "\n".join(parts)

    dims = [f'{{\n\t"id":"{d.id}",\n\t"label":"{_q(d.label)}",\n\t"children": [\n{node(d.root)}]}}' for d in cube.dims]
    return "thl.pivot.loadDimensions(\n[\n" + ",\n".join(dims) + "\n]\n);"


def render_listing(subject: str, cubes: Sequence[Cube], base: str) -> str:
    items = [
        {"href": f"{base}/{lang}/{c.subject}/{c.hydra}/{c.fact}.json", "label": c.label, "class": "dataset"}
        for c in cubes if c.subject == subject for lang in ("fi", "sv", "en")
    ]
    return json.dumps({"link": {"item": items}, "label": subject, "class": "collection", "version": "2.0",
                       "updated": "2026-11-23"}, ensure_ascii=False)


class Tiku:
    """The endpoints, independent of any HTTP server: (path, query) -> (status, content type, body)."""

    def __init__(self, cubes: Sequence[Cube], base_path: str = "/pivot/prod", public_base: str = ""):
        self.cubes = list(cubes)
        self.base_path = base_path.rstrip("/")
        self.public_base = public_base.rstrip("/")
        self.requests: list[str] = []
        self.seen_headers: list[dict[str, str]] = []  # filled by the HTTP handler (tests check User-Agent)
        # hooks for tests: path suffix -> replacement body (e.g. a malformed document)
        self.overrides: dict[str, tuple[int, str, bytes]] = {}

    def handle(self, path: str, params: list[tuple[str, str]]) -> tuple[int, str, bytes]:
        self.requests.append(path)
        for suffix, answer in self.overrides.items():
            if path.endswith(suffix):
                return answer
        if not path.startswith(self.base_path + "/"):
            return 404, "text/plain", b""
        parts = path[len(self.base_path) + 1:].split("/")
        if len(parts) == 2 and parts[0] == "api" and parts[1].endswith(".json"):
            subject = parts[1][: -len(".json")]
            if not any(c.subject == subject for c in self.cubes):
                return 404, "text/plain", b""
            base = self.public_base or self.base_path
            return 200, "application/json;charset=UTF-8", render_listing(subject, self.cubes, base).encode()
        if len(parts) != 4:
            return 404, "text/plain", b""
        lang, subject, hydra, leaf = parts
        for ext, kind in ((".dimensions.json", "dims"), (".json", "fact")):
            if leaf.endswith(ext):
                fact = leaf[: -len(ext)]
                break
        else:
            return 404, "text/plain", b""
        cube = next((c for c in self.cubes if (c.subject, c.hydra, c.fact) == (subject, hydra, fact)), None)
        if cube is None:
            # tiku: 404 for .dimensions.json of an unknown cube; the .json path fails inside -> 403
            return (404, "text/plain", b"") if kind == "dims" else (403, "application/json;charset=UTF-8", b"")
        if kind == "dims":
            return 200, "text/javascript;charset=UTF-8", render_dimensions(cube).encode()
        try:
            return 200, "application/json;charset=UTF-8", render_fact(cube, params, lang).encode()
        except QueryError:
            return 403, "application/json;charset=UTF-8", b""


def handler_for(tiku: Tiku):
    """A ``http.server`` request handler class serving ``tiku`` (used by the loopback tests)."""
    from http.server import BaseHTTPRequestHandler

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server API)
            u = urlsplit(self.path)
            tiku.seen_headers.append({k.lower(): v for k, v in self.headers.items()})
            status, ctype, body = tiku.handle(u.path, parse_qsl(u.query, keep_blank_values=True))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # keep test output quiet
            pass

    return Handler


def mock_transport(tiku: Tiku):
    """httpx transport answering from ``tiku`` in process (generator only: no port needed)."""
    import httpx

    def answer(request: httpx.Request) -> httpx.Response:
        status, ctype, body = tiku.handle(request.url.path, list(request.url.params.multi_items()))
        return httpx.Response(status, headers={"content-type": ctype}, content=body)

    return httpx.MockTransport(answer)


# -- generator ---------------------------------------------------------------------------------


def rebuild(archive_root: Path) -> list:
    from pipelines.archive import RawArchive
    from pipelines.settings import get_settings
    from pipelines.sources.thl_cube import SOURCE, ThlCubeClient, fetch_specs
    from pipelines.sources.thl_cube_specs import load_specs

    settings = get_settings()
    base = settings.thl_base_url.rstrip("/")
    tiku = Tiku(sample_cubes(), base_path=urlsplit(base).path, public_base=base)
    archive = RawArchive(archive_root, writable=True)
    manifest = archive_root / "manifest" / f"{SOURCE}.jsonl"
    old = {e.sha256 for e in archive.entries(SOURCE)}
    if manifest.exists():
        manifest.unlink()
    specs = load_specs()
    payloads, stats = fetch_specs(
        lambda: ThlCubeClient(settings, live=True, runtime=archive, base_url=base, transport=mock_transport(tiku),
                              synthetic=True, clock=lambda: FIXED_FETCHED_AT),
        specs,
    )
    keep = {e.sha256 for e in archive.entries()}
    for sha in old - keep:
        archive.object_path(sha).unlink(missing_ok=True)
    print(f"thl_cube sample: {stats.requests} requests, {sum(len(p.all()) for p in payloads)} payloads -> {manifest}")
    return payloads


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", type=Path, default=ROOT / "data" / "sample")
    args = ap.parse_args(argv)
    rebuild(args.archive)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
