/**
 * Test support shared by several modules through mlops-core's test-jar: headless Chromium on a
 * local page ({@link dev.mlops.core.testing.HeadlessChromium}) and the reading of the DOM it
 * serialized ({@link dev.mlops.core.testing.DumpedDom}). Used by the Chromium tests of the model
 * card (mlops-core), the drift report (mlops-drift) and the demo's outputs (mlops-examples).
 * Only this package goes into the test-jar.
 */
package dev.mlops.core.testing;
