/**
 * The PostgreSQL store: {@link dev.mlops.registry.jdbc.PostgresStore}, one registry shared by
 * many processes on many machines through the storage SPI, and its provider
 * {@link dev.mlops.registry.jdbc.PostgresStoreProvider} (name {@code postgres}).
 */
package dev.mlops.registry.jdbc;
