package dev.reranker.examples;

import dev.reranker.Reranker;
import dev.reranker.ScoredDocument;
import dev.reranker.djl.DjlReranker;

import java.util.List;
import java.util.Locale;

/**
 * The smallest complete use of the library, as the README shows it: load a cross-encoder, rank three
 * documents against a question, print the ranking.
 *
 * <pre>java -cp reranker-cli.jar dev.reranker.examples.Quickstart [MODEL_DIR_OR_HUB_ID]</pre>
 *
 * <p>Without an argument it uses {@code cross-encoder/ms-marco-MiniLM-L-6-v2}, fetched from the
 * Hugging Face Hub into the shared cache on first use.
 */
public final class Quickstart {

    private Quickstart() {}

    public static void main(String[] args) {
        if (args.length > 1) {
            System.err.println("usage: java -cp reranker-cli.jar dev.reranker.examples.Quickstart [MODEL_DIR_OR_HUB_ID]");
            System.exit(2);
        }
        String model = args.length == 1 ? args[0] : "cross-encoder/ms-marco-MiniLM-L-6-v2";
        String query = "What is the capital of France?";
        List<String> documents = List.of(
                "Paris is the capital and most populous city of France.",
                "Lyon is a major city in France, known for its cuisine.",
                "Berlin is the capital of Germany.");

        // Loading is the slow part: a real application builds one reranker and shares it.
        try (Reranker reranker = DjlReranker.builder().model(model).build()) {
            List<ScoredDocument> ranking = reranker.rerank(query, documents);
            for (int rank = 1; rank <= ranking.size(); rank++) {
                ScoredDocument result = ranking.get(rank - 1);
                System.out.printf(Locale.ROOT, "%d  %.4f  %s%n", rank, result.score(), result.document());
            }
        }
    }
}
