-- meta.data_dictionary: every published table, view and column with its description.
-- Runs with the serving file as the current database, after tables, views and comments are copied.
CREATE OR REPLACE TABLE meta.data_dictionary AS
SELECT
    o.schema_name,
    o.object_name AS table_name,
    o.object_type,
    o.object_comment AS table_description,
    c.column_name,
    c.column_index,
    c.data_type,
    c.comment AS column_description
FROM (
    SELECT schema_name, table_name AS object_name, 'table' AS object_type, comment AS object_comment
    FROM duckdb_tables() WHERE database_name = current_database() AND schema_name <> 'meta'
    UNION ALL
    SELECT schema_name, view_name, 'view', comment
    FROM duckdb_views() WHERE database_name = current_database() AND NOT internal AND schema_name <> 'meta'
) o
JOIN duckdb_columns() c
  ON c.database_name = current_database() AND c.schema_name = o.schema_name AND c.table_name = o.object_name
ORDER BY o.schema_name, o.object_name, c.column_index;

COMMENT ON TABLE meta.data_dictionary IS 'Every published table and view and each of its columns, with descriptions (also in docs/data_dictionary.md).';
