package dev.reranker.examples;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The tiny random-weight BERT cross-encoder in src/test/resources/fixtures, a copy of reranker-djl's,
 * so that this module tests on its own. Its scores mean nothing; its shapes and files are real.
 */
final class Fixture {

    private Fixture() {}

    static Path model() {
        URL url = Fixture.class.getResource("/fixtures/tiny-bert-torchscript");
        if (url == null) {
            throw new IllegalStateException("no fixtures/tiny-bert-torchscript on the test classpath");
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
