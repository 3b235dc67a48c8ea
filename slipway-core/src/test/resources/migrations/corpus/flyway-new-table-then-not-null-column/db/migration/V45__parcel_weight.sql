ALTER TABLE parcels ADD COLUMN weight int NOT NULL;
ALTER TABLE parcels ADD CONSTRAINT weight_positive CHECK (weight > 0);
