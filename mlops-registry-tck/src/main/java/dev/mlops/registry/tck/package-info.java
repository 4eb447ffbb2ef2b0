/**
 * The store compatibility kit: {@link dev.mlops.registry.tck.StoreCompatibilityKit}, an abstract
 * JUnit 5 suite that proves a {@link dev.mlops.api.store.Store} backend keeps every promise of the
 * storage SPI. A backend runs it by extending one class in its own tests.
 */
package dev.mlops.registry.tck;
