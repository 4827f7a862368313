package dev.reranker.djl.internal;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;

import dev.reranker.RerankerException;

import java.util.Locale;

/** Starting DJL's PyTorch engine and choosing a device, with errors that say what to install. */
public final class Engines {

    private static final String ENGINE = "PyTorch";

    private Engines() {}

    public static Engine pytorch() {
        DjlRuntime.keepOffline();
        NativeMemory.tune(); // before libtorch allocates anything
        try {
            return Engine.getEngine(ENGINE);
        } catch (RuntimeException | LinkageError e) {
            throw new RerankerException("could not start DJL's PyTorch engine (" + e.getMessage() + "); "
                    + "reranker-djl ships the CPU libtorch for linux-x86_64: on another OS or CPU, or for CUDA, "
                    + "depend on the matching ai.djl.pytorch:pytorch-native-* artifact (see the README)", e);
        }
    }

    static Model newModel(Device device) {
        pytorch();
        return Model.newInstance("reranker", device, ENGINE);
    }

    /**
     * Checks that a device name has the form {@code cpu}, {@code gpu} or {@code gpu:N}.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static void checkDeviceName(String name) {
        parse(name);
    }

    /** Resolves a device name, failing if the device is not on this machine. */
    public static Device device(String name) {
        int gpu = parse(name);
        if (gpu < 0) {
            return Device.cpu();
        }
        int gpus = pytorch().getGpuCount();
        if (gpu >= gpus) {
            throw new RerankerException("device " + name + " is not available: PyTorch sees " + gpus + " GPU"
                    + (gpus == 1 ? "" : "s") + " here; use device(\"cpu\")"
                    + (gpus == 0 ? ", or depend on a CUDA build of ai.djl.pytorch:pytorch-native-* (see the README)"
                            : " or a GPU index below " + gpus));
        }
        return Device.gpu(gpu);
    }

    /** -1 for the CPU, else the GPU index. */
    private static int parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("cpu")) {
            return -1;
        }
        if (n.equals("gpu")) {
            return 0;
        }
        if (n.startsWith("gpu:")) {
            try {
                int index = Integer.parseInt(n.substring(4));
                if (index >= 0) {
                    return index;
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("device must be cpu, gpu or gpu:N (N >= 0), was \"" + name + "\"");
    }
}
