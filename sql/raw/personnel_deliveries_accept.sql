-- Accept one delivery (one transaction): earlier accepted deliveries of the same county-years
-- become 'replaced', and the delivery's rows join raw.personnel_rows. Inputs are the relations
-- incoming_delivery (one row per county-year) and incoming_rows registered by the caller.
UPDATE raw.personnel_deliveries AS d
SET status = 'replaced', replaced_by = $sha256
WHERE d.status = 'accepted'
  AND d.delivery_sha256 <> $sha256
  AND EXISTS (SELECT 1 FROM incoming_delivery i WHERE i.area_code = d.area_code AND i.year = d.year);

DELETE FROM raw.personnel_deliveries WHERE delivery_sha256 = $sha256;

INSERT INTO raw.personnel_deliveries
SELECT delivery_sha256, file_name, origin, area_code, CAST(year AS INTEGER), CAST(received_at AS TIMESTAMP),
       'accepted', NULL, CAST(row_count AS INTEGER), is_synthetic, 0, NULL, NULL
FROM incoming_delivery;

DELETE FROM raw.personnel_rows WHERE delivery_sha256 = $sha256;

INSERT INTO raw.personnel_rows
SELECT delivery_sha256, file_name, sheet, CAST(file_row AS INTEGER), area_code, CAST(year AS INTEGER), staff_group,
       metric, breakdown, CAST(value AS DOUBLE), unit, staff_group_label_src, method, CAST(reference_date AS DATE),
       source_url, source_page, extracted_by, CAST(extracted_at AS DATE), note, is_synthetic
FROM incoming_rows;
