package dev.scoria.core.service;

import dev.scoria.core.model.ModelRef;
import java.util.List;

/**
 * What a user asks for when deploying a service.
 *
 * @param settings its settings; null for {@link ServiceSettings#DEFAULTS}
 * @param schema samples or a swagger document for its API document; null for none
 */
public record DeployRequest(String name, ServiceSettings settings, List<ModelRef> models, SchemaSpec schema) {}
