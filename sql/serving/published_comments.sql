-- Every comment of the published schemas ($schemas): tables and views with column_name NULL,
-- then columns. Part of the serving fingerprint: a changed comment republishes.
SELECT schema_name, table_name, NULL AS column_name, comment
FROM duckdb_tables()
WHERE database_name = current_database() AND list_contains($schemas, schema_name)
UNION ALL
SELECT schema_name, view_name, NULL, comment
FROM duckdb_views()
WHERE database_name = current_database() AND list_contains($schemas, schema_name)
UNION ALL
SELECT schema_name, table_name, column_name, comment
FROM duckdb_columns()
WHERE database_name = current_database() AND list_contains($schemas, schema_name) AND comment IS NOT NULL
ORDER BY ALL;
