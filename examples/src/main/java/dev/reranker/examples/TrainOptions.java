package dev.reranker.examples;

import dev.reranker.djl.train.Loss;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@code reranker-cli train}, parsed (the word {@code train} already taken off).
 * Like {@link Options}, parsing reads nothing but its arguments; the trainer's builder checks the
 * numbers' ranges when {@link TrainCommand} hands them over, and a {@code null} number means the
 * trainer's default.
 *
 * @param help {@code --help}: print {@link #USAGE} and do nothing else; the other fields are then unset
 * @param model the starting checkpoint: a directory or a Hugging Face model id
 * @param train the training data: a JSON-lines, CSV or TSV file as {@code TrainingData} reads it
 * @param eval the judged queries measured before training and after every epoch, same formats
 * @param output where the trained checkpoint goes
 * @param loss {@code null}: the trainer's default (listwise)
 * @param learningRate {@code --lr}
 * @param maxLength {@code null}: the model's own limit
 * @param device {@code null}: the library's default (the CPU)
 * @param json one JSON line at the end instead of a summary table
 * @param verbose stack traces on failure
 * @param offline only the Hugging Face cache
 */
record TrainOptions(
        boolean help,
        String model,
        Path train,
        Path eval,
        Path output,
        Loss loss,
        Integer epochs,
        Integer batchSize,
        Integer groupSize,
        Double learningRate,
        Integer maxLength,
        Long seed,
        boolean hardNegatives,
        String device,
        boolean json,
        boolean verbose,
        boolean offline) {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar reranker-cli.jar train --model PATH|ID --train FILE --eval FILE --output DIR [options]",
            "",
            "Fine-tunes a cross-encoder on queries with relevant (pos) and irrelevant (neg) documents. The model",
            "is evaluated on the --eval queries before training and after every epoch, and the best epoch is",
            "saved to DIR as a Hugging Face checkpoint that --model DIR loads.",
            "",
            "  --model PATH|ID         the starting checkpoint (required): a Hugging Face directory with",
            "                          model.safetensors, a cross-encoder or a plain encoder (which gets a fresh",
            "                          head), or a Hugging Face model id fetched into the Hugging Face cache",
            "  --offline               use only the Hugging Face cache (as HF_HUB_OFFLINE=1 does)",
            "  --train FILE            the training data (required): JSON lines",
            "                          {\"query\": \"...\", \"pos\": [\"...\"], \"neg\": [\"...\"]} (.jsonl), or",
            "                          query,positive,negative triplets (.csv, .tsv)",
            "  --eval FILE             the judged queries to measure on (required), in the same formats; each",
            "                          query's candidates are its pos and neg documents, the pos ones relevant",
            "  --output DIR            where the trained checkpoint is written (required; created if needed,",
            "                          files of the same names replaced)",
            "  --loss listwise|margin|bce",
            "                          what training minimises (default listwise)",
            "  --epochs N              passes over the training data (default 1)",
            "  --batch-size N          queries per optimizer step (default 4)",
            "  --group-size N          documents per query in a step: one pos and N-1 neg, topped up with",
            "                          other queries' documents (default 8)",
            "  --lr X                  the peak learning rate (default 2e-5)",
            "  --max-length N          the longest (query, document) pair in tokens; default: the model's limit",
            "  --seed N                seeds sampling, shuffling, dropout and a fresh head (default 42)",
            "  --hard-negatives        before each epoch, train on the negatives the model ranks highest",
            "  --device cpu|gpu|gpu:N  where the model trains (default cpu)",
            "  --json                  end with one JSON line on stdout:",
            "                          {\"before\": {...}, \"after\": {...}, \"seconds\": s}, before and after",
            "                          holding what eval --json prints",
            "  --verbose               stack traces on failure, and the library's log",
            "  --help                  print this help",
            "",
            "Progress goes to stderr: a line every few seconds at most, and at the end of each epoch.",
            "Exit status: 0 done, 1 a file or the model could not be read, trained or written, 2 bad arguments.",
            "");

    private static final String MODEL = "a directory or a Hugging Face model id";
    private static final String DATA = "a .jsonl, .csv or .tsv file";
    private static final String DIRECTORY = "a directory";

    /**
     * Parses the arguments after {@code train}. {@code --help} (or {@code -h}) anywhere wins.
     *
     * @throws UsageException naming the option at fault and what it expects
     */
    static TrainOptions parse(String[] args) throws UsageException {
        if (Args.asksForHelp(args)) {
            return new TrainOptions(true, null, null, null, null, null, null, null, null, null, null, null, false,
                    null, false, false, false);
        }
        String model = null;
        Path train = null;
        Path eval = null;
        Path output = null;
        Loss loss = null;
        Integer epochs = null;
        Integer batchSize = null;
        Integer groupSize = null;
        Double learningRate = null;
        Integer maxLength = null;
        Long seed = null;
        boolean hardNegatives = false;
        String device = null;
        boolean json = false;
        boolean verbose = false;
        boolean offline = false;

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!Args.isOption(arg)) {
                throw new UsageException("unexpected argument \"" + arg + "\": train takes only options");
            }
            if (!seen.add(arg)) {
                throw new UsageException(arg + " is given more than once");
            }
            switch (arg) {
                case "--model" -> model = Args.nonBlank(arg, Args.value(args, ++i, arg, MODEL), MODEL);
                case "--train" -> train = Args.path(args, ++i, arg, DATA);
                case "--eval" -> eval = Args.path(args, ++i, arg, DATA);
                case "--output" -> output = Args.path(args, ++i, arg, DIRECTORY);
                case "--loss" -> loss = loss(Args.value(args, ++i, arg, "listwise, margin or bce"));
                case "--epochs" -> epochs = Args.integer(arg, Args.value(args, ++i, arg, "a number of epochs"));
                case "--batch-size" -> batchSize = Args.integer(arg, Args.value(args, ++i, arg, "a number of queries"));
                case "--group-size" -> groupSize = Args.integer(arg, Args.value(args, ++i, arg, "documents per query"));
                case "--lr" -> learningRate = Args.decimal(arg, Args.value(args, ++i, arg, "a learning rate"));
                case "--max-length" -> maxLength = Args.integer(arg, Args.value(args, ++i, arg, "a number of tokens"));
                case "--seed" -> seed = Args.longInteger(arg, Args.value(args, ++i, arg, "a whole number"));
                case "--hard-negatives" -> hardNegatives = true;
                case "--device" -> device = Args.value(args, ++i, arg, "cpu, gpu or gpu:N");
                case "--json" -> json = true;
                case "--verbose" -> verbose = true;
                case "--offline" -> offline = true;
                default -> throw new UsageException("unknown option " + arg);
            }
        }
        // In the order of the usage line, so that fixing one at a time goes left to right.
        if (model == null) {
            throw new UsageException("missing --model: give the starting checkpoint (a directory or a Hugging Face"
                    + " model id)");
        }
        if (train == null) {
            throw new UsageException("missing --train: give the training data (.jsonl, .csv or .tsv)");
        }
        if (eval == null) {
            throw new UsageException("missing --eval: give the judged queries to measure the model on before and"
                    + " after training (.jsonl, .csv or .tsv)");
        }
        if (output == null) {
            throw new UsageException("missing --output: give the directory to write the trained checkpoint to");
        }
        return new TrainOptions(false, model, train, eval, output, loss, epochs, batchSize, groupSize, learningRate,
                maxLength, seed, hardNegatives, device, json, verbose, offline);
    }

    private static Loss loss(String value) throws UsageException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "listwise" -> Loss.LISTWISE;
            case "margin" -> Loss.MARGIN;
            case "bce" -> Loss.BCE;
            default -> throw new UsageException("--loss must be listwise, margin or bce, was \"" + value + "\"");
        };
    }
}
