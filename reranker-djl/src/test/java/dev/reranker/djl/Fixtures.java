package dev.reranker.djl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.reranker.RerankerException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tiny cross-encoders in src/test/resources/fixtures (see its README). */
public final class Fixtures {

    static final String BERT = "tiny-bert";
    static final String BERT_2LABEL = "tiny-bert-2label";
    static final String BERT_F16 = "tiny-bert-f16";
    static final String XLMR = "tiny-xlmr";
    static final String BERT_TORCHSCRIPT = "tiny-bert-torchscript";
    static final String XLMR_TORCHSCRIPT = "tiny-xlmr-torchscript";

    private Fixtures() {}

    public static Path dir(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalStateException("no test fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonObject reference(String name) {
        try {
            return JsonParser.parseString(Files.readString(dir(name).resolve("reference.json"), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a fixture into {@code target} so a test can break one of its files. */
    static Path copy(String name, Path target) throws IOException {
        Path source = dir(name);
        Files.createDirectories(target);
        try (var files = Files.list(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }

    /** Builds a reranker on {@code dir}, expecting it to fail with our exception. */
    static RerankerException buildFails(Path dir) {
        return assertThrows(RerankerException.class, () -> DjlReranker.builder().model(dir).build());
    }

    static void assertMentions(Exception e, String... words) {
        for (String word : words) {
            assertTrue(e.getMessage().contains(word), "\"" + e.getMessage() + "\" should mention " + word);
        }
    }
}
