package dev.reranker.djl;

/** Which engine runs the model. */
public enum Backend {

    /** {@link #NATIVE} when the directory has safetensors weights, else {@link #TORCHSCRIPT}. */
    AUTO,

    /**
     * A Hugging Face checkpoint ({@code config.json} + {@code model.safetensors}) computed by this
     * library on DJL's PyTorch engine: BERT and XLM-RoBERTa cross-encoders, no conversion needed.
     */
    NATIVE,

    /** A TorchScript {@code model.pt} traced with inputs {@code input_ids, attention_mask[, token_type_ids]}. */
    TORCHSCRIPT
}
