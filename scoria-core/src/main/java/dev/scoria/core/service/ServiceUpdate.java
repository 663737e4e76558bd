package dev.scoria.core.service;

import dev.scoria.core.model.ModelRef;
import java.util.List;
import java.util.Objects;

/**
 * A change to a service or one of its deployments: settings, and optionally models and what it runs
 * (null or empty: unchanged). New models or a new runtime, code or runtime settings make the deployment's
 * next generation.
 */
public record ServiceUpdate(SettingsPatch settings, List<ModelRef> models, InferencePatch inference) {

    /** A change of settings and, optionally, models. */
    public ServiceUpdate(SettingsPatch settings, List<ModelRef> models) {
        this(settings, models, InferencePatch.NONE);
    }

    public ServiceUpdate {
        Objects.requireNonNull(settings, "settings");
        models = models == null ? null : List.copyOf(models);
        inference = inference == null ? InferencePatch.NONE : inference;
    }
}
