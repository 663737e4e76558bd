package dev.scoria.server.http;

import dev.scoria.core.model.ModelRef;
import dev.scoria.core.service.SchemaSpec;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The fields of a deploy body besides the settings ({@link SettingField} declares those), shared by a
 * service's deploy and a deployment's create: the wire names are declared here once.
 */
final class DeployBody {

    static final String NAME = "name";
    static final String MODELS = "models";
    static final String INPUT_EXAMPLE = "inputExample";
    static final String OUTPUT_EXAMPLE = "outputExample";
    static final String SWAGGER = "swagger";
    /** The samples, fixed once deployed. */
    static final List<String> SAMPLES = List.of(INPUT_EXAMPLE, OUTPUT_EXAMPLE, SWAGGER);

    private DeployBody() {}

    /**
     * The {@code models} a deploy body gives, as references; none when it gives none (an entry script may
     * need no model: the runtime says whether it does).
     */
    static List<ModelRef> deployedModels(JsonFields f) {
        List<String> ids = f.modelIds(MODELS);
        return ids == null ? List.of() : ids.stream().map(ModelRef::parse).toList();
    }

    /** The {@code models} a change gives, or null to keep them. */
    static List<ModelRef> optionalModels(JsonFields f) {
        List<String> ids = f.modelIds(MODELS);
        return ids == null ? null : ids.stream().map(ModelRef::parse).toList();
    }

    static SchemaSpec schema(JsonFields f) {
        return new SchemaSpec(f.rawJson(INPUT_EXAMPLE), f.rawJson(OUTPUT_EXAMPLE), f.rawJson(SWAGGER));
    }

    @SafeVarargs
    static Set<String> union(Collection<String>... parts) {
        Set<String> all = new LinkedHashSet<>();
        for (Collection<String> part : parts) {
            all.addAll(part);
        }
        return Collections.unmodifiableSet(all);
    }
}
