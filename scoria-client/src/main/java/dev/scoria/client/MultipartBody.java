package dev.scoria.client;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A {@code multipart/form-data} request body (RFC 7578) of text fields and files. Files are streamed
 * from disk when the request is sent, never held in memory, so that large models upload in constant space.
 */
final class MultipartBody {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String boundary;
    private final List<Part> parts;

    private MultipartBody(String boundary, List<Part> parts) {
        this.boundary = boundary;
        this.parts = List.copyOf(parts);
    }

    /** A text field or a file, in the order they are written. */
    sealed interface Part permits Field, FilePart {}

    record Field(String name, String value) implements Part {}

    /** {@code fileName} is what the server sees; for models, the path inside the model folder. */
    record FilePart(String name, String fileName, Path file) implements Part {}

    static Builder builder() {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return new Builder("scoria-" + HexFormat.of().formatHex(random));
    }

    /** Fixes the boundary, for tests that compare bytes. */
    static Builder builder(String boundary) {
        return new Builder(boundary);
    }

    String boundary() {
        return boundary;
    }

    List<Part> parts() {
        return parts;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** The body: headers as bytes, file contents read from disk as the request goes out. */
    BodyPublisher publisher() {
        List<BodyPublisher> pieces = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            text.append("--").append(boundary).append("\r\n");
            if (part instanceof Field f) {
                text.append("Content-Disposition: form-data; name=\"")
                        .append(quote(f.name()))
                        .append("\"\r\n")
                        .append("Content-Type: text/plain; charset=UTF-8\r\n\r\n")
                        .append(f.value())
                        .append("\r\n");
            } else if (part instanceof FilePart f) {
                text.append("Content-Disposition: form-data; name=\"")
                        .append(quote(f.name()))
                        .append("\"; filename=\"")
                        .append(quote(f.fileName()))
                        .append("\"\r\n")
                        .append("Content-Type: application/octet-stream\r\n\r\n");
                pieces.add(bytes(text));
                text.setLength(0);
                pieces.add(ofFile(f.file()));
                text.append("\r\n");
            }
        }
        text.append("--").append(boundary).append("--\r\n");
        pieces.add(bytes(text));
        return HttpRequest.BodyPublishers.concat(pieces.toArray(BodyPublisher[]::new));
    }

    private static BodyPublisher bytes(CharSequence text) {
        return HttpRequest.BodyPublishers.ofByteArray(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static BodyPublisher ofFile(Path file) {
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("model file " + file + " does not exist", e);
        }
    }

    /**
     * Escapes a name for a quoted header parameter the way browsers do (WHATWG HTML "multipart/form-data
     * encoding algorithm"): a quote or a line break in a file name must not end the header.
     */
    static String quote(String name) {
        return name.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** Collects parts; {@link #build()} fixes them. */
    static final class Builder {
        private final String boundary;
        private final List<Part> parts = new ArrayList<>();

        private Builder(String boundary) {
            if (!boundary.matches("[0-9A-Za-z'()+_,\\-./:=?]{1,70}")) {
                throw new IllegalArgumentException("'" + boundary + "' is not a valid multipart boundary (RFC 2046)");
            }
            this.boundary = boundary;
        }

        Builder field(String name, String value) {
            parts.add(new Field(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
            return this;
        }

        Builder file(String name, String fileName, Path file) {
            parts.add(new FilePart(
                    Objects.requireNonNull(name, "name"),
                    Objects.requireNonNull(fileName, "fileName"),
                    Objects.requireNonNull(file, "file")));
            return this;
        }

        MultipartBody build() {
            return new MultipartBody(boundary, parts);
        }
    }
}
