package dev.reranker.examples;

import dev.reranker.djl.train.CrossEncoderTrainer;
import dev.reranker.djl.train.Loss;
import dev.reranker.djl.train.TrainingData;
import dev.reranker.djl.train.TrainingResult;
import dev.reranker.eval.Evaluation;
import dev.reranker.examples.wordnet.WordNetRelevance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Teaches a plain sentence encoder to rerank, from data anyone can get offline: WordNet
 * ({@code apt-get install wordnet-base}). Each query is a word, its positive the definition of its
 * most frequent sense, its negatives the definitions of its siblings in WordNet's hierarchy and of
 * look-alike words. It trains a cross-encoder from the encoder, with a fresh classification head,
 * and prints NDCG@10, MRR@10 and MAP on held-out words before and after.
 *
 * <pre>java -cp reranker-cli.jar dev.reranker.examples.FineTune [ENCODER_DIR_OR_HUB_ID] [OPTIONS]</pre>
 *
 * <p>The encoder defaults to {@code sentence-transformers/all-MiniLM-L6-v2} from the Hugging Face
 * Hub. Options: {@code --output DIR} (default {@code fine-tuned-reranker}), {@code --loss
 * listwise|margin|bce}, {@code --epochs N} (default 1), {@code --lr X} (default 1e-4: a fresh head
 * on a small data set learns little in one epoch at the library's 2e-5), {@code --train N} and
 * {@code --eval N} (queries; default 1000 and 200), {@code --hard-negatives}, {@code --max-length N}
 * (default 128), {@code --wordnet DIR}, {@code --seed N}.
 * The data is also written as {@code OUTPUT/data/train.jsonl} and {@code eval.jsonl}, for the
 * command line's {@code train} and {@code eval}.
 */
public final class FineTune {

    private FineTune() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("FineTune: " + e.getMessage());
            System.err.println("usage: java -cp reranker-cli.jar dev.reranker.examples.FineTune [ENCODER_DIR_OR_HUB_ID]"
                    + " [--output DIR] [--loss listwise|margin|bce] [--epochs N] [--lr X] [--train N] [--eval N]"
                    + " [--hard-negatives] [--max-length N] [--wordnet DIR] [--seed N]");
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("FineTune failed: " + e.getMessage());
            System.exit(1);
        }
    }

    static TrainingResult run(String[] args) {
        String encoder = "sentence-transformers/all-MiniLM-L6-v2";
        Path output = Path.of("fine-tuned-reranker");
        Path wordnet = WordNetRelevance.defaultDirectory();
        Loss loss = Loss.LISTWISE;
        int epochs = 1;
        int maxLength = 128; // a word and a definition: far shorter
        int trainQueries = 1000;
        int evalQueries = 200;
        boolean hard = false;
        long seed = 42;
        double learningRate = 1e-4;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--output" -> output = Path.of(value(args, ++i, arg));
                case "--loss" -> loss = loss(value(args, ++i, arg));
                case "--epochs" -> epochs = number(args, ++i, arg);
                case "--train" -> trainQueries = number(args, ++i, arg);
                case "--eval" -> evalQueries = number(args, ++i, arg);
                case "--wordnet" -> wordnet = Path.of(value(args, ++i, arg));
                case "--seed" -> seed = number(args, ++i, arg);
                case "--max-length" -> maxLength = number(args, ++i, arg);
                case "--lr" -> learningRate = rate(value(args, ++i, arg));
                case "--hard-negatives" -> hard = true;
                default -> {
                    if (arg.startsWith("--") || i > 0) {
                        throw new IllegalArgumentException("unknown argument " + arg);
                    }
                    encoder = arg;
                }
            }
        }

        long start = System.nanoTime();
        WordNetRelevance wordNet = WordNetRelevance.builder().directory(wordnet).seed(seed)
                .trainQueries(trainQueries).heldOutQueries(evalQueries).negatives(7).build();
        TrainingData train = TrainingData.of(wordNet.train());
        TrainingData eval = TrainingData.of(wordNet.heldOut());
        Path data = output.resolve("data");
        createDirectories(data);
        train.write(data.resolve("train.jsonl"));
        eval.write(data.resolve("eval.jsonl"));
        System.err.printf(Locale.ROOT, "WordNet: %d training and %d held-out words, 1 definition and 7 negatives each;"
                + " data in %s%n", train.examples().size(), eval.examples().size(), data);

        long[] lastPrint = {0};
        TrainingResult result = CrossEncoderTrainer.builder()
                .model(encoder)
                .loss(loss)
                .epochs(epochs)
                .hardNegatives(hard)
                .seed(seed)
                .learningRate(learningRate)
                .maxLength(maxLength)
                .progress(p -> {
                    long now = System.nanoTime();
                    if (now - lastPrint[0] > 10_000_000_000L || p.step() == p.steps()) {
                        lastPrint[0] = now;
                        System.err.println(p);
                    }
                })
                .build()
                .train(train, eval.judged(), output);

        System.out.printf(Locale.ROOT, "%-7s %8s %8s %8s%n", "", "NDCG@10", "MRR@10", "MAP");
        print("before", result.before());
        print("after", result.after());
        System.out.printf(Locale.ROOT, "loss %s, %d epoch(s), best epoch %d, %d held-out words; %.0f s in all%n",
                loss.name().toLowerCase(Locale.ROOT), epochs, result.bestEpoch(), result.after().queries(),
                (System.nanoTime() - start) / 1e9);
        System.out.println("Saved to " + result.output() + "; rerank with it: java -jar reranker-cli.jar --model "
                + result.output() + " --query ... DOCUMENTS");
        return result;
    }

    private static void print(String label, Evaluation e) {
        System.out.printf(Locale.ROOT, "%-7s %8.4f %8.4f %8.4f%n", label, e.ndcg(), e.mrr(), e.map());
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + directory + ": " + e, e);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int number(String[] args, int i, String option) {
        String text = value(args, i, option);
        try {
            int n = Integer.parseInt(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " needs a whole number >= 0, was \"" + text + "\"");
    }

    private static double rate(String text) {
        try {
            double rate = Double.parseDouble(text);
            if (rate > 0 && Double.isFinite(rate)) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--lr needs a positive number such as 1e-4, was \"" + text + "\"");
    }

    private static Loss loss(String text) {
        try {
            return Loss.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--loss must be listwise, margin or bce, was \"" + text + "\"");
        }
    }
}
