package dev.reranker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Makes a generated model's TorchScript twin ({@code model.pt}, same weights) with Python when missing. */
final class TorchScriptTwin {

    private TorchScriptTwin() {}

    static void ensure(Path dir) throws IOException, InterruptedException {
        if (Files.isRegularFile(dir.resolve("model.pt"))) {
            return;
        }
        Path script = Path.of(System.getProperty("bench.script", "reranker-bench/scripts/make_models.py"));
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("the torchscript backend needs " + dir.resolve("model.pt") + "; make it with "
                    + "reranker-bench/scripts/make_models.py --from " + dir + " (run from the repository root, or set"
                    + " -Dbench.script)");
        }
        Process process = new ProcessBuilder("/usr/bin/python3", script.toString(), "--from", dir.toString())
                .inheritIO().start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0 || !Files.isRegularFile(dir.resolve("model.pt"))) {
            throw new IllegalStateException("could not make " + dir.resolve("model.pt") + " with " + script
                    + "; it needs Debian's python3-torch (apt-get install python3-torch)");
        }
    }
}
