"""Run an exported graph in ONNX Runtime through Java (tools/OrtRun.java), since Debian has no
Python onnxruntime. Used by the export tests and by the export command's self-check."""
import glob
import os
import shutil
import subprocess
import tempfile

import numpy as np

TOOLS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools")


def ort_jar():
    """The onnxruntime jar from the local Maven repository, or None."""
    home = os.path.expanduser("~/.m2/repository/com/microsoft/onnxruntime/onnxruntime")
    jars = sorted(glob.glob(os.path.join(home, "*", "onnxruntime-*.jar")))
    jars = [j for j in jars if not j.endswith(("-sources.jar", "-javadoc.jar"))]
    return jars[-1] if jars and shutil.which("java") else None


def _java(args, tmp):
    jar = ort_jar()
    if jar is None:
        raise RuntimeError("java or the onnxruntime jar (~/.m2) is not available")
    proc = subprocess.run(
        ["java", "-cp", jar, os.path.join(TOOLS, "OrtRun.java")] + args, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise RuntimeError(f"ONNX Runtime failed on {args}:\n{proc.stderr[-3000:]}")
    outputs = {}
    for shape_file in glob.glob(os.path.join(tmp, "*.shape")):
        name = os.path.basename(shape_file)[: -len(".shape")]
        with open(shape_file) as f:
            text = f.read().strip()
        shape = tuple(int(d) for d in text.split(",")) if text else ()
        outputs[name] = np.fromfile(os.path.join(tmp, name + ".f32"), dtype="<f4").reshape(shape)
    return outputs


def stream_encoder(encoder_onnx, fbank_f32_path):
    """Streaming run of encoder.onnx over a raw [T, 80] float32 fbank file, as WeNet's runtime
    schedules it; returns the concatenated output [1, T', D]."""
    with tempfile.TemporaryDirectory() as tmp:
        return _java(["--stream", encoder_onnx, fbank_f32_path, tmp], tmp)["output"]


def run_graph(onnx_path, inputs):
    """inputs: name → numpy array (float32, int64 or bool). Returns name → numpy float32 output."""
    with tempfile.TemporaryDirectory() as tmp:
        lines = []
        for name, arr in inputs.items():
            arr = np.ascontiguousarray(arr)
            kind = {np.dtype("float32"): "f32", np.dtype("int64"): "i64", np.dtype("bool"): "bool"}[arr.dtype]
            path = os.path.join(tmp, name + ".in")
            arr.astype(arr.dtype.newbyteorder("<")).tofile(path)
            lines.append("\t".join([name, kind, ",".join(str(d) for d in arr.shape), path]))
        manifest = os.path.join(tmp, "manifest.txt")
        with open(manifest, "w") as f:
            f.write("\n".join(lines) + "\n")
        return _java([onnx_path, manifest, tmp], tmp)
