package dev.reranker.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Models the benchmarks run on: a directory given by path, or one bundled in this jar by name. */
final class BenchModels {

    private static final List<String> FILES = List.of(
            "config.json", "model.pt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json");

    private BenchModels() {}

    /** A directory path as is, or a bundled model ({@code tiny-bert-torchscript}) unpacked to a temporary directory. */
    static Path resolve(String model) throws IOException {
        Path path = Path.of(model);
        if (Files.isDirectory(path)) {
            return path;
        }
        Path dir = Files.createTempDirectory("reranker-bench-" + model);
        boolean found = false;
        for (String file : FILES) {
            try (InputStream in = BenchModels.class.getResourceAsStream("/models/" + model + "/" + file)) {
                if (in != null) {
                    Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                    found = true;
                }
            }
        }
        if (!found) {
            throw new IllegalArgumentException("model must be a directory or a bundled model name"
                    + " (tiny-bert-torchscript), was " + model);
        }
        return dir;
    }
}
