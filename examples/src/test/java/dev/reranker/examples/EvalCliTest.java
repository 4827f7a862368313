package dev.reranker.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;

import dev.reranker.djl.DjlReranker;
import dev.reranker.djl.train.TrainingData;
import dev.reranker.eval.Evaluation;
import dev.reranker.eval.RankingEvaluator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval} run in-process on the tiny TorchScript model. */
final class EvalCliTest {

    @TempDir
    Path temp;

    @Test
    void eval_json_isOneLineOfTheEvaluatorsNumbers() throws IOException {
        Path file = JudgedFiles.jsonl(temp.resolve("eval.jsonl"), 12, 5, 1);

        CliRun run = eval("--eval", file.toString(), "--json");

        run.assertSucceeded();
        assertEquals("", run.err());
        JsonObject json = run.jsonLine();
        assertEquals(List.of("ndcg@10", "mrr@10", "map", "recall@10", "queries"), new ArrayList<>(json.keySet()));
        Evaluation expected;
        try (DjlReranker reranker = DjlReranker.builder().model(Fixture.model()).build()) {
            expected = RankingEvaluator.builder().k(10).build().evaluate(reranker, TrainingData.read(file).judged());
        }
        for (Map.Entry<String, Double> metric : expected.metrics().entrySet()) {
            assertEquals(metric.getValue(), json.get(metric.getKey()).getAsDouble(), metric.getKey());
        }
        assertEquals(12, json.get("queries").getAsInt());
        assertTrue(expected.ndcg() > 0 && expected.ndcg() < 1, "a random model ranks some queries wrong: " + expected);
    }

    @Test
    void eval_table_showsTheSameNumbers() throws IOException {
        Path file = JudgedFiles.jsonl(temp.resolve("eval.jsonl"), 12, 5, 1);
        JsonObject json = eval("--eval", file.toString(), "--json").jsonLine();

        CliRun run = eval("--eval", file.toString());

        run.assertSucceeded();
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.out());
        assertEquals(List.of("ndcg@10", "mrr@10", "map", "recall@10", "queries"),
                List.of(lines.get(0).trim().split("\\s+")));
        String[] cells = lines.get(1).trim().split("\\s+");
        List<String> keys = new ArrayList<>(json.keySet());
        for (int i = 0; i < 4; i++) {
            assertEquals(String.format(Locale.ROOT, "%.4f", json.get(keys.get(i)).getAsDouble()), cells[i]);
        }
        assertEquals("12", cells[4]);
    }

    @Test
    void eval_queryWithoutPos_isLeftOutWithANoteOnStderr() throws IOException {
        Path file = JudgedFiles.jsonl(temp.resolve("eval.jsonl"), 3, 2, 1);
        Files.writeString(file, "{\"query\": \"no answer\", \"pos\": [], \"neg\": [\"a\"]}\n",
                java.nio.file.StandardOpenOption.APPEND);

        CliRun run = eval("--eval", file.toString(), "--json");

        run.assertSucceeded();
        assertEquals(3, run.jsonLine().get("queries").getAsInt());
        assertEquals("note: 1 query in " + file + " left out: no pos document", run.err().strip());
    }

    @Test
    void eval_malformedLine_exits1WithFileAndLine() throws IOException {
        Path file = JudgedFiles.jsonl(temp.resolve("eval.jsonl"), 2, 2, 1);
        Files.writeString(file, "{\"query\": \"q\", \"pos\": \"not a list\"}\n", java.nio.file.StandardOpenOption.APPEND);

        CliRun run = eval("--eval", file.toString(), "--json");

        run.assertFailed("--eval: " + file + ":3: ");
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void eval_missingFile_exits1() {
        Path missing = temp.resolve("nope.jsonl");

        eval("--eval", missing.toString()).assertFailed(missing.toString());
    }

    @Test
    void eval_missingModelDirectory_exits1() throws IOException {
        Path file = JudgedFiles.jsonl(temp.resolve("eval.jsonl"), 2, 2, 1);
        Path missing = temp.resolve("no-such-model");

        CliRun.of(List.of("eval", "--model", missing.toString(), "--eval", file.toString()))
                .assertFailed(missing.toString());
    }

    @Test
    void eval_missingEval_exits2WithEvalsUsage() {
        eval().assertBadArguments("missing --eval", EvalOptions.USAGE);
    }

    @Test
    void eval_maxLengthAboveTheModelsLimit_exits2() throws IOException {
        Path file = JudgedFiles.jsonl(temp.resolve("eval.jsonl"), 2, 2, 1);

        eval("--eval", file.toString(), "--max-length", "100000")
                .assertBadArguments("--max-length: maxLength must be at most the model's limit of 64", EvalOptions.USAGE);
    }

    @Test
    void eval_help_printsEvalsUsageOnStdout() {
        CliRun run = CliRun.of(List.of("eval", "--help"));

        run.assertSucceeded();
        assertEquals(EvalOptions.USAGE, run.out());
        assertEquals("", run.err());
    }

    /** {@code eval --model FIXTURE} and {@code args}. */
    private static CliRun eval(String... args) {
        List<String> all = new ArrayList<>(List.of("eval", "--model", Fixture.model().toString()));
        all.addAll(List.of(args));
        return CliRun.of(all);
    }
}
