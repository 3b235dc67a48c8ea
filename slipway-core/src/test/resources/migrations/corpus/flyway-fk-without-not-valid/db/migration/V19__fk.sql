-- the orders table has millions of rows
-- and no NOT VALID here
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
