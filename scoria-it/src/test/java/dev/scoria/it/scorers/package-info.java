/**
 * Scorers that misbehave on purpose (throw, fail to start, hang) or echo what they get, for the
 * Java runtime's end-to-end tests. They are packed into a JAR at test time and deployed like a user's.
 */
package dev.scoria.it.scorers;
