package dev.scoria.runtime.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.runtime.LoadContext;
import dev.scoria.core.runtime.ModelRuntime;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.runtime.RuntimeInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Loads one ONNX model per service and checks that its signature is one the no-code path can serve. */
public final class OnnxModelRuntime implements ModelRuntime {

    private static final Set<OnnxJavaType> INPUT_TYPES = EnumSet.of(OnnxJavaType.FLOAT, OnnxJavaType.DOUBLE);

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public RuntimeInfo info() {
        return RuntimeInfo.noCode(
                name(),
                "ONNX models with no code: {\"data\": [[...]]} is fed to the model's single" + " input",
                ".onnx");
    }

    @Override
    public Predictor load(LoadContext context) throws Exception {
        if (context.models().size() != 1) {
            throw ScoriaException.badInput(
                    "the onnx runtime serves exactly one model per service; service '" + context.serviceName()
                            + "' names " + context.models().size() + " (use the java runtime to combine models)");
        }
        ModelRecord model = context.models().get(0);
        List<ModelFile> onnxFiles =
                model.files().stream().filter(f -> f.path().endsWith(".onnx")).toList();
        if (onnxFiles.size() != 1) {
            throw ScoriaException.badInput("model " + model.ref()
                    + " must contain exactly one .onnx file for the onnx runtime;" + " it has " + onnxFiles.size()
                    + " among " + model.files().stream().map(ModelFile::path).toList());
        }
        byte[] bytes = context.artifacts().read(onnxFiles.get(0));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // Requests run in parallel on Scoria's workers; threads inside one call would only compete with them.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = env.createSession(bytes, options);
        } catch (OrtException e) {
            throw ScoriaException.badInput(
                    "model " + model.ref() + " is not a model ONNX Runtime can load: " + e.getMessage());
        }
        try {
            OnnxSignature signature = signatureOf(model, session);
            OnnxPredictor predictor = new OnnxPredictor(env, session, signature, context.inputExample());
            context.log()
                    .info("onnx model " + model.ref() + " loaded: " + signature.describeInput() + " -> outputs "
                            + signature.outputNames());
            return predictor;
        } catch (Exception e) {
            session.close();
            throw e;
        }
    }

    private static OnnxSignature signatureOf(ModelRecord model, OrtSession session) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw ScoriaException.badInput(
                    "model " + model.ref() + " has " + inputs.size() + " inputs " + inputs.keySet()
                            + "; the onnx runtime feeds {\"data\": [[...]]} to a model with exactly one input");
        }
        NodeInfo input = inputs.values().iterator().next();
        if (!(input.getInfo() instanceof TensorInfo tensor)
                || !INPUT_TYPES.contains(tensor.type)
                || tensor.getShape().length != 2
                || tensor.getShape()[1] <= 0) {
            throw ScoriaException.badInput(
                    "model " + model.ref() + " input '" + input.getName() + "' is " + input.getInfo()
                            + "; the onnx runtime needs a float or double tensor of shape [N, k] with a fixed k");
        }
        List<OnnxSignature.Output> outputs = new ArrayList<>();
        for (NodeInfo out : session.getOutputInfo().values()) {
            if (!(out.getInfo() instanceof TensorInfo t)) {
                throw ScoriaException.badInput(
                        "model " + model.ref() + " output '" + out.getName() + "' is " + out.getInfo()
                                + "; the onnx runtime returns tensors only (for scikit-learn classifiers, convert with zipmap=False)");
            }
            outputs.add(new OnnxSignature.Output(out.getName(), t.type, t.getShape()));
        }
        long[] shape = tensor.getShape();
        return new OnnxSignature(input.getName(), tensor.type, shape[0], (int) shape[1], List.copyOf(outputs));
    }

    static String shapeText(long[] shape) {
        return Arrays.toString(Arrays.stream(shape)
                .mapToObj(d -> d < 0 ? "N" : String.valueOf(d))
                .toArray());
    }
}
