package dev.reranker.djl.internal.nativemodel;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonObject;

import dev.reranker.RerankerException;
import dev.reranker.djl.internal.CpuFeatures;
import dev.reranker.djl.internal.Engines;
import dev.reranker.djl.internal.ModelBackend;
import dev.reranker.internal.PaddedBatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hugging Face checkpoint ({@code config.json} + safetensors) run by {@link CrossEncoderModel}.
 * The weights are read-only once loaded, so every session shares them and sessions need no state.
 */
public final class NativeBackend implements ModelBackend {

    private static final Logger logger = LoggerFactory.getLogger(NativeBackend.class);

    private final CrossEncoderModel model;

    private NativeBackend(CrossEncoderModel model) {
        this.model = model;
    }

    /** Whether the directory holds safetensors weights this backend could load. */
    public static boolean canLoad(Path directory) {
        return Weights.present(directory);
    }

    /**
     * Whether the native backend should run this directory under {@code Backend.AUTO}: it has
     * safetensors weights, and either no TorchScript twin or an architecture we support.
     */
    public static boolean preferredFor(Path directory, JsonObject config) {
        return canLoad(directory)
                && (!Files.isRegularFile(directory.resolve("model.pt")) || EncoderConfig.supportsArchitecture(config));
    }

    public static RerankerException missingWeights(Path directory) {
        return Weights.missingWeights(directory);
    }

    public static NativeBackend load(Path directory, JsonObject config, Device device, boolean bf16) {
        Path configFile = directory.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            // Otherwise the empty config reads as an unsupported model_type "" of a file that is not there.
            throw new RerankerException(configFile + " does not exist; the native backend builds the model from the"
                    + " checkpoint's config.json, which save_pretrained writes beside model.safetensors");
        }
        EncoderConfig encoder = EncoderConfig.from(config, configFile);
        boolean cpu = Device.Type.CPU.equals(device.getDeviceType());
        if (bf16 && cpu && CpuFeatures.nativeBf16().equals(Optional.of(false))) {
            logger.warn("precision BF16 on a CPU without bf16 instructions (/proc/cpuinfo lists neither avx512_bf16"
                    + " nor amx_bf16, nor Arm's bf16): libtorch emulates them, so {} will score slower than in FP32"
                    + " (2.7-4x slower on an Intel Xeon with AVX-512 measured, about 7x on an AVX2-only AMD EPYC),"
                    + " and less exactly; use Precision.FP32 here",
                    directory);
        }
        NDManager manager = Engines.pytorch().newBaseManager(device);
        try (Weights weights = Weights.open(directory, manager)) {
            return new NativeBackend(new CrossEncoderModel(encoder, weights, manager, bf16));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The labels the classifier gives. */
    public int labels() {
        return model.config().labels();
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public boolean packsBatches() {
        return true;
    }

    @Override
    public Session newSession() {
        return new Session() {
            @Override
            public float[][] logits(PaddedBatch batch) {
                try {
                    return model.logits(batch);
                } catch (RuntimeException e) {
                    throw new RerankerException("the model failed on a batch of " + batch.rows() + " pairs of "
                            + batch.length() + " tokens: " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                // nothing per session
            }
        };
    }

    @Override
    public void close() {
        model.close();
    }
}
