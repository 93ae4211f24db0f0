-- The objectives a report is drawn for, with titles (read by pipelines/reports/data.py).
SELECT objective_key, title_fi, title_en, theme_en
FROM reference.objectives
ORDER BY objective_key
