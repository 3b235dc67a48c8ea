-- expired sessions are useless
DELETE FROM sessions WHERE expires_at < now();
