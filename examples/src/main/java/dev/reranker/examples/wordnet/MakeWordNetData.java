package dev.reranker.examples.wordnet;

import dev.reranker.RerankerException;
import dev.reranker.djl.train.TrainingData;
import dev.reranker.djl.train.TrainingExample;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes reranker training data made from WordNet: {@code OUTPUT_DIR/train.jsonl} and
 * {@code OUTPUT_DIR/eval.jsonl}, in FlagEmbedding's JSON lines format. See {@link #USAGE}.
 *
 * <pre>java -cp reranker-cli.jar dev.reranker.examples.wordnet.MakeWordNetData data/wordnet</pre>
 *
 * <p>Counts and errors go to stderr, {@code --help} to stdout. Exit status: 0 done, 1 WordNet could not be read or the files written,
 * 2 bad arguments.
 */
public final class MakeWordNetData {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_ARGUMENTS = 2;

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -cp reranker-cli.jar dev.reranker.examples.wordnet.MakeWordNetData OUTPUT_DIR [options]",
            "",
            "Writes OUTPUT_DIR/train.jsonl and OUTPUT_DIR/eval.jsonl, reranker training data made from",
            "WordNet: one {\"query\": WORD, \"pos\": [ITS DEFINITION], \"neg\": [OTHER DEFINITIONS]} a line.",
            "",
            "  --wordnet DIR     the WordNet 3.0 dict directory; default $WNSEARCHDIR, else /usr/share/wordnet",
            "                    (Debian, Ubuntu: apt-get install wordnet-base)",
            "  --train N         training queries (default 2000)",
            "  --eval N          held-out queries, none of them in train.jsonl (default 200)",
            "  --negatives N     negatives per query (default 7)",
            "  --max-senses N    leave out words with more senses than N (default 3)",
            "  --pos LIST        parts of speech, comma-separated: noun,verb,adj,adv (default noun)",
            "  --seed N          chooses the queries and negatives (default 0)",
            "  --help            print this help",
            "");

    private MakeWordNetData() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** Runs the command: help to {@code out}, counts and errors to {@code err}; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(USAGE);
            out.flush();
            return OK;
        }
        Path output;
        WordNetRelevance.Builder builder = WordNetRelevance.builder();
        try {
            output = parse(args, builder);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.print(USAGE);
            return BAD_ARGUMENTS;
        }
        try {
            long start = System.nanoTime();
            WordNetRelevance data = builder.build();
            Files.createDirectories(output);
            Path train = output.resolve("train.jsonl");
            Path eval = output.resolve("eval.jsonl");
            TrainingData trainData = TrainingData.of(data.train());
            TrainingData evalData = TrainingData.of(data.heldOut());
            trainData.write(train);
            evalData.write(eval);
            double seconds = (System.nanoTime() - start) / 1e9;
            err.println(summary(trainData.examples(), train));
            err.println(summary(evalData.examples(), eval));
            err.printf(Locale.ROOT, "done in %.1f s%n", seconds);
            return OK;
        } catch (WordNetException | RerankerException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        } catch (IOException e) {
            err.println("error: could not write to " + output + ": " + e);
            return FAILED;
        }
    }

    /** Hands the options to {@code builder}, whose refusals name our option; returns OUTPUT_DIR. */
    private static Path parse(String[] args, WordNetRelevance.Builder builder) {
        Path output = null;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                if (output != null) {
                    throw new IllegalArgumentException("one OUTPUT_DIR only, got " + output + " and " + arg);
                }
                output = path("OUTPUT_DIR", arg);
                continue;
            }
            if (!seen.add(arg)) {
                throw new IllegalArgumentException(arg + " is given more than once");
            }
            if (!List.of("--wordnet", "--train", "--eval", "--negatives", "--max-senses", "--pos", "--seed")
                    .contains(arg)) {
                throw new IllegalArgumentException("unknown option " + arg);
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = args[++i];
            try {
                switch (arg) {
                    case "--wordnet" -> builder.directory(path(arg, value));
                    case "--train" -> builder.trainQueries(integer(value));
                    case "--eval" -> builder.heldOutQueries(integer(value));
                    case "--negatives" -> builder.negatives(integer(value));
                    case "--max-senses" -> builder.maxSenses(integer(value));
                    case "--seed" -> builder.seed(seed(value));
                    default -> partsOfSpeech(builder, value);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(arg + ": " + e.getMessage(), e);
            }
        }
        if (output == null) {
            throw new IllegalArgumentException("missing OUTPUT_DIR: where to write train.jsonl and eval.jsonl");
        }
        return output;
    }

    private static int integer(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expects a whole number, was \"" + value + "\"", e);
        }
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expects a whole number, was \"" + value + "\"", e);
        }
    }

    private static void partsOfSpeech(WordNetRelevance.Builder builder, String list) {
        String[] names = list.split(",", -1);
        PartOfSpeech[] more = new PartOfSpeech[names.length - 1];
        for (int i = 1; i < names.length; i++) {
            more[i - 1] = PartOfSpeech.parse(names[i]);
        }
        builder.partsOfSpeech(PartOfSpeech.parse(names[0]), more);
    }

    private static Path path(String what, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(what + " expects a path, was \"" + value + "\": " + e.getReason(), e);
        }
    }

    /** "2000 queries -> out/train.jsonl (7.0 negatives, definitions of 9.6 words on average)". */
    private static String summary(List<TrainingExample> examples, Path file) {
        long negatives = 0;
        long words = 0;
        long documents = 0;
        for (TrainingExample example : examples) {
            negatives += example.negatives().size();
            for (List<String> list : List.of(example.positives(), example.negatives())) {
                for (String document : list) {
                    words += document.split("\\s+").length;
                    documents++;
                }
            }
        }
        return String.format(Locale.ROOT, "%d queries -> %s (%.1f negatives, definitions of %.1f words on average)",
                examples.size(), file, examples.isEmpty() ? 0.0 : (double) negatives / examples.size(),
                documents == 0 ? 0.0 : (double) words / documents);
    }
}
