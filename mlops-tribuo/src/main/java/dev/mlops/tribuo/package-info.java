/**
 * Tribuo models in tracked runs: {@link dev.mlops.tribuo.TribuoRuns} records a model's provenance
 * into a run (trainer and configuration as params, dataset facts and the Tribuo version as tags,
 * Tribuo's own provenance JSON as an artifact), trains through a run, and registers the model as a
 * version linked to its run. See {@code docs/tracking-tribuo.md}.
 */
package dev.mlops.tribuo;
