package dev.scoria.it.scorers;

import dev.scoria.scorer.JsonScorer;
import dev.scoria.scorer.ScorerContext;
import java.util.Map;

/** Answers the request as Scoria converted it, so a test sees exactly what a JSON scorer is given. */
public final class EchoScorer implements JsonScorer<Map<String, Object>> {

    @Override
    public void init(ScorerContext context) {
        context.logger().info("echo ready");
    }

    @Override
    public Object run(Map<String, Object> input) {
        return input;
    }
}
