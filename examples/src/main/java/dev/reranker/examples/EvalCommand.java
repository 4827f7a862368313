package dev.reranker.examples;

import dev.reranker.RerankerException;
import dev.reranker.djl.DjlReranker;
import dev.reranker.djl.train.TrainingData;
import dev.reranker.eval.Evaluation;
import dev.reranker.eval.RankingEvaluator;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code reranker-cli eval}: measures a model on judged queries and prints NDCG@10, MRR@10, MAP and
 * recall@10. See {@link EvalOptions#USAGE}.
 */
final class EvalCommand {

    /** The cut-off of NDCG, MRR and recall; fixed, so that the JSON keys are too. */
    static final int K = 10;

    private EvalCommand() {}

    /** @return the exit status, as {@link RerankCli#run} */
    static int run(String[] args, PrintStream out, PrintStream err) {
        EvalOptions options;
        DjlReranker.Builder builder;
        try {
            options = EvalOptions.parse(args);
            if (options.help()) {
                out.print(EvalOptions.USAGE);
                out.flush();
                return RerankCli.OK;
            }
            builder = RerankCli.configureModel(options.model(), options.offline(), options.device(),
                    options.maxLength());
        } catch (UsageException e) {
            return RerankCli.badArguments(e, EvalOptions.USAGE, err);
        }
        try {
            // The file first: reading it is quick, loading a real model is not.
            TrainingData data = read("--eval", options.eval(), err);
            Evaluation evaluation;
            try (DjlReranker reranker = RerankCli.load(builder)) {
                evaluation = RankingEvaluator.builder().k(K).build().evaluate(reranker, data.judged());
            }
            if (options.json()) {
                MetricsPrinter.json(evaluation, out);
            } else {
                MetricsPrinter.table(null, List.of(evaluation), out);
            }
            return RerankCli.OK;
        } catch (UsageException e) {
            return RerankCli.badArguments(e, EvalOptions.USAGE, err);
        } catch (RuntimeException | LinkageError e) {
            return RerankCli.failed(e, options.verbose(), err);
        }
    }

    /**
     * Reads a data file, naming the option in a failure (the library's message says "training data"
     * whichever file it is), and notes on {@code err} the queries left out for want of a positive.
     *
     * @throws RerankerException if the file is missing or malformed; the message gives file:line
     */
    static TrainingData read(String option, Path file, PrintStream err) {
        TrainingData data;
        try {
            data = TrainingData.read(file);
        } catch (RerankerException e) {
            throw new RerankerException(option + ": " + e.getMessage(), e);
        }
        if (data.skipped() > 0) {
            err.println("note: " + data.skipped() + (data.skipped() == 1 ? " query" : " queries") + " in " + file
                    + " left out: no pos document");
        }
        return data;
    }
}
