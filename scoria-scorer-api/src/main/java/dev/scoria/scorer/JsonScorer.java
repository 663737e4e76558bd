package dev.scoria.scorer;

/**
 * A scorer of JSON requests: Scoria parses the body (or, for {@code GET}, the query parameters, each
 * value read as JSON when it is JSON) and converts it to {@code I} with Jackson, then serialises what
 * {@link #run} returns as the JSON answer.
 *
 * <p>{@code I} may be a record or class (fields bound by name), {@code java.util.Map}, {@code Object}
 * (maps, lists, strings, numbers, booleans), or Jackson's {@code JsonNode}: Scoria provides
 * {@code com.fasterxml.jackson} to scorers, so do not shade it into the scorer's JAR. A request that
 * cannot be converted is answered {@code 400} with the field that did not fit.
 *
 * <p>Answers: any value Jackson can serialise (records, maps, lists, arrays, numbers). A returned
 * {@code String} is sent as a JSON string ({@code "text"}, quoted), as Azure ML does; return a
 * {@link ScoreResponse} to send text or bytes as they are. A thrown exception is answered {@code 502}
 * with {@code x-ms-run-function-failed: True} and a generic message; its stack trace goes to the
 * service log.
 *
 * @param <I> what a request is converted to
 */
public interface JsonScorer<I> extends Scorer {

    Object run(I input) throws Exception;
}
