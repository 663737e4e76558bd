/**
 * The one inference path every protocol shares: a decoded request is admitted by its service's
 * scheduler, merged into a batch when its predictor batches, scored inline when that is cheaper than
 * a thread hop, and its typed result handed back. Depends on {@code core.inference},
 * {@code core.runtime} and {@code core.scheduling}; knows no protocol and no HTTP.
 */
package dev.scoria.core.serving;
