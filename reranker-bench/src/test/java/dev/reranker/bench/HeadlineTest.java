package dev.reranker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Headline checks what its rows need before it measures, and names what is missing and how to get it. */
final class HeadlineTest {

    @TempDir
    Path temp;

    @Test
    void everyPrerequisitePresent_skipsNothing() throws Exception {
        Path model = Files.createDirectories(temp.resolve("model"));
        Files.writeString(model.resolve("model.pt"), "twin");
        Files.writeString(model.resolve("model.onnx"), "twin");
        Path tcmalloc = Files.writeString(temp.resolve("libtcmalloc_minimal.so.4"), "");

        assertEquals(Map.of(), Headline.missingPrerequisites(model, tcmalloc));
    }

    @Test
    void missingTwinsAndTcmalloc_skipTheirRows_withWhatToDo() throws Exception {
        Path model = Files.createDirectories(temp.resolve("model"));
        Path tcmalloc = temp.resolve("no-such-libtcmalloc.so");
        System.setProperty("bench.script", temp.resolve("no-such-make_models.py").toString());
        try {
            Map<String, String> missing = Headline.missingPrerequisites(model, tcmalloc);

            assertEquals(List.of("torchscript", "djl-stock", "onnxruntime", "tcmalloc"), List.copyOf(missing.keySet()));
            assertTrue(missing.get("torchscript").contains(model.resolve("model.pt").toString()), missing.toString());
            assertTrue(missing.get("torchscript").contains("make_models.py"), missing.toString());
            assertEquals(missing.get("torchscript"), missing.get("djl-stock"));
            assertTrue(missing.get("onnxruntime").contains(model.resolve("model.onnx") + "; make it with"),
                    missing.toString());
            assertTrue(missing.get("onnxruntime").contains("--onnx"), missing.toString());
            assertEquals("no " + tcmalloc + ": apt-get install libtcmalloc-minimal4", missing.get("tcmalloc"));
        } finally {
            System.clearProperty("bench.script");
        }
    }
}
