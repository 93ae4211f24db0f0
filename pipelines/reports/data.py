"""What the reports need from the warehouse (or the serving file): read with SQL from sql/reports/."""

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pipelines.warehouse import sql_text


@dataclass
class MeasureReport:
    measure_key: str
    text_fi: str
    text_en: str
    unit: str
    direction: str
    status: str
    reported_level: str
    source_ref: str | None
    latest_year: int | None
    national_value: float | None
    organisers: pd.DataFrame  # scorecard rows of the 22 organisers
    trend: pd.DataFrame  # year, national_value, organiser_median, organiser_min, organiser_max

    @property
    def unit_label(self) -> str:
        labels = self.organisers["unit_label_en"].dropna() if "unit_label_en" in self.organisers else []
        return str(labels.iloc[0]) if len(labels) else self.unit

    @property
    def baseline_label(self) -> str:
        years = self.organisers["baseline_year"].dropna() if "baseline_year" in self.organisers else []
        return "baseline " + "/".join(str(int(y)) for y in sorted(set(years))) if len(years) else "baseline"

    @property
    def per_area(self) -> bool:
        """Reported per cooperation area: each organiser is shown with its area's value."""
        return self.reported_level == "cooperation_area"

    @property
    def shown_values(self) -> pd.Series:
        return self.organisers["cooperation_area_value" if self.per_area else "value"]

    @property
    def has_data(self) -> bool:
        return self.latest_year is not None and self.shown_values.notna().any()


@dataclass
class ObjectiveReport:
    objective_key: str
    title_fi: str
    title_en: str
    theme_en: str
    measures: list[MeasureReport] = field(default_factory=list)
    any_synthetic: bool = False
    footnotes: list[tuple[str, str, str]] = field(default_factory=list)  # (mark, text_fi, text_en) of the publication

    @property
    def slug(self) -> str:
        return "objective_" + self.objective_key.replace(".", "_")


def _none(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else value


def footnotes(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """The publication's footnotes (mark, Finnish, English), for the index page."""
    return con.execute("SELECT mark, text_fi, text_en FROM reference.footnotes ORDER BY mark").fetchall()


def coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every catalogue measure with its status and coverage (marts.measure_coverage)."""
    return con.execute(sql_text("reports/coverage")).df()


def collect(con: duckdb.DuckDBPyConnection) -> list[ObjectiveReport]:
    objectives = con.execute(sql_text("reports/objectives")).df()
    scorecard = con.execute(sql_text("reports/scorecard")).df()
    trends = con.execute(sql_text("reports/trends")).df()
    notes = con.execute("SELECT mark, measure_key, text_fi, text_en FROM reference.footnotes ORDER BY mark").fetchall()
    reports = []
    for obj in objectives.itertuples(index=False):
        report = ObjectiveReport(obj.objective_key, obj.title_fi, obj.title_en, obj.theme_en)
        rows = scorecard[scorecard.objective_key == obj.objective_key]
        for key in sorted(rows.measure_key.unique()):
            m = rows[rows.measure_key == key].sort_values("region_code")
            first = m.iloc[0]
            latest = _none(first.latest_year)
            report.measures.append(
                MeasureReport(
                    measure_key=key, text_fi=first.measure_text_fi, text_en=first.measure_text_en, unit=first.unit,
                    direction=first.direction, status=first.measure_status, reported_level=first.reported_level, source_ref=_none(first.source_ref),
                    latest_year=int(latest) if latest is not None else None,
                    national_value=_none(m.national_value.dropna().iloc[0]) if m.national_value.notna().any() else None,
                    organisers=m.reset_index(drop=True),
                    trend=trends[(trends.measure_key == key) & (trends.source_ref == first.source_ref)]
                    .sort_values("year").reset_index(drop=True),
                )
            )
        report.any_synthetic = bool(rows.is_synthetic.any())
        keys = set(rows.measure_key)
        report.footnotes = [(mark, fi, en) for mark, key, fi, en in notes if key in keys]
        reports.append(report)
    return reports


@dataclass
class Changes:
    """Values changed since the publication BI tools read now (the previous one, once this run publishes)."""

    previous_run_id: str | None
    previous_published_at: object
    rows: pd.DataFrame


def changes_since_publication(con: duckdb.DuckDBPyConnection, serving_path) -> Changes:
    from pathlib import Path

    from pipelines.warehouse import render

    path = Path(serving_path)
    empty = pd.DataFrame()
    if not path.exists():
        return Changes(None, None, empty)
    con.execute(f"ATTACH '{path.as_posix()}' AS published_now (READ_ONLY)")
    try:
        has = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'published_now' "
                          "AND schema_name = 'marts' AND table_name = 'measure_values'").fetchone()[0]
        if not has:
            return Changes(None, None, empty)
        last = con.execute("SELECT * FROM published_now.meta.publication").df()
        order = "checked_at" if "checked_at" in last.columns else "published_at"
        row = last.sort_values(order).iloc[-1]
        rows = con.execute(render(sql_text("reports/changes"), {"previous": "published_now"})).df()
        return Changes(row.get("content_run_id", row["run_id"]), row["published_at"], rows)
    finally:
        con.execute("DETACH published_now")
