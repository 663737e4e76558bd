/**
 * Services: their records, keys, live state and the deployment state machine. May depend on the
 * model, runtime, store and auth packages; never on HTTP.
 */
package dev.scoria.core.service;
