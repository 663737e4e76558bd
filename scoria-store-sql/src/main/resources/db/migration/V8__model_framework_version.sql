-- The framework version a model was registered with (Azure's model_framework_version, e.g. 1.2 for
-- scikit-learn); NULL when none was given, as for every model registered before.
ALTER TABLE models ADD COLUMN framework_version VARCHAR(64);
