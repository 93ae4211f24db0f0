-- The views of the published schemas ($schemas), as (schema, view, CREATE VIEW text).
SELECT schema_name, view_name, sql
FROM duckdb_views()
WHERE database_name = current_database() AND list_contains($schemas, schema_name) AND NOT internal
ORDER BY 1, 2;
