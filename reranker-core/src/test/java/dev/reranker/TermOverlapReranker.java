package dev.reranker;

import dev.reranker.internal.Inputs;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A pure-Java reranker (shared words over document length) to run the contract without a model. */
final class TermOverlapReranker implements Reranker {

    private volatile boolean closed;

    @Override
    public float[] score(String query, List<String> documents) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        Inputs.check(query, documents);
        Set<String> terms = words(query);
        float[] scores = new float[documents.size()];
        for (int i = 0; i < scores.length; i++) {
            Set<String> doc = words(documents.get(i));
            doc.retainAll(terms);
            scores[i] = doc.size() / (1f + documents.get(i).length());
        }
        return scores;
    }

    private static Set<String> words(String text) {
        return new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("\\W+")));
    }

    @Override
    public void close() {
        closed = true;
    }
}
