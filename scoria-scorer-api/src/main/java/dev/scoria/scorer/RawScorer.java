package dev.scoria.scorer;

/**
 * A scorer that gets the HTTP request as it came (any content type: images, audio, CSV, JSON) and
 * writes the whole answer: Azure ML's {@code @rawhttp} with {@code AMLRequest}/{@code AMLResponse}.
 * Called for {@code POST}, {@code GET} and {@code OPTIONS}. A response status of 500 or more is sent
 * with {@code x-ms-run-function-failed: True}.
 */
public interface RawScorer extends Scorer {

    ScoreResponse run(ScoreRequest request) throws Exception;
}
