"""Charts and static HTML reports: pages parse, every linked file exists, every objective page
names all its measures; optionally a screenshot in headless Chromium."""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assets.marts import build_objective_views
from pipelines.reports.data import collect, coverage, footnotes
from pipelines.reports.html import write_reports
from test_marts_sql import build_all, make_warehouse, mv_row

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class Page(HTMLParser):
    """Collects links, image sources, ids and text; fails on unbalanced tags."""

    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.links, self.images, self.ids, self.text, self.stack = [], [], set(), [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "img":
            self.images.append(a.get("src"))
            assert a.get("alt"), "every image has alt text"
        if "id" in a:
            self.ids.add(a["id"])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}>, open: {self.stack[-3:]}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    assert page.stack == [], f"{path.name}: unclosed {page.stack}"
    return page


@pytest.fixture(scope="module")
def report_folder(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reports")
    rows = []
    for year, shift in ((2023, 0.0), (2024, 1.0)):
        for i, code in enumerate(["01", "02", "03", "20", "90"]):
            rows.append(mv_row("2.1.1-02", code, year, 10.0 + i + shift, source_ref="3332"))
            rows.append(mv_row("2.3.1-02", code, year, 5.0 + i - shift, source_ref="404"))
        rows.append(mv_row("2.1.1-02", "SSS", year, 12.0 + shift, source_ref="3332"))
        rows.append(mv_row("2.3.1-02", "SSS", year, 7.0 - shift, source_ref="404"))
    con = make_warehouse(tmp / "w.duckdb", rows)
    build_all(con)
    build_objective_views(con)
    reports = collect(con)
    measures_coverage = coverage(con)
    notes = footnotes(con)
    measures = dict(con.execute("SELECT objective_key, list(measure_key ORDER BY measure_key) FROM reference.measures GROUP BY 1").fetchall())
    texts = dict(con.execute("SELECT measure_key, text_en FROM reference.measures").fetchall())
    con.close()
    write_reports(reports, tmp / "out", measures_coverage, notes=notes)
    return tmp / "out", measures, texts


def test_index_links_every_objective_page(report_folder):
    folder, measures, _ = report_folder
    index = parse(folder / "index.html")
    pages = sorted(f"objective_{k.replace('.', '_')}.html" for k in measures)
    assert sorted(link for link in index.links if "#" not in link) == pages
    # the coverage table links every one of the 31 measures to its place on its objective page
    anchors = sorted(link for link in index.links if "#" in link)
    assert anchors == sorted(f"objective_{k.replace('.', '_')}.html#m-{m}" for k, ms in measures.items() for m in ms)
    assert len(anchors) == 31
    for link in anchors:
        page, anchor = link.split("#")
        assert anchor in parse(folder / page).ids
    assert "SYNTHETIC" in "".join(index.text)  # the sample rows are labelled synthetic


def test_every_page_parses_links_exist_and_names_all_measures(report_folder):
    folder, measures, texts = report_folder
    for objective, keys in measures.items():
        path = folder / f"objective_{objective.replace('.', '_')}.html"
        page = parse(path)
        for target in [*page.links, *page.images]:
            if target.startswith("#"):
                assert target[1:] in page.ids, f"{path.name}: anchor {target} has no target"
                continue
            linked = folder / target
            assert linked.exists() and linked.stat().st_size > 0, f"{path.name} links missing {target}"
        assert page.images == [f"objective_{objective.replace('.', '_')}.png"]
        assert (folder / page.images[0]).read_bytes().startswith(PNG_MAGIC)
        assert (folder / page.images[0]).with_suffix(".svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
        text = " ".join(page.text)
        for key in keys:
            assert key in text, f"{path.name} does not name measure {key}"
            assert texts[key] in text, f"{path.name} lacks the wording of {key}"


def test_page_shows_the_comparison_table(report_folder):
    folder, _, _ = report_folder
    text = " ".join(parse(folder / "objective_2_1_1.html").text)
    assert "Kainuun hyvinvointialue" in text and "Latest year 2024" in text
    assert "not comparable" in text  # Helsinki 2021-2024 caveat from Sotkanet 3336


def test_every_footnote_mark_has_its_footnote(report_folder):
    folder, _, texts = report_folder
    marks = {"¹": "Omalääkäri 2.0", "²": "Omaolo"}
    for name in ["index.html", "objective_2_1_1.html", "objective_2_4_2.html"]:
        text = " ".join(parse(folder / name).text)
        for mark, words in marks.items():
            if mark in text:
                assert words in text.split("Footnotes of the publication")[-1], f"{name}: mark {mark} without its footnote"
    assert "Omalääkäri 2.0" in " ".join(parse(folder / "objective_2_1_1.html").text)


def test_table_names_the_cooperation_area_and_dashes_what_is_missing(report_folder):
    folder, _, _ = report_folder
    text = " ".join(parse(folder / "objective_2_1_1.html").text)
    assert "collaborative area:" in text  # each organiser's cooperation area by name (Statistics Finland)
    assert "—" in text and re.search(r"\b1 of \d+ organisers", text)


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None, reason="headless Chromium not installed (apt-get install chromium)")
def test_screenshot_in_headless_chromium(report_folder, tmp_path):
    folder, _, _ = report_folder
    shot = tmp_path / "shot.png"
    subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={shot}", "--window-size=1280,2000",
         (folder / "objective_2_1_1.html").as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    data = shot.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 20_000  # a blank page compresses to a few KB
