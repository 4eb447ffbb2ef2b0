/**
 * Test support shared through mlops-registry-jdbc's test-jar: a throw-away PostgreSQL server on
 * loopback ({@link dev.mlops.registry.jdbc.testing.PostgresCluster}), one per test JVM, and the
 * condition that skips a test class when no server is installed
 * ({@link dev.mlops.registry.jdbc.testing.PostgresAvailable}). Used by this module's tests and by
 * the CLI's tests against PostgreSQL (mlops-cli). Only this package goes into the test-jar.
 */
package dev.mlops.registry.jdbc.testing;
