-- The tables of the published schemas ($schemas) in the attached warehouse, as (schema, table).
SELECT schema_name, table_name
FROM duckdb_tables()
WHERE database_name = current_database() AND list_contains($schemas, schema_name) AND NOT temporary
ORDER BY 1, 2;
