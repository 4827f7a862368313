package dev.reranker.djl;

import dev.reranker.Reranker;
import dev.reranker.RerankerContractTest;

import org.junit.jupiter.api.Nested;

/** The shared {@link Reranker} contract, on a BERT and an XLM-RoBERTa model. */
final class DjlRerankerContractTest {

    @Nested
    final class Bert extends RerankerContractTest {
        @Override
        protected Reranker newReranker() {
            return DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT_TORCHSCRIPT)).build();
        }
    }

    @Nested
    final class XlmRoberta extends RerankerContractTest {
        @Override
        protected Reranker newReranker() {
            return DjlReranker.builder().model(Fixtures.dir(Fixtures.XLMR_TORCHSCRIPT)).batchSize(3).build();
        }
    }
}
