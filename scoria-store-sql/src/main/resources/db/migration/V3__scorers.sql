-- Code runtimes (a scorer JAR, its entry point and settings) and declared API schemas.
ALTER TABLE services ADD COLUMN code_file TEXT;
ALTER TABLE services ADD COLUMN entry_point TEXT;
ALTER TABLE services ADD COLUMN scorer_config TEXT NOT NULL DEFAULT '{}';
ALTER TABLE services ADD COLUMN output_example TEXT;
ALTER TABLE services ADD COLUMN swagger TEXT;
