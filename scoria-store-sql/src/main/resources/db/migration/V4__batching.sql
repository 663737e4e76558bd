-- Dynamic batching settings per service.
ALTER TABLE services ADD COLUMN max_batch_size INTEGER NOT NULL DEFAULT 32;
ALTER TABLE services ADD COLUMN max_batch_delay_us INTEGER NOT NULL DEFAULT 0;
