package dev.reranker.examples;

import dev.reranker.Truncation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@link RerankCli}, parsed. Parsing touches nothing outside its arguments (no
 * files, no model), so every way of typing the command wrong can be tested without a model; the
 * reranker's own rules for the numbers (positive, within the model's limit) are left to its builder.
 *
 * @param help {@code --help}: print the usage and do nothing else; the other fields are then unset
 * @param model a model directory or a Hugging Face model id; {@link #DEFAULT_MODEL} when not given
 * @param query the query
 * @param docsFile where to read the documents from, or {@code null} to take {@link #documents()}
 * @param documents the positional arguments; empty when {@code docsFile} is set
 * @param maxLength {@code null}: the model's own limit
 * @param batchSize {@code null}: the library's default
 * @param maxBatchTokens {@code null}: the library's default
 * @param device {@code null}: the library's default (the CPU)
 * @param topK {@code null}: print every document
 * @param truncation {@code null}: the library's default
 * @param raw raw logits instead of probabilities
 * @param json one JSON array instead of a table
 * @param verbose stack traces on failure
 */
record Options(
        boolean help,
        String model,
        String query,
        Path docsFile,
        List<String> documents,
        Integer maxLength,
        Integer batchSize,
        Integer maxBatchTokens,
        String device,
        Integer topK,
        Truncation truncation,
        boolean raw,
        boolean json,
        boolean verbose,
        boolean offline) {

    /** The model used without {@code --model}: small, English, and what most users start with. */
    static final String DEFAULT_MODEL = "cross-encoder/ms-marco-MiniLM-L-6-v2";

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar reranker-cli.jar [--model PATH|ID] --query TEXT [options] [DOCUMENT ...]",
            "       java -jar reranker-cli.jar train --model PATH|ID --train FILE --eval FILE --output DIR [options]",
            "       java -jar reranker-cli.jar eval --model PATH|ID --eval FILE [options]",
            "",
            "Ranks documents by their relevance to a query with a cross-encoder model, best first.",
            "train fine-tunes a model on judged queries; eval measures one (NDCG@10, MRR@10, MAP, recall@10).",
            "For their options: java -jar reranker-cli.jar train --help (or eval --help).",
            "",
            "  --model PATH|ID         a model directory (a Hugging Face checkpoint, or a TorchScript",
            "                          model.pt with its tokenizer.json), or a Hugging Face model id fetched",
            "                          into the Hugging Face cache; default " + DEFAULT_MODEL,
            "  --offline               use only the Hugging Face cache (as HF_HUB_OFFLINE=1 does)",
            "  --query TEXT            the query (required)",
            "  --docs-file FILE        read the documents from FILE, a UTF-8 JSON array of strings,",
            "                          instead of from the arguments",
            "  --max-length N          the longest (query, document) pair in tokens; default: the model's limit",
            "  --batch-size N          pairs per forward pass (default 32)",
            "  --max-batch-tokens N    tokens per forward pass, padding included with a TorchScript model",
            "                          (default: batch size x 128)",
            "  --device cpu|gpu|gpu:N  where the model runs (default cpu)",
            "  --top-k K               print only the K best documents",
            "  --truncation query-cap|longest-first",
            "                          how a pair longer than --max-length is cut (default query-cap)",
            "  --raw                   the model's raw logits instead of probabilities in [0, 1]",
            "  --json                  print one JSON array, best first:",
            "                          [{\"index\": i, \"score\": s, \"document\": \"...\"}]",
            "  --verbose               stack traces on failure, and the library's log",
            "  --help                  print this help",
            "",
            "Arguments after -- are documents even when they start with \"-\"; -- also keeps a first document",
            "named train or eval from being taken for a subcommand. Output is UTF-8; the table shows each",
            "document on one line, cut if long (--json prints it whole).",
            "Exit status: 0 done, 1 the model could not be loaded or run, 2 bad arguments.",
            "");

    Options {
        documents = List.copyOf(documents);
    }

    /**
     * Parses the command line. {@code --help} (or {@code -h}) anywhere before {@code --} wins over
     * everything else, so that asking for help never ends in an error about the other arguments.
     *
     * @throws UsageException naming the option at fault and what it expects
     */
    static Options parse(String[] args) throws UsageException {
        if (Args.asksForHelp(args)) {
            return new Options(
                    true, null, null, null, List.of(), null, null, null, null, null, null, false, false, false, false);
        }
        String model = DEFAULT_MODEL;
        String query = null;
        Path docsFile = null;
        List<String> documents = new ArrayList<>();
        Integer maxLength = null;
        Integer batchSize = null;
        Integer maxBatchTokens = null;
        String device = null;
        Integer topK = null;
        Truncation truncation = null;
        boolean raw = false;
        boolean json = false;
        boolean verbose = false;
        boolean offline = false;

        Set<String> seen = new HashSet<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !Args.isOption(arg)) {
                documents.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            // A second value would silently replace the first; a repeated option is almost always a slip.
            if (!seen.add(arg)) {
                throw new UsageException(arg + " is given more than once");
            }
            switch (arg) {
                case "--model" -> model = Args.value(args, ++i, arg, "a directory or a Hugging Face model id");
                case "--query" -> query = Args.value(args, ++i, arg, "the query text");
                case "--docs-file" -> docsFile = Args.path(arg, Args.value(args, ++i, arg, "a file"));
                case "--max-length" -> maxLength = Args.integer(arg, Args.value(args, ++i, arg, "a number of tokens"));
                case "--batch-size" -> batchSize = Args.integer(arg, Args.value(args, ++i, arg, "a number of pairs"));
                case "--max-batch-tokens" ->
                        maxBatchTokens = Args.integer(arg, Args.value(args, ++i, arg, "a number of tokens"));
                case "--device" -> device = Args.value(args, ++i, arg, "cpu, gpu or gpu:N");
                case "--top-k" -> topK = topK(Args.value(args, ++i, arg, "a number of documents"));
                case "--truncation" ->
                        truncation = truncation(Args.value(args, ++i, arg, "query-cap or longest-first"));
                case "--raw" -> raw = true;
                case "--json" -> json = true;
                case "--verbose" -> verbose = true;
                case "--offline" -> offline = true;
                default -> throw new UsageException("unknown option " + arg
                        + (arg.startsWith("--") ? "" : " (documents that start with \"-\" go after --)"));
            }
        }
        if (model.isBlank()) {
            throw new UsageException("--model needs a directory or a Hugging Face model id, got an empty string");
        }
        if (query == null) {
            throw new UsageException("missing --query: give the query text");
        }
        if (docsFile != null && !documents.isEmpty()) {
            throw new UsageException("give the documents either with --docs-file or as arguments, not both (got "
                    + documents.size() + " argument" + (documents.size() == 1 ? "" : "s") + " besides --docs-file)");
        }
        return new Options(false, model, query, docsFile, documents, maxLength, batchSize, maxBatchTokens, device,
                topK, truncation, raw, json, verbose, offline);
    }

    private static int topK(String value) throws UsageException {
        int k = Args.integer("--top-k", value);
        if (k <= 0) {
            throw new UsageException("--top-k must be at least 1, was " + k);
        }
        return k;
    }

    private static Truncation truncation(String value) throws UsageException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "query-cap" -> Truncation.QUERY_CAP_ONLY_SECOND;
            case "longest-first" -> Truncation.LONGEST_FIRST;
            default -> throw new UsageException(
                    "--truncation must be query-cap or longest-first, was \"" + value + "\"");
        };
    }
}
