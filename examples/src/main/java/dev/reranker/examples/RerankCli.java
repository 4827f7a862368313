package dev.reranker.examples;

import dev.reranker.RerankerException;
import dev.reranker.ScoreMode;
import dev.reranker.ScoredDocument;
import dev.reranker.djl.DjlReranker;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reranks documents from the command line: {@code java -jar reranker-cli.jar --model DIR --query
 * TEXT [DOCUMENT ...]}. See {@link Options#USAGE} for the options. Two subcommands, named by the
 * first argument, work on models instead: {@code train} fine-tunes one ({@link TrainCommand}) and
 * {@code eval} measures one ({@link EvalCommand}).
 *
 * <p>Scripts depend on its contract, the same for every command: stdout carries only the result
 * (with {@code --json}, exactly one JSON document); everything else, the library's log and training
 * progress included, goes to stderr; the exit status is 0 on success, 1 when a model or data file
 * could not be loaded or run, and 2 when the arguments are wrong.
 */
public final class RerankCli {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_ARGUMENTS = 2;

    private RerankCli() {}

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--verbose")) {
            verboseLog();
        }
        // UTF-8 whatever the locale: JSON must be UTF-8, and a POSIX locale would turn every
        // non-ASCII character of a document into "?".
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * Undoes the quiet defaults of simplelogger.properties (system properties win over that file);
     * must run before the first logger exists. Settings the user gave with -D are left alone.
     */
    private static void verboseLog() {
        // Which model, device and settings were loaded.
        setIfAbsent("org.slf4j.simpleLogger.log.dev.reranker", "info");
        // Why a GPU was not found.
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "warn");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /**
     * Runs the command: parses {@code args}, ranks (or trains, or evaluates), prints the result to
     * {@code out} and any problem to {@code err}.
     *
     * @return the exit status: {@link #OK}, {@link #FAILED} or {@link #BAD_ARGUMENTS}
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String first = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        return switch (first) {
            case "train" -> TrainCommand.run(rest, out, err);
            case "eval" -> EvalCommand.run(rest, out, err);
            default -> rerank(args, out, err);
        };
    }

    private static int rerank(String[] args, PrintStream out, PrintStream err) {
        Options options;
        List<String> documents;
        DjlReranker.Builder builder;
        try {
            options = Options.parse(args);
            if (options.help()) {
                out.print(Options.USAGE);
                out.flush();
                return OK;
            }
            documents = options.docsFile() != null ? DocumentsFile.read(options.docsFile()) : options.documents();
            builder = configure(options);
        } catch (UsageException e) {
            return badArguments(e, Options.USAGE, err);
        }
        try {
            List<ScoredDocument> ranking = documents.isEmpty()
                    ? noDocuments(options, err)
                    : rank(builder, options, documents);
            if (options.json()) {
                ResultPrinter.json(ranking, out);
            } else if (!ranking.isEmpty()) {
                ResultPrinter.table(ranking, out);
            }
            return OK;
        } catch (UsageException e) {
            return badArguments(e, Options.USAGE, err);
        } catch (RuntimeException | LinkageError e) {
            return failed(e, options.verbose(), err);
        }
    }

    /**
     * Hands each setting to the builder, which knows the library's rules; its refusal becomes a
     * usage error naming our option rather than the builder's method.
     */
    private static DjlReranker.Builder configure(Options options) throws UsageException {
        DjlReranker.Builder builder = configureModel(options.model(), options.offline(), options.device(),
                options.maxLength());
        Args.set("--batch-size", options.batchSize(), builder::batchSize);
        Args.set("--max-batch-tokens", options.maxBatchTokens(), builder::maxBatchTokens);
        if (options.truncation() != null) {
            builder.truncation(options.truncation());
        }
        return builder.scoreMode(options.raw() ? ScoreMode.RAW : ScoreMode.AUTO);
    }

    /**
     * The settings every command that scores with a {@link DjlReranker} shares; a refused value
     * becomes a usage error naming the option.
     *
     * @param device {@code null} for the library's default
     * @param maxLength {@code null} for the model's limit
     */
    static DjlReranker.Builder configureModel(String model, boolean offline, String device, Integer maxLength)
            throws UsageException {
        DjlReranker.Builder builder = DjlReranker.builder().offline(offline);
        try {
            builder.model(model);
        } catch (IllegalArgumentException notAnId) {
            // Neither a directory nor a Hub id: take it as the directory it was meant to be, so a
            // wrong path fails at load as "does not exist" (exit 1) like any other missing file.
            builder.model(Path.of(model));
        }
        Args.set("--device", device, builder::device);
        Args.set("--max-length", maxLength, builder::maxLength);
        return builder;
    }

    private static List<ScoredDocument> rank(DjlReranker.Builder builder, Options options, List<String> documents)
            throws UsageException {
        try (DjlReranker reranker = load(builder)) {
            return options.topK() == null
                    ? reranker.rerank(options.query(), documents)
                    : reranker.rerank(options.query(), documents, options.topK());
        }
    }

    /** The builder's only argument check against the model itself is the maximum length. */
    static DjlReranker load(DjlReranker.Builder builder) throws UsageException {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--max-length: " + e.getMessage(), e);
        }
    }

    /**
     * Nothing to rank, so the model is not loaded (loading a real one takes seconds); the model
     * directory is still checked, so that a wrong path fails the same way with or without documents.
     */
    private static List<ScoredDocument> noDocuments(Options options, PrintStream err) {
        if (!Files.isDirectory(Path.of(options.model())) && !looksLikeModelId(options.model())) {
            // Worded as the library words it when it loads, so both paths fail alike.
            throw new RerankerException("model directory " + options.model() + " does not exist or is not a"
                    + " directory; pass the model's directory (a Hugging Face checkpoint, or a TorchScript model.pt)"
                    + " with its tokenizer.json");
        }
        if (!options.json()) {
            err.println("no documents given: nothing to rank");
        }
        return List.of();
    }

    /** Whether the builder takes this as a Hub id (it refuses what is neither a directory nor an id). */
    private static boolean looksLikeModelId(String model) {
        try {
            DjlReranker.builder().model(model);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Says what was wrong, then the command's usage, on {@code err}. */
    static int badArguments(UsageException e, String usage, PrintStream err) {
        err.println("error: " + oneLine(e.getMessage()));
        err.println();
        err.print(usage);
        err.flush();
        return BAD_ARGUMENTS;
    }

    /** One "error:" line on {@code err}, and the stack trace with {@code --verbose}. */
    static int failed(Throwable e, boolean verbose, PrintStream err) {
        // The library's messages are written for the user; anything else is a surprise, so say what it was.
        String message = e instanceof RerankerException && e.getMessage() != null
                // The library speaks of its API; here the way to a local directory is the option.
                ? e.getMessage().replace("model(Path)", "--model DIR")
                : e.toString();
        err.println("error: " + oneLine(message));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }

    /** Messages can carry a native library's multi-line text; the contract is one line. */
    private static String oneLine(String message) {
        return String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
