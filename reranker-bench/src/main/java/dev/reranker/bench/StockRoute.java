package dev.reranker.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.translator.CrossEncoderTranslator;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.util.StringPair;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Java developer writes today without this library, as a peer to measure against: DJL's
 * stock {@link CrossEncoderTranslator} over a TorchScript model ({@code djl-stock}) or an ONNX model
 * on ONNX Runtime ({@code onnxruntime}, the runtime LangChain4j's {@code OnnxScoringModel} uses),
 * with every pair of a query in one {@code batchPredict} call, padded to the longest pair.
 */
final class StockRoute implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final ZooModel<StringPair, float[]> model;
    private final Predictor<StringPair, float[]> predictor;

    private StockRoute(HuggingFaceTokenizer tokenizer, ZooModel<StringPair, float[]> model) {
        this.tokenizer = tokenizer;
        this.model = model;
        this.predictor = model.newPredictor();
    }

    /** @param engine {@code PyTorch} (loads model.pt) or {@code OnnxRuntime} (loads model.onnx) */
    static StockRoute load(Path dir, String engine) throws Exception {
        // The stock route touches DJL directly: keep it offline as the library keeps itself.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(dir);
        // The generated twins take (input_ids, attention_mask, token_type_ids) for both shapes.
        CrossEncoderTranslator translator = CrossEncoderTranslator.builder(tokenizer)
                .optIncludeTokenTypes(true).optSigmoid(true).build();
        Criteria<StringPair, float[]> criteria = Criteria.builder()
                .setTypes(StringPair.class, float[].class)
                .optModelPath(dir)
                .optModelName("model")
                .optEngine(engine)
                .optTranslator(translator)
                .build();
        return new StockRoute(tokenizer, criteria.loadModel());
    }

    float[] score(String query, List<String> documents) throws Exception {
        List<StringPair> pairs = new ArrayList<>(documents.size());
        for (String document : documents) {
            pairs.add(new StringPair(query, document));
        }
        List<float[]> out = predictor.batchPredict(pairs);
        float[] scores = new float[out.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = out.get(i)[0];
        }
        return scores;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
        tokenizer.close();
    }
}
