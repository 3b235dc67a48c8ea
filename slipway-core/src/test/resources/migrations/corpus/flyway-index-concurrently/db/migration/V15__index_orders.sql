-- flyway:executeInTransaction=false
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_customer ON orders (customer_id);
CREATE INDEX CONCURRENTLY idx_orders_recent
    ON orders USING btree (created_at DESC)
    WHERE deleted_at IS NULL;
