/**
 * Helpers for tests that run a store from several JVM processes: start a child JVM on the test
 * class path and read its output line by line ({@link dev.mlops.registry.tck.process.ChildJvm}),
 * and check what the children left in the registry ({@link dev.mlops.registry.tck.process.RegistryChecks}).
 * The process kits every backend can run ({@link dev.mlops.registry.tck.process.CrashKit},
 * {@link dev.mlops.registry.tck.process.ConcurrencyKit}, {@link dev.mlops.registry.tck.process.MultiProcessKit})
 * and the main classes of their children ({@link dev.mlops.registry.tck.process.RegistrationWorker},
 * {@link dev.mlops.registry.tck.process.StoreWorker}) live here, so every module's test class path has them.
 */
package dev.mlops.registry.tck.process;
