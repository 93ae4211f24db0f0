"""BI access to serving.duckdb: the examples of docs/querying.md, run for real.

- a full replay run publishes serving.duckdb (the session's run, conftest ``full_run``);
- SQLAlchemy (duckdb-engine) reads it read-only while a second pipeline run (a subprocess)
  holds the warehouse, and that run completes;
- the DuckDB 1.5 CLI (duckdb-cli package) runs the documented CLI example on the file;
- the Python and SQLAlchemy examples of the doc run unchanged except for the path.
"""

import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import copy_of_full_run
from pipelines.settings import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "querying.md"
RUN_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import dagster as dg
    from pipelines.definitions import build_defs
    from pipelines.settings import get_settings
    tmp = Path(sys.argv[1])
    s = get_settings(warehouse_path=tmp / "warehouse.duckdb", serving_path=tmp / "serving.duckdb", archive_path=tmp / "archive",
                     report_path=tmp / "reports", landing_path=tmp / "landing")
    result = build_defs(s).resolve_job_def("nightly_all_assets").execute_in_process(instance=dg.DagsterInstance.ephemeral())
    sys.exit(0 if result.success else 1)
    """
)


def doc_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def start_run(folder: Path, log_name: str) -> tuple[subprocess.Popen, Path]:
    """A pipeline run in a subprocess; its (verbose) log goes to a file, never to a pipe that could fill up."""
    env = {**os.environ, "DAGSTER_HOME": str(folder / "dagster_home"), "PYTHONPATH": str(PROJECT_ROOT)}
    (folder / "dagster_home").mkdir(exist_ok=True)
    log = folder / log_name
    with log.open("w") as fh:
        proc = subprocess.Popen([sys.executable, "-c", RUN_SCRIPT, str(folder)], cwd=PROJECT_ROOT, env=env,
                                stdout=fh, stderr=subprocess.STDOUT)
    return proc, log


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:]


@pytest.fixture
def published(full_run, tmp_path) -> Path:
    """A copy of the session's published state (warehouse, serving file, archive, reports), for a test
    that runs the pipeline on it again; the shared run itself stays untouched."""
    folder = copy_of_full_run(full_run, tmp_path / "bi").warehouse_path.parent
    assert (folder / "warehouse.duckdb").exists() and (folder / "serving.duckdb").exists()
    return folder


@pytest.fixture
def served(full_run) -> Path:
    """Folder of the session's full run (conftest ``full_run``): these tests only read its serving.duckdb."""
    settings, _ = full_run
    assert settings.serving_path.name == "serving.duckdb"
    return settings.serving_path.parent


@pytest.mark.slow
def test_sqlalchemy_reads_serving_while_a_run_holds_the_warehouse(published):
    serving = published / "serving.duckdb"
    proc, log = start_run(published, "second_run.log")  # same warehouse (held by the run), same serving file
    reads_during_run = 0
    deadline = time.monotonic() + 600
    engine = sa.create_engine(f"duckdb:///{serving}", connect_args={"read_only": True})
    try:
        while proc.poll() is None:
            assert time.monotonic() < deadline, "the pipeline run did not finish within 10 minutes"
            with engine.connect() as conn:
                n = conn.execute(sa.text("SELECT count(*) FROM marts.region_scorecard WHERE region_code = '20'")).scalar()
            assert n > 0
            if proc.poll() is None:
                reads_during_run += 1
            time.sleep(0.05)
    finally:
        engine.dispose()
    proc.wait(timeout=60)
    assert proc.returncode == 0, _tail(log)
    assert reads_during_run > 0
    # and the new file the run published is readable too
    engine = sa.create_engine(f"duckdb:///{serving}", connect_args={"read_only": True})
    with engine.connect() as conn:
        # one history row per publish attempt; the newest is this run's
        assert conn.execute(sa.text("SELECT count(*) FROM meta.publication")).scalar() >= 1
        assert conn.execute(sa.text("SELECT content_changed FROM meta.latest_publication")).scalar() is not None
    engine.dispose()


def _cli() -> str:
    exe = shutil.which("duckdb") or str(Path(sys.executable).with_name("duckdb"))
    if not Path(exe).exists():
        pytest.fail("duckdb CLI 1.x not installed: pip install duckdb-cli==1.5.6")
    return exe


