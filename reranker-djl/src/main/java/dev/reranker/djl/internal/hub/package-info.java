/**
 * Downloads models from the Hugging Face Hub into its standard cache, shared with Python's
 * huggingface_hub. Pure Java: no DJL types here. Not a public API.
 */
package dev.reranker.djl.internal.hub;
