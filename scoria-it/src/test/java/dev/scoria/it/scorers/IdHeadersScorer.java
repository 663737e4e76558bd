package dev.scoria.it.scorers;

import dev.scoria.scorer.RawScorer;
import dev.scoria.scorer.ScoreRequest;
import dev.scoria.scorer.ScoreResponse;
import dev.scoria.scorer.ScorerContext;

/** Answers with its own values of the request-id headers, which belong to the server, beside a header of its own. */
public final class IdHeadersScorer implements RawScorer {

    @Override
    public void init(ScorerContext context) {}

    @Override
    public ScoreResponse run(ScoreRequest request) {
        return ScoreResponse.builder(200)
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("x-request-id", "set-by-the-scorer")
                .header("x-ms-request-id", "set-by-the-scorer")
                .header("x-ms-client-request-id", "set-by-the-scorer")
                .header("TraceId", "set-by-the-scorer")
                .header("X-Scorer", "its own header")
                .body("ok")
                .build();
    }
}