def test_duckdb_1x_cli_runs_the_documented_example(served):
    exe = _cli()
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1."), version
    (command,) = doc_blocks("sh")
    command = command.strip().replace("var/serving.duckdb", str(served / "serving.duckdb"))
    assert command.startswith("duckdb -readonly ")
    sql = re.search(r'-c "(.*)"$', command, flags=re.S).group(1)
    result = subprocess.run([exe, "-readonly", str(served / "serving.duckdb"), "-csv", "-c", sql],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("measure_key,latest_year,value,unit,national_value,difference")
    assert len(lines) == 1 + 31  # header + every measure of the catalogue for Kainuu


def test_documented_scorecard_query_answers_the_kainuu_question(served):
    import duckdb

    sql = doc_blocks("sql")[0]
    with duckdb.connect(str(served / "serving.duckdb"), read_only=True) as con:
        frame = con.execute(sql).df()
    assert len(frame) == 31
    compared = frame[frame.value.notna() & frame.national_value.notna() & frame.comparison_basis.eq("rate")]
    assert len(compared) >= 5  # the automated measures with a whole-country figure
    # display figures: rounded to the published decimals, so the difference agrees to one last digit
    step = 10.0 ** -compared.decimals
    assert ((compared.difference_to_national - (compared.value - compared.national_value)).abs() <= step + 1e-9).all()
    for value, decimals in frame[frame.value.notna()][["value", "decimals"]].itertuples(index=False):
        assert round(value, int(decimals)) == value and len(repr(value).split(".")[-1]) <= max(int(decimals), 1), value
    assert frame.unit[frame.value.notna()].notna().all()
    assert frame.change_from_previous_year.notna().any()
    assert frame[frame.value.isna()].missing_reason.notna().all()
    # no total is set against the country: no difference or rank, and the reason says why
    totals = frame[frame.comparison_basis.isin(["total", "ranked_list"]) & frame.value.notna()]
    assert len(totals) >= 1  # the key staff shortages (a ranked list of unfilled positions)
    assert totals.difference_to_national.isna().all() and totals.rank_among_organisers.isna().all()
    assert totals.not_compared_reason.notna().all()
    assert frame.set_index("measure_key").loc["2.1.2-01", "comparison_basis"] == "rate"  # per 1 000, not the count


def test_documented_need_adjusted_query_ranks_every_organiser(served):
    import duckdb

    sql = doc_blocks("sql")[1]
    assert "2.2.1-06" in sql
    with duckdb.connect(str(served / "serving.duckdb"), read_only=True) as con:
        frame = con.execute(sql).df()
    assert len(frame) == 22  # every organiser
    ranked = frame[frame["rank"].notna()]
    assert len(ranked) == 22 and ranked["rank"].min() == 1 and ranked["rank"].between(1, 22).all()
    assert (frame.trend_source_ref == "5956").all()  # the trend is read from the unadjusted cost
    assert set(frame.trend_direction) <= {"improving", "worsening", "stable", "not_assessed"}


@pytest.mark.parametrize("index", [0, 1])
def test_documented_python_examples_run(served, index, capsys):
    blocks = doc_blocks("python")
    assert len(blocks) == 2
    code = blocks[index].replace("var/serving.duckdb", str(served / "serving.duckdb"))
    exec(compile(code, f"docs/querying.md python block {index}", "exec"), {})
    printed = capsys.readouterr().out
    assert "2.1.1-02" in printed or "'2.1.1-02'" in printed


def test_data_dictionary_covers_every_published_column(served, tmp_path):
    import duckdb

    sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
    from gen_data_dictionary import render_markdown

    serving = served / "serving.duckdb"
    markdown = render_markdown(serving)
    with duckdb.connect(str(serving), read_only=True) as con:
        objects = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE schema_name <> 'meta' UNION "
            "SELECT schema_name || '.' || view_name FROM duckdb_views() WHERE NOT internal AND schema_name <> 'meta'"
        ).fetchall()
        columns = con.execute("SELECT schema_name, table_name, column_name FROM meta.data_dictionary").fetchall()
        undocumented = con.execute("SELECT schema_name, table_name, column_name FROM meta.data_dictionary "
                                   "WHERE schema_name = 'marts' AND column_description IS NULL").fetchall()
    assert undocumented == []
    for (name,) in objects:
        assert f"\n## {name}\n" in markdown, f"{name} missing from the generated dictionary"
    assert len(columns) == markdown.count("\n| `")


def test_committed_data_dictionary_is_current(served):
    sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
    from gen_data_dictionary import render_markdown

    committed = (PROJECT_ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    fresh = render_markdown(served / "serving.duckdb")
    stale = [line for line in fresh.splitlines() if line.startswith("## ") and line not in committed.splitlines()]
    assert stale == [], f"docs/data_dictionary.md lacks {stale}: run python scripts/gen_data_dictionary.py after a run"


def test_duckdb_1x_cli_runs_the_readme_examples(served):
    """Every `duckdb -readonly var/serving.duckdb -c "..."` line of README.md runs on the published file."""
    exe = _cli()
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    queries = re.findall(r'duckdb -readonly var/serving\.duckdb -c "(.*?)"\s*$', readme, flags=re.M)
    assert queries, "README.md has no DuckDB CLI example on var/serving.duckdb"
    for sql in queries:
        result = subprocess.run([exe, "-readonly", str(served / "serving.duckdb"), "-csv", "-c", sql],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"README example failed: {sql}\n{result.stderr}"
        assert len(result.stdout.strip().splitlines()) > 1, f"README example returned no rows: {sql}"
