CREATE OR REPLACE FUNCTION order_total(o bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT sum(price * qty) FROM order_lines WHERE order_id = o;
$$;
