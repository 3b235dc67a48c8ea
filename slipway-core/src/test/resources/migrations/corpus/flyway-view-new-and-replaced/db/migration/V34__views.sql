CREATE VIEW active_users AS SELECT id, email FROM users WHERE active;
-- a new view may be redefined in the same deploy
CREATE OR REPLACE VIEW active_users AS SELECT id, email, nickname FROM users WHERE active;
-- but this one existed before
CREATE OR REPLACE VIEW order_summary AS SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id;
