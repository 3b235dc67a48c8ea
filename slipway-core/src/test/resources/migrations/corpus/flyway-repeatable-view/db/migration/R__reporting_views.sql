-- repeatable: re-run whenever it changes
CREATE OR REPLACE VIEW reporting.daily_orders AS
SELECT date_trunc('day', created_at) AS day, count(*) AS orders
FROM orders GROUP BY 1;
