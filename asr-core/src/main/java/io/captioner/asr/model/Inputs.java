package io.captioner.asr.model;

import ai.onnxruntime.OnnxTensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** The named input tensors of one run; closing it closes them all. */
final class Inputs implements AutoCloseable {
    private final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();

    Inputs put(String name, OnnxTensor tensor) {
        OnnxTensor previous = tensors.put(name, tensor);
        if (previous != null) {
            previous.close();
            Tensors.released();
        }
        return this;
    }

    Map<String, OnnxTensor> map() {
        return tensors;
    }

    @Override
    public void close() {
        for (OnnxTensor t : tensors.values()) {
            t.close();
            Tensors.released();
        }
        tensors.clear();
    }
}
