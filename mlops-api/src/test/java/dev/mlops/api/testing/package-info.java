/**
 * Test support shared by every module through mlops-api's test-jar: FIFOs and devices for the
 * output-file tests ({@link dev.mlops.api.testing.SpecialFiles}), headless Chromium on a local page
 * ({@link dev.mlops.api.testing.HeadlessChromium}) with the reading of the DOM it serialized
 * ({@link dev.mlops.api.testing.DumpedDom}), and a clock tests move by hand
 * ({@link dev.mlops.api.testing.ManualTestClock}). Only this package goes into the test-jar.
 */
package dev.mlops.api.testing;
