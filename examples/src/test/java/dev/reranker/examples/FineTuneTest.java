package dev.reranker.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.djl.DjlReranker;
import dev.reranker.djl.train.TrainingData;
import dev.reranker.djl.train.TrainingResult;
import dev.reranker.eval.RankingEvaluator;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FineTune example end to end on the tiny WordNet and the tiny model: data, training, a loadable result. */
class FineTuneTest {

    @TempDir
    Path dir;

    @Test
    void run_writesTheData_trains_andSavesAModelThatScoresAsReported() throws URISyntaxException {
        Path wordnet = Path.of(FineTuneTest.class.getResource("/wordnet/data.noun").toURI()).getParent();
        Path output = dir.resolve("out");
        TrainingResult result = FineTune.run(new String[] {Fixture.checkpoint().toString(), "--wordnet",
                wordnet.toString(), "--output", output.toString(), "--train", "8", "--eval", "3", "--max-length", "48"});
        Path eval = output.resolve("data/eval.jsonl");
        assertTrue(Files.isRegularFile(output.resolve("data/train.jsonl")));
        assertEquals(result.after().queries(), TrainingData.read(eval).examples().size());
        try (DjlReranker reranker = DjlReranker.builder().model(output).maxLength(48).build()) {
            assertEquals(result.after().ndcg(),
                    RankingEvaluator.builder().build().evaluate(reranker, TrainingData.read(eval).judged()).ndcg(), 1e-9);
        }
    }
}
