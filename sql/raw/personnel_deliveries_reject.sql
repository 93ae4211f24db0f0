-- Record one rejected delivery (one transaction). Its rows never reach the warehouse; the file
-- sits in quarantine/ next to its error report, and the bytes are in the raw archive (ok=false).
DELETE FROM raw.personnel_deliveries WHERE delivery_sha256 = $sha256 AND status = 'rejected';

INSERT INTO raw.personnel_deliveries
VALUES ($sha256, $file_name, $origin, NULL, NULL, CAST($received_at AS TIMESTAMP), 'rejected', NULL, 0,
        $is_synthetic, $issue_count, $error_summary, $report_path);
