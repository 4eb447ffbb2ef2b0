/**
 * Test support shared through mlops-quality's test-jar: frames read from the reference datasets
 * ({@link dev.mlops.quality.testing.TestFrames}) and scikit-learn's reference values
 * ({@link dev.mlops.quality.testing.QualityReference}). Only this package and the data under
 * {@code datasets/} and {@code quality/} go into the test-jar.
 */
package dev.mlops.quality.testing;
