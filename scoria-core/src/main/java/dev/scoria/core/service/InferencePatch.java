package dev.scoria.core.service;

import dev.scoria.core.model.ModelFile;
import java.util.Map;

/**
 * A change to what a deployment runs: its runtime, code, entry point or runtime settings, each null when
 * unchanged. Applying one that changes anything makes the deployment's next generation, loaded beside
 * the one serving and swapped in when ready.
 */
public record InferencePatch(String runtime, ModelFile code, String entry, Map<String, String> config) {

    public static final InferencePatch NONE = new InferencePatch(null, null, null, null);

    public InferencePatch {
        config = config == null ? null : Map.copyOf(config);
    }

    public boolean isEmpty() {
        return runtime == null && code == null && entry == null && config == null;
    }

    public InferenceSpec applyTo(InferenceSpec current) {
        return new InferenceSpec(
                runtime != null ? runtime : current.runtime(),
                code != null ? code : current.code(),
                entry != null ? entry : current.entry(),
                config != null ? config : current.config());
    }
}
