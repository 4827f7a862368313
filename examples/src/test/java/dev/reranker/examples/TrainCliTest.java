package dev.reranker.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;

import dev.reranker.djl.DjlReranker;
import dev.reranker.djl.train.TrainingData;
import dev.reranker.eval.Evaluation;
import dev.reranker.eval.RankingEvaluator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} run in-process from the tiny safetensors checkpoint on a few synthetic queries: the
 * point is the command's contract, not that the model learns (reranker-djl's tests check that).
 */
final class TrainCliTest {

    private static final List<String> METRICS = List.of("ndcg@10", "mrr@10", "map", "recall@10", "queries");

    @TempDir
    Path temp;

    private Path trainFile;
    private Path evalFile;

    @BeforeEach
    void data() throws IOException {
        trainFile = JudgedFiles.jsonl(temp.resolve("train.jsonl"), 8, 3, 11);
        evalFile = JudgedFiles.jsonl(temp.resolve("eval.jsonl"), 6, 4, 12);
    }

    @Test
    void train_json_endsStdoutWithOneLine_andTheCheckpointLoads() {
        Path output = temp.resolve("out");

        CliRun run = train(small("--output", output.toString(), "--json"));

        run.assertSucceeded();
        JsonObject json = run.jsonLine();
        assertEquals(List.of("before", "after", "seconds"), new ArrayList<>(json.keySet()));
        for (String key : List.of("before", "after")) {
            JsonObject metrics = json.getAsJsonObject(key);
            assertEquals(METRICS, new ArrayList<>(metrics.keySet()), key);
            assertEquals(6, metrics.get("queries").getAsInt(), key);
        }
        assertTrue(json.get("seconds").getAsDouble() > 0, json.toString());
        // Progress on stderr: the start, then (steps this fast) the epoch's last step.
        List<String> err = run.err().lines().toList();
        assertTrue(err.get(0).startsWith("training on 8 queries from " + trainFile), run.err());
        assertTrue(err.get(err.size() - 1).matches("epoch 1/1 step (\\d+)/\\1 loss .*"), run.err());

        Evaluation reloaded;
        try (DjlReranker reranker = DjlReranker.builder().model(output).maxLength(32).build()) {
            reloaded = RankingEvaluator.builder().build().evaluate(reranker, TrainingData.read(evalFile).judged());
        }
        JsonObject after = json.getAsJsonObject("after");
        for (Map.Entry<String, Double> metric : reloaded.metrics().entrySet()) {
            assertEquals(metric.getValue(), after.get(metric.getKey()).getAsDouble(), 1e-9, metric.getKey());
        }
    }

    @Test
    void train_withoutJson_printsARowPerEpochAndWhereItSaved() {
        Path output = temp.resolve("out");

        CliRun run = train(small("--output", output.toString(), "--epochs", "2", "--loss", "bce", "--lr", "1e-3"));

        run.assertSucceeded();
        List<String> lines = run.out().lines().toList();
        assertEquals(8, lines.size(), run.out());
        assertEquals(METRICS, List.of(lines.get(0).trim().split("\\s+")));
        assertTrue(lines.get(1).startsWith("before "), run.out());
        assertTrue(lines.get(2).startsWith("epoch 1 "), run.out());
        assertTrue(lines.get(3).startsWith("epoch 2 "), run.out());
        assertTrue(lines.get(4).startsWith("after "), run.out());
        assertEquals("", lines.get(5));
        assertTrue(lines.get(6).matches("best epoch [12] of 2 \\(highest ndcg@10\\), saved to "
                + java.util.regex.Pattern.quote(output.toString())), lines.get(6));
        assertTrue(lines.get(7).startsWith("took "), run.out());
        assertTrue(Files.isRegularFile(output.resolve("model.safetensors")));
    }

    @Test
    void train_malformedTrainFile_exits1WithFileAndLine() throws IOException {
        Files.writeString(trainFile, "{\"query\": \"q\", \"pos\": [\"a\"], \"neg\": \"b\"}\n", StandardOpenOption.APPEND);

        CliRun run = train("--output", temp.resolve("out").toString(), "--json");

        run.assertFailed("--train: " + trainFile + ":9: ");
        assertEquals(1, run.err().lines().count(), run.err());
        assertFalse(Files.exists(temp.resolve("out")), "nothing trained");
    }

    @Test
    void train_malformedEvalFile_exits1WithFileAndLine() throws IOException {
        Files.writeString(evalFile, "not json\n", StandardOpenOption.APPEND);

        train("--output", temp.resolve("out").toString()).assertFailed("--eval: " + evalFile + ":7: ");
    }

    @Test
    void train_missingOutput_exits2WithTrainsUsage() {
        train("--json").assertBadArguments("missing --output", TrainOptions.USAGE);
    }

    @Test
    void train_unknownLoss_exits2() {
        train("--output", temp.resolve("out").toString(), "--loss", "hinge")
                .assertBadArguments("--loss must be listwise, margin or bce", TrainOptions.USAGE);
    }

    @Test
    void train_epochsZero_exits2BeforeAnyLoading() {
        train("--output", temp.resolve("out").toString(), "--epochs", "0")
                .assertBadArguments("--epochs: epochs must be positive, was 0", TrainOptions.USAGE);
    }

    @Test
    void train_negativeLearningRate_exits2() {
        train("--output", temp.resolve("out").toString(), "--lr", "-1e-5")
                .assertBadArguments("--lr: learningRate must be positive and finite", TrainOptions.USAGE);
    }

    @Test
    void train_maxLengthAboveTheModelsLimit_exits2() {
        train("--output", temp.resolve("out").toString(), "--max-length", "1000")
                .assertBadArguments("--max-length: maxLength must be at most the model's limit of 64", TrainOptions.USAGE);
    }

    @Test
    void train_groupLargerThanTheData_exits2NamingGroupSize() {
        train("--output", temp.resolve("out").toString(), "--group-size", "500", "--max-length", "32")
                .assertBadArguments("--group-size: groupSize 500 needs at least that many distinct documents",
                        TrainOptions.USAGE);
    }

    @Test
    void train_missingModelDirectory_exits1() {
        Path missing = temp.resolve("no-such-model");
        List<String> args = List.of("train", "--model", missing.toString(), "--train", trainFile.toString(),
                "--eval", evalFile.toString(), "--output", temp.resolve("out").toString());

        CliRun.of(args).assertFailed(missing.toString());
    }

    @Test
    void train_help_printsTrainsUsageOnStdout() {
        CliRun run = CliRun.of(List.of("train", "--help"));

        run.assertSucceeded();
        assertEquals(TrainOptions.USAGE, run.out());
        assertEquals("", run.err());
    }

    @Test
    void help_namesTheSubcommands() {
        CliRun run = CliRun.of(List.of("--help"));

        assertTrue(run.out().contains("reranker-cli.jar train --model"), run.out());
        assertTrue(run.out().contains("reranker-cli.jar eval --model"), run.out());
    }

    /** {@code train} from the tiny checkpoint on this test's files, and {@code args}. */
    private CliRun train(String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--model", Fixture.checkpoint().toString(),
                "--train", trainFile.toString(), "--eval", evalFile.toString()));
        all.addAll(List.of(args));
        return CliRun.of(all);
    }

    /**
     * {@code args} and the settings that make a run take a second: a group of 3 (the data has 4
     * documents per query) and pairs of at most 32 tokens.
     */
    private static String[] small(String... args) {
        List<String> all = new ArrayList<>(List.of("--group-size", "3", "--max-length", "32"));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }
}
