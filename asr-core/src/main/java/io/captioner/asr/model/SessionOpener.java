package io.captioner.asr.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens one model's ONNX Runtime sessions on the execution provider chosen for all of them: CUDA where it was
 * asked for (or left to choose) and can run, else the CPU. A first session that fails on CUDA but opens on
 * the CPU moves the model to the CPU for good, and the reason is kept for the log and the model's description.
 * Not thread-safe; used while a model loads.
 */
final class SessionOpener {
    private static final Logger log = LoggerFactory.getLogger(SessionOpener.class);

    private final OrtEnvironment env;
    private final int intraOpThreads;
    private boolean cuda;
    private String provider;

    SessionOpener(OrtEnvironment env, int intraOpThreads, ExecutionProvider requested) {
        this.env = env;
        this.intraOpThreads = intraOpThreads;
        boolean built = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        this.cuda = requested != ExecutionProvider.CPU && built;
        if (cuda) {
            provider = "CUDA";
        } else if (requested == ExecutionProvider.CUDA) {
            provider = "CPU (CUDA was asked for, but this ONNX Runtime build has none: build with the cuda Maven"
                    + " profile)";
            log.warn("execution provider: {}", provider);
        } else {
            provider = "CPU";
        }
    }

    /** "CUDA", or "CPU" with the reason where CUDA was asked for and could not run. */
    String provider() {
        return provider;
    }

    OrtSession open(Path file) throws ModelLoadException {
        if (cuda) {
            try {
                return create(file, true);
            } catch (OrtException onCuda) {
                OrtSession onCpu = openOnCpu(file);
                cuda = false;
                provider = "CPU (CUDA could not run: " + onCuda.getMessage() + ")";
                log.warn("execution provider: {}", provider);
                return onCpu;
            }
        }
        return openOnCpu(file);
    }

    private OrtSession openOnCpu(Path file) throws ModelLoadException {
        try {
            return create(file, false);
        } catch (OrtException e) {
            throw new ModelLoadException(
                    file + ": ONNX Runtime cannot load it (corrupt or not an ONNX model?): " + e.getMessage(), e);
        }
    }

    private OrtSession create(Path file, boolean onCuda) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (onCuda) {
                options.addCUDA(0);
            }
            return env.createSession(file.toString(), options);
        }
    }
}
