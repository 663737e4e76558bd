package dev.scoria.core.service;

import dev.scoria.core.model.ModelRef;
import java.util.List;
import java.util.Objects;

/**
 * A change to a service: its settings, and optionally its models (null: unchanged). A new model list
 * redeploys the service.
 */
public record ServiceUpdate(SettingsPatch settings, List<ModelRef> models) {

    public ServiceUpdate {
        Objects.requireNonNull(settings, "settings");
        models = models == null ? null : List.copyOf(models);
    }
}
