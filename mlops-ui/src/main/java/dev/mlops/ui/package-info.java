/**
 * A read-only web UI over a store: {@link dev.mlops.ui.MlopsUi}. See {@code docs/ui.md}.
 */
package dev.mlops.ui;
