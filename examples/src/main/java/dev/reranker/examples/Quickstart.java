package dev.reranker.examples;

import dev.reranker.Reranker;
import dev.reranker.ScoredDocument;
import dev.reranker.djl.DjlReranker;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The smallest complete use of the library, as the README shows it: load a cross-encoder, rank three
 * documents against a question, print the ranking.
 *
 * <pre>java -cp reranker-cli.jar dev.reranker.examples.Quickstart models/bge-reranker-base</pre>
 */
public final class Quickstart {

    private Quickstart() {}

    public static void main(String[] args) {
        // For now the model must already be on disk; the library does not download models.
        if (args.length != 1) {
            System.err.println("usage: java -cp reranker-cli.jar dev.reranker.examples.Quickstart MODEL_DIR");
            System.exit(2);
        }
        String query = "What is the capital of France?";
        List<String> documents = List.of(
                "Paris is the capital and most populous city of France.",
                "Lyon is a major city in France, known for its cuisine.",
                "Berlin is the capital of Germany.");

        // Loading is the slow part: a real application builds one reranker and shares it.
        try (Reranker reranker = DjlReranker.builder().model(Path.of(args[0])).build()) {
            List<ScoredDocument> ranking = reranker.rerank(query, documents);
            for (int rank = 1; rank <= ranking.size(); rank++) {
                ScoredDocument result = ranking.get(rank - 1);
                System.out.printf(Locale.ROOT, "%d  %.4f  %s%n", rank, result.score(), result.document());
            }
        }
    }
}
