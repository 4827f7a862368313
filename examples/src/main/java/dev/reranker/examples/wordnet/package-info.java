/**
 * Reranker training data built offline from WordNet: a word is the query, its gloss the relevant
 * document, and the glosses of its siblings and look-alike words the hard negatives.
 *
 * <p>{@link dev.reranker.examples.wordnet.WordNetRelevance} builds the examples,
 * {@link dev.reranker.djl.train.TrainingData#write(java.nio.file.Path)} writes them as FlagEmbedding's
 * JSON lines, and {@link dev.reranker.examples.wordnet.MakeWordNetData} does both from the command
 * line. The WordNet database comes from Debian's {@code wordnet-base} package
 * ({@code /usr/share/wordnet}).
 */
package dev.reranker.examples.wordnet;
