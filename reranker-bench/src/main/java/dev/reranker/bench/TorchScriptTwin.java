package dev.reranker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a generated model's TorchScript ({@code model.pt}) or ONNX ({@code model.onnx}) twin, with the
 * same weights, by running {@code make_models.py} when it is missing.
 */
final class TorchScriptTwin {

    private TorchScriptTwin() {}

    static void ensure(Path dir, boolean onnx) throws IOException, InterruptedException {
        String name = onnx ? "model.onnx" : "model.pt";
        if (Files.isRegularFile(dir.resolve(name))) {
            return;
        }
        Path script = Path.of(System.getProperty("bench.script", "reranker-bench/scripts/make_models.py"));
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("this backend needs " + dir.resolve(name) + "; make it with "
                    + "reranker-bench/scripts/make_models.py --from " + dir + (onnx ? " --onnx" : "")
                    + " (run from the repository root, or set -Dbench.script)");
        }
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "--from", dir.toString()));
        if (onnx) {
            command.add("--onnx");
        }
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0 || !Files.isRegularFile(dir.resolve(name))) {
            throw new IllegalStateException("could not make " + dir.resolve(name) + " with " + script
                    + "; it needs Debian's python3-torch (apt-get install python3-torch)");
        }
    }
}
