/**
 * Helpers for tests that run a store from several JVM processes: start a child JVM on the test
 * class path and read its output line by line ({@link dev.mlops.registry.tck.process.ChildJvm}),
 * and check what the children left in the registry ({@link dev.mlops.registry.tck.process.RegistryChecks}).
 * Used by the filesystem and PostgreSQL stores' crash and concurrency tests.
 */
package dev.mlops.registry.tck.process;
