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
        if (!hasTorch()) {
            throw new IllegalStateException("this backend needs " + dir.resolve(name) + ", made by " + script
                    + " with /usr/bin/python3 and PyTorch, which this machine lacks: apt-get install python3-torch");
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), "--from", dir.toString()));
        if (onnx) {
            command.add("--onnx");
        }
        Process process = new ProcessBuilder(command).inheritIO().start();
        boolean finished = process.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        if (!finished || process.exitValue() != 0 || !Files.isRegularFile(dir.resolve(name))) {
            throw new IllegalStateException("could not make " + dir.resolve(name) + " with " + script
                    + " (see its output above)");
        }
    }

    private static final String PYTHON = "/usr/bin/python3";

    private static boolean hasTorch() throws InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            Process probe = new ProcessBuilder(PYTHON, "-c", "import torch")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(2, TimeUnit.MINUTES) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
