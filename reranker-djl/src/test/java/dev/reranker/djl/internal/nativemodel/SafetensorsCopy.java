package dev.reranker.djl.internal.nativemodel;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** Copies a safetensors file, renaming or dropping tensors; for tests outside this package. */
public final class SafetensorsCopy {

    private SafetensorsCopy() {}

    /** @param rename a tensor's new name, or null to drop it */
    public static void copy(Path from, Path to, UnaryOperator<String> rename) {
        TreeMap<String, Checkpoints.Tensor> kept = new TreeMap<>();
        for (Map.Entry<String, Checkpoints.Tensor> e : Checkpoints.read(from).entrySet()) {
            String name = rename.apply(e.getKey());
            if (name != null) {
                kept.put(name, e.getValue());
            }
        }
        Checkpoints.write(kept, to);
    }
}
