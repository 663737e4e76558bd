package dev.scoria.runtime.onnx;

import ai.onnxruntime.OnnxJavaType;
import java.util.List;

/**
 * The part of a model's metadata the runtime relies on: one [rows, cols] input and tensor outputs.
 *
 * @param rows the fixed number of rows, or a negative number when the first dimension is free
 */
record OnnxSignature(String inputName, OnnxJavaType inputType, long rows, int cols, List<Output> outputs) {

    record Output(String name, OnnxJavaType type, long[] shape) {}

    String describeInput() {
        return "input '" + inputName + "' " + inputType.name().toLowerCase()
                + OnnxModelRuntime.shapeText(new long[] {rows, cols});
    }

    List<String> outputNames() {
        return outputs.stream().map(Output::name).toList();
    }
}
