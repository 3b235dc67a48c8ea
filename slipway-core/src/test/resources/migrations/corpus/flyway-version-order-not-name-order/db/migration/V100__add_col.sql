ALTER TABLE parcels_old ADD COLUMN weight int NOT NULL;
