package dev.scoria.server.http;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.model.ModelRegistry;
import dev.scoria.core.model.ModelUpload;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/models}: register (multipart upload), list, show, delete. */
public final class ModelRoutes {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final ModelRegistry models;
    private final BlockingReplies replies;

    public ModelRoutes(ModelRegistry models, BlockingReplies replies) {
        this.models = models;
        this.replies = replies;
    }

    public void register(RoutingContext ctx) {
        MultiMap form = ctx.request().formAttributes();
        List<ModelUpload.UploadedFile> files = new ArrayList<>();
        for (FileUpload upload : ctx.fileUploads()) {
            files.add(new ModelUpload.UploadedFile(upload.fileName(), Path.of(upload.uploadedFileName())));
        }
        replies.run(ctx, () -> {
            if (!ctx.request().headers().contains("Content-Type")
                    || !ctx.request().getHeader("Content-Type").toLowerCase().startsWith("multipart/form-data")) {
                throw new ScoriaException(
                        ErrorKind.UNSUPPORTED_MEDIA_TYPE,
                        "model registration expects multipart/form-data with 'name' and one or more 'file' parts");
            }
            String name = form.get("name");
            if (name == null || name.isBlank()) {
                throw ScoriaException.badInput("field 'name' is required");
            }
            ModelRecord model = models.register(new ModelUpload(
                    name,
                    blankToNull(form.get("framework")),
                    blankToNull(form.get("frameworkVersion")),
                    form.get("description"),
                    jsonMap("tags", form.get("tags")),
                    jsonMap("properties", form.get("properties")),
                    files));
            return Reply.of(201, Representations.model(model));
        });
    }

    public void list(RoutingContext ctx) {
        String name = ctx.queryParams().get("name");
        Map<String, String> tags = terms(ctx.queryParams().get("tags"));
        replies.run(ctx, () -> {
            boolean latest = QueryFlags.flag(ctx, "latest");
            return Reply.ok(Representations.list(models.list(name, tags, latest).stream()
                    .map(Representations::model)
                    .toList()));
        });
    }

    public void get(RoutingContext ctx) {
        replies.run(ctx, () -> Reply.ok(Representations.model(models.get(ref(ctx)))));
    }

    public void delete(RoutingContext ctx) {
        replies.run(ctx, () -> {
            ModelRef ref = ref(ctx);
            models.delete(ref);
            return Reply.ok(Json.MAPPER.createObjectNode().put("deleted", ref.toString()));
        });
    }

    private static ModelRef ref(RoutingContext ctx) {
        return ModelRef.parse(ctx.pathParam("name") + ":" + ctx.pathParam("version"));
    }

    private static Map<String, String> jsonMap(String field, String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, STRING_MAP);
        } catch (Exception e) {
            throw ScoriaException.badInput(
                    "field '" + field + "' must be a JSON object of strings, e.g. {\"team\": \"risk\"}");
        }
    }

    static Map<String, String> terms(String text) {
        Map<String, String> terms = new LinkedHashMap<>();
        if (text != null) {
            for (String term : text.split(",")) {
                String t = term.trim();
                if (!t.isEmpty()) {
                    int eq = t.indexOf('=');
                    terms.put(eq < 0 ? t : t.substring(0, eq), eq < 0 ? null : t.substring(eq + 1));
                }
            }
        }
        return terms;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
