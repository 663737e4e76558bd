package dev.scoria.server.http;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.model.ModelFile;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code POST /api/v1/code}: uploads a code package (a scorer JAR) into the artifact store. It is
 * named by its sha256, which a deploy request then refers to; the same JAR uploaded twice is stored once.
 */
public final class CodeRoutes {

    private final ArtifactStore artifacts;
    private final BlockingReplies replies;

    public CodeRoutes(ArtifactStore artifacts, BlockingReplies replies) {
        this.artifacts = artifacts;
        this.replies = replies;
    }

    public void upload(RoutingContext ctx) {
        List<FileUpload> uploads = ctx.fileUploads();
        String contentType = ctx.request().getHeader("Content-Type");
        replies.run(ctx, () -> {
            if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
                throw new ScoriaException(
                        ErrorKind.UNSUPPORTED_MEDIA_TYPE,
                        "code upload expects multipart/form-data with one 'file' part (the scorer JAR)");
            }
            if (uploads.size() != 1) {
                throw ScoriaException.badInput("code upload needs exactly one 'file' part, saw " + uploads.size());
            }
            FileUpload upload = uploads.get(0);
            String name = UploadFileNames.codeFileName(upload.fileName());
            ModelFile stored = artifacts.put(name, Path.of(upload.uploadedFileName()));
            return Reply.of(
                    201,
                    Json.MAPPER
                            .createObjectNode()
                            .put("fileName", stored.path())
                            .put("sha256", stored.sha256())
                            .put("size", stored.size()));
        });
    }
}
