package dev.scoria.runtime.java;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.ModelSignature;
import dev.scoria.core.model.ModelDirectory;
import dev.scoria.core.runtime.LoadContext;
import dev.scoria.core.runtime.ModelRuntime;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.runtime.RuntimeInfo;
import dev.scoria.core.schema.IoSchema;
import dev.scoria.core.service.InferenceSpec;
import dev.scoria.scorer.Scorer;
import dev.scoria.scorer.ScorerSchema;
import dev.scoria.scorer.TensorScorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;

/**
 * The {@code java} runtime: a user's scorer class from a JAR ({@code --code scorer.jar --entry
 * com.acme.MyScorer}), loaded in its own class loader next to the service's models. Loading fails with
 * a message the user can act on (missing class, wrong interface, {@code init} that threw), never
 * with an error that escapes to the server.
 */
public final class JavaModelRuntime implements ModelRuntime {

    /** A binary class name: dotted Java identifiers, {@code $} for nested classes. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

    @Override
    public String name() {
        return "java";
    }

    @Override
    public RuntimeInfo info() {
        return RuntimeInfo.withCode(
                name(), "a Scorer class from a JAR (--code scorer.jar --entry com.acme.MyScorer)", ".jar");
    }

    @Override
    public void validate(InferenceSpec inference) {
        boolean noCode = inference.code() == null;
        boolean noEntry = inference.entry() == null || inference.entry().isBlank();
        if (noCode || noEntry) {
            String missing = noCode && noEntry ? "--code and --entry are" : noCode ? "--code is" : "--entry is";
            throw ScoriaException.badInput("the java runtime needs --code (a scorer JAR) and --entry (its class name): "
                    + missing + " missing");
        }
        if (!CLASS_NAME.matcher(inference.entry()).matches()) {
            throw ScoriaException.badInput("--entry '" + inference.entry()
                    + "' is not a Java class name: expected a fully qualified name such as com.acme.MyScorer");
        }
    }

    @Override
    public Predictor load(LoadContext context) throws Exception {
        InferenceSpec inference = context.service().inference();
        validate(inference);
        String service = context.serviceName();
        Path jar = writeJar(context);
        Path modelDir = ModelDirectory.materialize(
                context.models(), context.artifacts(), context.workDir().resolve("models"));

        ScorerClassLoader loader =
                new ScorerClassLoader("scorer-" + service, jar, JavaModelRuntime.class.getClassLoader());
        OnnxSessions sessions = new OnnxSessions(context.models(), modelDir, context.log());
        ExecutorService executor = ScorerThreads.executor(service, loader);
        ScorerInstances instances = null;
        try {
            JavaScorerContext scorerContext =
                    new JavaScorerContext(modelDir, service, inference.config(), context.log(), sessions);
            ScorerFactory factory =
                    ScorerFactory.forEntry(inference.entry(), jar, loader, scorerContext, context.log());
            instances = ScorerInstances.start(
                    factory, context.service().limits().maxConcurrentRequestsPerContainer(), executor, context.log());
            IoSchema schema = SampleIoSchema.of(context.service().schema(), declaredSchema(instances, loader));
            ModelSignature signature = factory.tensors() ? declaredSignature(instances, loader) : ModelSignature.NONE;
            JsonInputBinder binder = factory.json() ? new JsonInputBinder(factory.type()) : null;
            String takes = (factory.raw()
                            ? "raw requests"
                            : binder != null
                                    ? "JSON input " + binder.inputType().toCanonical()
                                    : "")
                    + (factory.tensors() ? (factory.raw() || binder != null ? " and " : "") + "tensors" : "");
            context.log()
                    .info("java scorer " + inference.entry() + " ready (" + takes + ", " + instances.size()
                            + " instance(s), models in " + modelDir + ")");
            return new JavaPredictor(
                    service,
                    factory,
                    instances,
                    binder,
                    schema,
                    signature,
                    executor,
                    sessions,
                    loader,
                    context.service().limits(),
                    context.log());
        } catch (Throwable e) {
            executor.shutdownNow();
            if (instances != null) {
                instances.close();
            }
            sessions.close();
            loader.close();
            if (e instanceof ScoriaException se) {
                throw se;
            }
            // Anything else still comes from the scorer (its schema(), its classes): its service fails, not the server.
            context.log().error("the java scorer could not be loaded", e);
            throw ScoriaException.badInput(
                    "the java scorer could not be loaded: " + ScorerFailures.summary(e, loader.getName()));
        }
    }

    private static Path writeJar(LoadContext context) throws IOException {
        var code = context.service().inference().code();
        byte[] bytes = context.artifacts().read(code);
        // Only the last path element: the stored name is user input and must not climb out of the work directory.
        Path name = Path.of(code.path()).getFileName();
        Path jar = context.workDir().resolve("code").resolve(name == null ? "scorer.jar" : name.toString());
        Files.createDirectories(jar.getParent());
        Files.write(jar, bytes);
        return jar;
    }

    private static ModelSignature declaredSignature(ScorerInstances instances, ClassLoader loader) throws Exception {
        TensorScorer scorer = (TensorScorer) instances.borrow(0);
        try {
            return ScorerFactory.withContextLoader(
                    loader, () -> DeclaredSignature.of(scorer.inputs(), scorer.outputs()));
        } finally {
            instances.release(scorer);
        }
    }

    private static ScorerSchema declaredSchema(ScorerInstances instances, ClassLoader loader) throws Exception {
        Scorer scorer = instances.borrow(0);
        try {
            return ScorerFactory.withContextLoader(loader, scorer::schema);
        } finally {
            instances.release(scorer);
        }
    }
}
