package dev.reranker.examples.wordnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;

import dev.reranker.djl.train.TrainingData;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class MakeWordNetDataTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void run_writesTrainAndEval() throws IOException {
        Path output = temp.resolve("out/wordnet");

        int status = run(output.toString(), "--wordnet", TinyWordNet.directory().toString(),
                "--train", "6", "--eval", "2", "--negatives", "3", "--seed", "9");

        assertEquals(MakeWordNetData.OK, status, stderr());
        List<String> train = Files.readAllLines(output.resolve("train.jsonl"), StandardCharsets.UTF_8);
        List<String> eval = Files.readAllLines(output.resolve("eval.jsonl"), StandardCharsets.UTF_8);
        assertEquals(6, train.size());
        assertEquals(2, eval.size());
        assertEquals(3, JsonParser.parseString(train.get(0)).getAsJsonObject().getAsJsonArray("neg").size());
        assertTrue(stderr().contains("6 queries -> " + output.resolve("train.jsonl")), stderr());
        assertTrue(stderr().contains("2 queries -> " + output.resolve("eval.jsonl")), stderr());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void run_filesReadBackAsTheExamplesBuilt() {
        Path output = temp.resolve("out");

        int status = run(output.toString(), "--wordnet", TinyWordNet.directory().toString(),
                "--train", "100", "--eval", "4", "--negatives", "5", "--seed", "3", "--pos", "noun,adj");

        assertEquals(MakeWordNetData.OK, status, stderr());
        WordNetRelevance built = WordNetRelevance.builder().directory(TinyWordNet.directory())
                .trainQueries(100).heldOutQueries(4).negatives(5).seed(3)
                .partsOfSpeech(PartOfSpeech.NOUN, PartOfSpeech.ADJECTIVE).build();
        assertEquals(built.train(), TrainingData.read(output.resolve("train.jsonl")).examples());
        assertEquals(built.heldOut(), TrainingData.read(output.resolve("eval.jsonl")).examples());
    }

    @Test
    void run_outputIsADirectoryInTheWay_exit1NamingTheFile() throws IOException {
        Files.createDirectories(temp.resolve("train.jsonl"));

        int status = run(temp.toString(), "--wordnet", TinyWordNet.directory().toString(), "--train", "3", "--eval", "1");

        assertEquals(MakeWordNetData.FAILED, status, stderr());
        assertTrue(stderr().startsWith("error: could not write " + temp.resolve("train.jsonl") + ": "), stderr());
    }

    @Test
    void run_partsOfSpeech() throws IOException {
        int status = run(temp.toString(), "--wordnet", TinyWordNet.directory().toString(), "--pos", "adj",
                "--train", "100", "--eval", "0");

        assertEquals(MakeWordNetData.OK, status, stderr());
        assertEquals(6, Files.readAllLines(temp.resolve("train.jsonl")).size(), "abounding big galore home large small");
    }

    @Test
    void run_noWordNet_saysHowToInstallIt() {
        int status = run(temp.toString(), "--wordnet", temp.resolve("missing").toString());

        assertEquals(MakeWordNetData.FAILED, status);
        assertTrue(stderr().startsWith("error: no WordNet database in " + temp.resolve("missing")), stderr());
        assertTrue(stderr().contains("apt-get install wordnet-base"), stderr());
    }

    @Test
    void run_badArguments_exit2WithUsage() {
        assertEquals(MakeWordNetData.BAD_ARGUMENTS, run("--train", "10"));
        assertTrue(stderr().startsWith("error: missing OUTPUT_DIR"), stderr());
        assertTrue(stderr().contains("usage:"), stderr());

        err.reset();
        assertEquals(MakeWordNetData.BAD_ARGUMENTS, run("out", "--negatives", "0"));
        assertTrue(stderr().startsWith("error: --negatives: negatives must be at least 1, was 0"), stderr());

        err.reset();
        assertEquals(MakeWordNetData.BAD_ARGUMENTS, run("out", "--pos", "noun,pronoun"));
        assertTrue(stderr().startsWith("error: --pos: part of speech must be noun, verb, adj or adv, was \"pronoun\""),
                stderr());

        err.reset();
        assertEquals(MakeWordNetData.BAD_ARGUMENTS, run("out", "--train", "many"));
        assertTrue(stderr().startsWith("error: --train: expects a whole number, was \"many\""), stderr());

        err.reset();
        assertEquals(MakeWordNetData.BAD_ARGUMENTS, run("out", "--frobnicate"));
        assertTrue(stderr().startsWith("error: unknown option --frobnicate"), stderr());
    }

    @Test
    void run_help_printsUsageToStdout() {
        assertEquals(MakeWordNetData.OK, run("--help"));

        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: "));
        assertEquals("", stderr());
    }

    private int run(String... args) {
        return MakeWordNetData.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
