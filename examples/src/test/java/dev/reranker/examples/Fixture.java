package dev.reranker.examples;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The tiny random-weight BERT cross-encoder in src/test/resources/fixtures, copies of reranker-djl's,
 * so that this module tests on its own. Its scores mean nothing; its shapes and files are real.
 */
final class Fixture {

    private Fixture() {}

    /** The TorchScript twin ({@code model.pt}), which the rerank and eval tests score with. */
    static Path model() {
        return resource("tiny-bert-torchscript");
    }

    /**
     * The same model as a Hugging Face checkpoint ({@code model.safetensors}, {@code vocab.txt}):
     * training starts only from safetensors weights. reranker-djl's {@code reference.json} is left out.
     */
    static Path checkpoint() {
        return resource("tiny-bert");
    }

    private static Path resource(String name) {
        URL url = Fixture.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalStateException("no fixtures/" + name + " on the test classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies the model into {@code target} so that a test can break one of its files. */
    static Path copyModel(Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(model())) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }
}
