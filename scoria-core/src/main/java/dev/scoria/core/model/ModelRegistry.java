package dev.scoria.core.model;

import dev.scoria.core.Names;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Registers, finds and deletes models. Files go to the artifact store before the record is committed. */
public final class ModelRegistry {

    private final Store store;
    private final ArtifactStore artifacts;

    public ModelRegistry(Store store, ArtifactStore artifacts) {
        this.store = store;
        this.artifacts = artifacts;
    }

    public ModelRecord register(ModelUpload upload) {
        Names.requireModelName(upload.name());
        if (upload.files().isEmpty()) {
            throw ScoriaException.badInput("model '" + upload.name() + "' has no file: attach at least one model file");
        }
        List<ModelFile> files = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        for (ModelUpload.UploadedFile file : upload.files()) {
            String path = requireSafePath(file.path());
            if (!paths.add(path)) {
                throw ScoriaException.badInput("model file '" + path + "' is given twice");
            }
            try {
                files.add(artifacts.put(path, file.content()));
            } catch (IOException e) {
                throw new UncheckedIOException("could not store model file " + path, e);
            }
        }
        files.sort(Comparator.comparing(ModelFile::path));
        long size = files.stream().mapToLong(ModelFile::size).sum();
        String framework =
                upload.framework() != null ? ModelFramework.canonical(upload.framework()) : ModelFramework.guess(files);
        if (framework.equals(ModelFramework.SCIKIT_LEARN)) {
            requireOneScikitLearnFile(upload.name(), files);
        }
        String frameworkVersion = frameworkVersion(upload.frameworkVersion());
        return store.insertModel(
                upload.name(),
                version -> new ModelRecord(
                        upload.name(),
                        version,
                        framework,
                        frameworkVersion,
                        upload.description() == null ? "" : upload.description(),
                        upload.tags() == null ? Map.of() : Map.copyOf(upload.tags()),
                        upload.properties() == null ? Map.of() : Map.copyOf(upload.properties()),
                        List.copyOf(files),
                        digestOf(files),
                        size,
                        Instant.now()));
    }

    public ModelRecord get(ModelRef ref) {
        return store.findModel(ref.name(), ref.version())
                .orElseThrow(() -> ScoriaException.notFound("model " + ref + " is not registered"));
    }

    public Optional<ModelRecord> find(ModelRef ref) {
        return store.findModel(ref.name(), ref.version());
    }

    public List<ModelRecord> list(String name, Map<String, String> tags, boolean latestOnly) {
        List<ModelRecord> all = store.listModels(name);
        List<ModelRecord> matching = new ArrayList<>();
        for (ModelRecord model : all) {
            if (tags.entrySet().stream()
                    .allMatch(t -> t.getValue() == null
                            ? model.tags().containsKey(t.getKey())
                            : t.getValue().equals(model.tags().get(t.getKey())))) {
                matching.add(model);
            }
        }
        if (latestOnly) {
            Map<String, ModelRecord> latest = new TreeMap<>();
            for (ModelRecord m : matching) {
                latest.merge(m.name(), m, (a, b) -> a.version() >= b.version() ? a : b);
            }
            return List.copyOf(latest.values());
        }
        return matching;
    }

    /** Deletes a model version; refused while a service uses it, so no deployed service loses its model. */
    public void delete(ModelRef ref) {
        get(ref);
        List<String> users = store.servicesUsingModel(ref);
        if (!users.isEmpty()) {
            throw ScoriaException.conflict("model " + ref + " is used by service(s) " + String.join(", ", users)
                    + ": delete or update them first");
        }
        store.deleteModel(ref.name(), ref.version());
    }

    static String requireSafePath(String path) {
        if (path == null || path.isBlank()) {
            throw ScoriaException.badInput("model file name is empty");
        }
        String normalized = path.replace('\\', '/');
        while (normalized.startsWith("./")) {
            normalized = normalized.substring(2);
        }
        if (normalized.startsWith("/") || normalized.contains("\0")) {
            throw ScoriaException.badInput("model file name '" + path + "' must be a relative path");
        }
        for (String part : normalized.split("/")) {
            if (part.isEmpty() || part.equals("..") || part.equals(".")) {
                throw ScoriaException.badInput(
                        "model file name '" + path + "' must not contain empty, '.' or '..' parts");
            }
        }
        return normalized;
    }

    /** The built-in entry script loads the one pickle or joblib file of a scikit-learn model: there must be one. */
    private static void requireOneScikitLearnFile(String name, List<ModelFile> files) {
        List<String> saved = files.stream()
                .map(ModelFile::path)
                .filter(ModelFramework::isScikitLearnFile)
                .toList();
        if (saved.size() != 1) {
            throw ScoriaException.badInput("model '" + name + "' is registered as ScikitLearn, so it must hold exactly"
                    + " one model saved with pickle or joblib (" + String.join(", ", ModelFramework.SCIKIT_LEARN_FILES)
                    + "); it holds " + (saved.isEmpty() ? "none" : String.join(", ", saved)));
        }
    }

    private static String frameworkVersion(String given) {
        if (given == null || given.isBlank()) {
            return null;
        }
        String version = given.trim();
        if (version.length() > 64 || !version.matches("[A-Za-z0-9][A-Za-z0-9.+_-]*")) {
            throw ScoriaException.badInput("framework version '" + given
                    + "' is not valid: expected a version such as 1.2 or 1.3.2 (letters, digits, '.', '+', '_', '-')");
        }
        return version;
    }

    private static String digestOf(List<ModelFile> files) {
        if (files.size() == 1) {
            return files.get(0).sha256();
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (ModelFile f : files) {
                digest.update((f.path() + " " + f.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
