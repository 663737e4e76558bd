package dev.scoria.runtime.java;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Turns what a scorer threw into the few lines a user reads in {@code scoria service show}: the
 * exception, where in <em>their</em> code it came from, and its root cause. The full stack trace
 * goes to the service log; a service's error field is no place for sixty frames of Scoria internals.
 */
final class ScorerFailures {

    static final int MAX_LINES = 5;

    private ScorerFailures() {}

    /** Strips the wrappers that reflection and class initialisation put around what user code threw. */
    static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while (current.getCause() != null
                && (current instanceof InvocationTargetException
                        || current instanceof ExceptionInInitializerError
                        || current instanceof UndeclaredThrowableException
                        || current instanceof ExecutionException)) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * @param loaderName the scorer class loader's name: frames of classes it defined are the user's
     */
    static String summary(Throwable thrown, String loaderName) {
        Throwable shown = unwrap(thrown);
        List<String> lines = new ArrayList<>();
        // A message may span lines itself; its first two say enough and leave room for where it came from.
        shown.toString().lines().limit(2).forEach(lines::add);
        Throwable root = shown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        int frameBudget = Math.max(1, MAX_LINES - lines.size() - (root != shown ? 1 : 0));
        List<StackTraceElement> frames = new ArrayList<>();
        for (StackTraceElement frame : shown.getStackTrace()) {
            if (loaderName.equals(frame.getClassLoaderName())) {
                frames.add(frame);
            }
        }
        if (frames.isEmpty()) {
            // Thrown by a library or the JDK with no user frame on top: where it happened still helps.
            StackTraceElement[] all = shown.getStackTrace();
            frames = List.of(all).subList(0, Math.min(all.length, 2));
        }
        for (StackTraceElement frame : frames.subList(0, Math.min(frames.size(), frameBudget))) {
            lines.add("  at " + describe(frame));
        }
        if (root != shown) {
            lines.add("caused by: " + root.toString().lines().findFirst().orElse(""));
        }
        return String.join("\n", lines);
    }

    /** A frame without the class loader and module prefix {@link StackTraceElement#toString()} adds. */
    private static String describe(StackTraceElement frame) {
        String where = frame.getFileName() == null
                ? "Unknown Source"
                : frame.getLineNumber() >= 0 ? frame.getFileName() + ":" + frame.getLineNumber() : frame.getFileName();
        return frame.getClassName() + "." + frame.getMethodName() + "(" + where + ")";
    }
}
