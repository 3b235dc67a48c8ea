/* every row was backfilled by V11 */
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
