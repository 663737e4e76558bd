/**
 * Who may call the management API: access tokens with a role and an expiry (stored hashed), the
 * rights each role grants, and the audit log of management calls. May depend on the auth and store
 * packages; never on HTTP.
 */
package dev.scoria.core.access;
