package dev.scoria.server.http;

import dev.scoria.core.ScoriaException;

/**
 * The name a code package is stored under, from the filename of its multipart part: the client chooses
 * that filename, so only its last segment is kept (a browser may send a full Windows path), and a name no
 * file system can hold is refused rather than failing the upload with a server error.
 */
final class UploadFileNames {

    static final String DEFAULT_CODE_NAME = "scorer.jar";

    private UploadFileNames() {}

    /** The last segment of {@code sent} (either slash), or {@link #DEFAULT_CODE_NAME} when none is given. */
    static String codeFileName(String sent) {
        if (sent == null || sent.isBlank()) {
            return DEFAULT_CODE_NAME;
        }
        String name = sent.substring(Math.max(sent.lastIndexOf('/'), sent.lastIndexOf('\\')) + 1);
        if (name.isBlank() || name.equals(".") || name.equals("..")) {
            return DEFAULT_CODE_NAME;
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw ScoriaException.badInput("the code part's filename '" + sent.replace("\0", "\\0")
                        + "' has a control character at " + i + ": send a plain file name such as scorer.jar");
            }
        }
        return name;
    }
}
