CREATE TABLE parcels (id bigserial PRIMARY KEY);
