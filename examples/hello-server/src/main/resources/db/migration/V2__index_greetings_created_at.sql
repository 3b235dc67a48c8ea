create index greetings_created_at_idx on greetings (created_at);
