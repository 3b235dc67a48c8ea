SET lock_timeout = '5s';
SET statement_timeout TO 0;
ALTER TABLE orders ADD COLUMN coupon_code text;
RESET lock_timeout;
