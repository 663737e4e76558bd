/**
 * The contract between Scoria and user scoring code. Depends on the JDK only, so that a scorer JAR
 * never drags Scoria's own dependencies into its class loader.
 */
package dev.scoria.scorer;
