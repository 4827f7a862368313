package dev.reranker.examples;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The command line of {@code reranker-cli eval}, parsed (the word {@code eval} already taken off).
 * Like {@link Options}, parsing reads nothing but its arguments; the reranker's builder checks the
 * numbers when {@link EvalCommand} hands them over.
 *
 * @param help {@code --help}: print {@link #USAGE} and do nothing else; the other fields are then unset
 * @param model a model directory or a Hugging Face model id
 * @param eval the judged queries: a JSON-lines, CSV or TSV file as {@code TrainingData} reads it
 * @param maxLength {@code null}: the model's own limit
 * @param device {@code null}: the library's default (the CPU)
 * @param json one JSON object instead of a table
 * @param verbose stack traces on failure
 * @param offline only the Hugging Face cache
 */
record EvalOptions(
        boolean help,
        String model,
        Path eval,
        Integer maxLength,
        String device,
        boolean json,
        boolean verbose,
        boolean offline) {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar reranker-cli.jar eval --model PATH|ID --eval FILE [options]",
            "",
            "Measures how well a cross-encoder ranks judged documents: NDCG@10, MRR@10, MAP and recall@10,",
            "averaged over the queries of FILE.",
            "",
            "  --model PATH|ID         the model to evaluate (required): a model directory, or a Hugging Face",
            "                          model id fetched into the Hugging Face cache",
            "  --offline               use only the Hugging Face cache (as HF_HUB_OFFLINE=1 does)",
            "  --eval FILE             the judged queries (required): JSON lines",
            "                          {\"query\": \"...\", \"pos\": [\"...\"], \"neg\": [\"...\"]} (.jsonl), or",
            "                          query,positive,negative triplets (.csv, .tsv); each query's candidates",
            "                          are its pos and neg documents, and the pos ones are the relevant ones",
            "  --max-length N          the longest (query, document) pair in tokens; default: the model's limit",
            "  --device cpu|gpu|gpu:N  where the model runs (default cpu)",
            "  --json                  print one JSON object on one line:",
            "                          {\"ndcg@10\": x, \"mrr@10\": x, \"map\": x, \"recall@10\": x, \"queries\": n}",
            "  --verbose               stack traces on failure, and the library's log",
            "  --help                  print this help",
            "",
            "Queries without a pos document are left out (a note on stderr says how many).",
            "Exit status: 0 done, 1 the file or the model could not be read or run, 2 bad arguments.",
            "");

    private static final String MODEL = "a directory or a Hugging Face model id";
    private static final String FILE = "a .jsonl, .csv or .tsv file";

    /**
     * Parses the arguments after {@code eval}. {@code --help} (or {@code -h}) anywhere wins.
     *
     * @throws UsageException naming the option at fault and what it expects
     */
    static EvalOptions parse(String[] args) throws UsageException {
        if (Args.asksForHelp(args)) {
            return new EvalOptions(true, null, null, null, null, false, false, false);
        }
        String model = null;
        Path eval = null;
        Integer maxLength = null;
        String device = null;
        boolean json = false;
        boolean verbose = false;
        boolean offline = false;

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!Args.isOption(arg)) {
                throw new UsageException("unexpected argument \"" + arg + "\": eval takes only options");
            }
            if (!seen.add(arg)) {
                throw new UsageException(arg + " is given more than once");
            }
            switch (arg) {
                case "--model" -> model = Args.nonBlank(arg, Args.value(args, ++i, arg, MODEL), MODEL);
                case "--eval" -> eval = Args.path(args, ++i, arg, FILE);
                case "--max-length" -> maxLength = Args.integer(arg, Args.value(args, ++i, arg, "a number of tokens"));
                case "--device" -> device = Args.value(args, ++i, arg, "cpu, gpu or gpu:N");
                case "--json" -> json = true;
                case "--verbose" -> verbose = true;
                case "--offline" -> offline = true;
                default -> throw new UsageException("unknown option " + arg);
            }
        }
        if (model == null) {
            throw new UsageException("missing --model: give the model to evaluate (a directory or a Hugging Face"
                    + " model id)");
        }
        if (eval == null) {
            throw new UsageException("missing --eval: give the file of judged queries (.jsonl, .csv or .tsv)");
        }
        return new EvalOptions(false, model, eval, maxLength, device, json, verbose, offline);
    }
}
