/**
 * The {@code scoria} command line (picocli): {@code serve} runs a server in this process; every
 * other command is a client of a running server, through the Java SDK.
 */
package dev.scoria.cli;
