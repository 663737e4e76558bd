/** Credentials: service keys, the workspace admin token, and how they are compared. JDK only. */
package dev.scoria.core.auth;
