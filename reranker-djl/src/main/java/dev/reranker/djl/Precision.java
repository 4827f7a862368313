package dev.reranker.djl;

/** The number format the native backend computes in. */
public enum Precision {

    /** 32-bit floats throughout: scores match Hugging Face's to about 1e-6. */
    FP32,

    /**
     * bfloat16 matrix multiplies (accumulating in fp32), with softmax, LayerNorm and the
     * classification head in fp32. Several times faster on CPUs with bf16 instructions (AVX-512
     * BF16, AMX); scores move by about 1e-2. Opt-in, native backend only.
     */
    BF16
}
