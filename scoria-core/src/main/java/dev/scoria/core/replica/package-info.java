/**
 * Replicas: the {@code scoria serve} processes that share one workspace database, their heartbeats
 * and what each reports about the services it runs. Depends on the service records only.
 */
package dev.scoria.core.replica;
