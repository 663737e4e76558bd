/**
 * The Scoria Java SDK: manage models and web services on a Scoria server and call them, in the
 * shape of Azure Machine Learning's (v1) Python SDK ({@link Workspace},
 * {@link Model}, {@link Webservice}).
 *
 * <p>Public types are the SDK's API; package-private ones ({@code Transport}, {@code MultipartBody},
 * {@code QueryString}, {@code ErrorBody}, {@code Json}…) are its plumbing and may change at any time.
 * This package may depend only on the JDK ({@code java.net.http}) and Jackson databind, so that
 * applications can embed it without pulling in a server, a logging framework or an HTTP library.
 */
package dev.scoria.client;
