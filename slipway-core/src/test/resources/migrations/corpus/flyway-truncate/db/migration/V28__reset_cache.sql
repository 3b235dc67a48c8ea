TRUNCATE TABLE page_cache;
