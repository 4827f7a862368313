package dev.reranker;

final class TermOverlapRerankerTest extends RerankerContractTest {

    @Override
    protected Reranker newReranker() {
        return new TermOverlapReranker();
    }
}
