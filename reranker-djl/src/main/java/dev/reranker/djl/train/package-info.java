/**
 * Fine-tuning cross-encoders in Java: {@link dev.reranker.djl.train.TrainingData} reads and writes
 * (query, positive, negative) data, {@link dev.reranker.djl.train.CrossEncoderTrainer} trains a
 * checkpoint on it and writes a Hugging Face checkpoint that {@link dev.reranker.djl.DjlReranker}
 * loads.
 */
package dev.reranker.djl.train;
