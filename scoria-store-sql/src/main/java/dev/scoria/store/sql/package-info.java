/**
 * The {@link dev.scoria.core.store.Store} on SQL: SQLite (embedded, WAL) by default, with SQL kept
 * portable to PostgreSQL. Schema changes are Flyway migrations under {@code db/migration}.
 */
package dev.scoria.store.sql;
