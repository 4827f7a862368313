/** DJL-specific internals of {@link dev.reranker.djl.DjlReranker}. Not a public API. */
package dev.reranker.djl.internal;
