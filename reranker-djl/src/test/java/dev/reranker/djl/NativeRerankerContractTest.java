package dev.reranker.djl;

import dev.reranker.Reranker;
import dev.reranker.RerankerContractTest;

import org.junit.jupiter.api.Nested;

/** The shared {@link Reranker} contract, on the native backend: a BERT and an XLM-RoBERTa checkpoint. */
final class NativeRerankerContractTest {

    @Nested
    final class Bert extends RerankerContractTest {
        @Override
        protected Reranker newReranker() {
            return DjlReranker.builder().model(Fixtures.dir(Fixtures.BERT)).backend(Backend.NATIVE).build();
        }
    }

    @Nested
    final class XlmRoberta extends RerankerContractTest {
        @Override
        protected Reranker newReranker() {
            return DjlReranker.builder().model(Fixtures.dir(Fixtures.XLMR)).backend(Backend.NATIVE).batchSize(3).build();
        }
    }
}
