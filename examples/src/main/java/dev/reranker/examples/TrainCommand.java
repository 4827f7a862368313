package dev.reranker.examples;

import dev.reranker.djl.train.CrossEncoderTrainer;
import dev.reranker.djl.train.EpochResult;
import dev.reranker.djl.train.TrainingData;
import dev.reranker.djl.train.TrainingResult;
import dev.reranker.eval.Evaluation;
import dev.reranker.eval.JudgedQuery;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code reranker-cli train}: fine-tunes a cross-encoder with {@link CrossEncoderTrainer}, shows its
 * progress on stderr, and prints the metrics before and after. See {@link TrainOptions#USAGE}.
 */
final class TrainCommand {

    private TrainCommand() {}

    /** @return the exit status, as {@link RerankCli#run} */
    static int run(String[] args, PrintStream out, PrintStream err) {
        TrainOptions options;
        CrossEncoderTrainer trainer;
        try {
            options = TrainOptions.parse(args);
            if (options.help()) {
                out.print(TrainOptions.USAGE);
                out.flush();
                return RerankCli.OK;
            }
            trainer = configure(options, new ProgressPrinter(err, System::nanoTime));
        } catch (UsageException e) {
            return RerankCli.badArguments(e, TrainOptions.USAGE, err);
        }
        try {
            // Both files before the model: a typo in the eval file should not wait for a load.
            TrainingData train = EvalCommand.read("--train", options.train(), err);
            List<JudgedQuery> eval = EvalCommand.read("--eval", options.eval(), err).judged();
            err.println("training on " + count(train.examples().size()) + " from " + options.train()
                    + ", measuring on " + count(eval.size()) + " from " + options.eval()
                    + " before training and after each epoch");
            TrainingResult result = train(trainer, train, eval, options.output());
            if (options.json()) {
                MetricsPrinter.json(result, out);
            } else {
                summary(result, out);
            }
            return RerankCli.OK;
        } catch (UsageException e) {
            return RerankCli.badArguments(e, TrainOptions.USAGE, err);
        } catch (RuntimeException | LinkageError e) {
            return RerankCli.failed(e, options.verbose(), err);
        }
    }

    /**
     * Hands each setting to the trainer's builder, which knows the rules; its refusal becomes a
     * usage error naming our option rather than the builder's method.
     */
    static CrossEncoderTrainer configure(TrainOptions options, ProgressPrinter progress) throws UsageException {
        CrossEncoderTrainer.Builder builder = CrossEncoderTrainer.builder()
                .offline(options.offline())
                .evalK(EvalCommand.K)
                .hardNegatives(options.hardNegatives())
                .progress(progress);
        try {
            builder.model(options.model());
        } catch (IllegalArgumentException notAnId) {
            // As for rerank: a path that does not exist fails at load (exit 1) like any missing file.
            builder.model(Path.of(options.model()));
        }
        if (options.loss() != null) {
            builder.loss(options.loss());
        }
        Args.set("--device", options.device(), builder::device);
        Args.set("--epochs", options.epochs(), builder::epochs);
        Args.set("--batch-size", options.batchSize(), builder::batchSize);
        Args.set("--group-size", options.groupSize(), builder::groupSize);
        Args.set("--lr", options.learningRate(), builder::learningRate);
        Args.set("--max-length", options.maxLength(), builder::maxLength);
        if (options.seed() != null) {
            builder.seed(options.seed());
        }
        return builder.build();
    }

    /**
     * Two settings can only be checked against the model and the data, inside {@code train}: the
     * maximum length (against the model's limit) and the group size (against the documents there
     * are). The trainer refuses them with messages that start with the builder's name for them.
     */
    private static TrainingResult train(CrossEncoderTrainer trainer, TrainingData data, List<JudgedQuery> eval,
            Path output) throws UsageException {
        try {
            return trainer.train(data, eval, output);
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("maxLength")) {
                throw new UsageException("--max-length: " + message, e);
            }
            if (message.startsWith("groupSize")) {
                throw new UsageException("--group-size: " + message, e);
            }
            throw e;
        }
    }

    /** The before and after table (with a row per epoch when there were several), then where and how long. */
    private static void summary(TrainingResult result, PrintStream out) {
        List<String> labels = new ArrayList<>();
        List<Evaluation> rows = new ArrayList<>();
        labels.add("before");
        rows.add(result.before());
        if (result.epochs().size() > 1) {
            for (EpochResult epoch : result.epochs()) {
                labels.add("epoch " + epoch.epoch());
                rows.add(epoch.evaluation());
            }
        }
        labels.add("after");
        rows.add(result.after());
        MetricsPrinter.table(labels, rows, out);
        out.println();
        out.println("best epoch " + result.bestEpoch() + " of " + result.epochs().size() + " (highest ndcg@"
                + EvalCommand.K + "), saved to " + result.output());
        out.println("took " + MetricsPrinter.duration(result.duration()));
        out.flush();
    }

    private static String count(int queries) {
        return queries + (queries == 1 ? " query" : " queries");
    }
}
