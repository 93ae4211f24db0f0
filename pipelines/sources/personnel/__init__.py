"""Personnel reports of the wellbeing services counties (objective 2.1.2): the canonical delivery.
The format is documented for county analysts in ``docs/personnel_format.md``. Read in order:
``vocabulary`` (columns, metrics, staff groups, age bands, aliases; read from the data files in
``pipelines/catalog/personnel/``), ``model`` (the row model and
``parse_delivery``), ``rules`` (rules between rows), ``template`` (empty templates, CSV/XLSX
writers). No Dagster imports (the assets live in ``assets/personnel.py``).
"""

from pipelines.sources.personnel.model import Delivery, PersonnelRow, ValidRow, parse_delivery
from pipelines.sources.personnel.rules import cross_row_issues
from pipelines.sources.personnel.template import rows_to_csv, rows_to_xlsx, template_rows, write_template
from pipelines.sources.personnel.vocabulary import (
    AGE_BANDS,
    AGE_BANDS_55_PLUS,
    COLUMN_ALIASES,
    COLUMNS,
    FRAGMENT_SOURCE,
    METRICS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SOURCE,
    STAFF_GROUPS,
    SYNTHETIC_MARK,
)

__all__ = [
    "AGE_BANDS", "AGE_BANDS_55_PLUS", "COLUMN_ALIASES", "COLUMNS", "Delivery", "FRAGMENT_SOURCE", "METRICS",
    "OPTIONAL_COLUMNS", "PersonnelRow", "REQUIRED_COLUMNS", "SOURCE", "STAFF_GROUPS", "SYNTHETIC_MARK", "ValidRow",
    "cross_row_issues", "parse_delivery", "rows_to_csv", "rows_to_xlsx", "template_rows", "write_template",
]
