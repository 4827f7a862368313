/**
 * The native backend: Hugging Face BERT and XLM-RoBERTa cross-encoders computed in Java on DJL's
 * NDArray API, with weights read straight from {@code model.safetensors}.
 */
package dev.reranker.djl.internal.nativemodel;
