package dev.reranker.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reranker.djl.train.Loss;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing {@code train}'s arguments alone: no model, no files. */
final class TrainOptionsTest {

    private static final String[] REQUIRED = {"--model", "m", "--train", "t.jsonl", "--eval", "e.jsonl", "--output", "out"};

    @Test
    void parse_required_leavesEverythingElseToTheTrainer() throws UsageException {
        TrainOptions options = TrainOptions.parse(REQUIRED);

        assertFalse(options.help());
        assertEquals("m", options.model());
        assertEquals(Path.of("t.jsonl"), options.train());
        assertEquals(Path.of("e.jsonl"), options.eval());
        assertEquals(Path.of("out"), options.output());
        assertNull(options.loss());
        assertNull(options.epochs());
        assertNull(options.batchSize());
        assertNull(options.groupSize());
        assertNull(options.learningRate());
        assertNull(options.maxLength());
        assertNull(options.seed());
        assertNull(options.device());
        assertFalse(options.hardNegatives() || options.json() || options.verbose() || options.offline());
    }

    @Test
    void parse_everyOption() throws UsageException {
        TrainOptions options = parse("--loss", "margin", "--epochs", "3", "--batch-size", "16", "--group-size", "4",
                "--lr", "3e-5", "--max-length", "256", "--seed", "-7", "--hard-negatives", "--device", "gpu",
                "--json", "--verbose", "--offline");

        assertEquals(Loss.MARGIN, options.loss());
        assertEquals(3, options.epochs());
        assertEquals(16, options.batchSize());
        assertEquals(4, options.groupSize());
        assertEquals(3e-5, options.learningRate());
        assertEquals(256, options.maxLength());
        assertEquals(-7L, options.seed(), "a seed is any whole number; -7 is a value, not an option");
        assertEquals("gpu", options.device());
        assertTrue(options.hardNegatives() && options.json() && options.verbose() && options.offline());
    }

    @Test
    void parse_lossNames_ignoreCase() throws UsageException {
        assertEquals(Loss.LISTWISE, parse("--loss", "listwise").loss());
        assertEquals(Loss.BCE, parse("--loss", "BCE").loss());
    }

    @Test
    void parse_learningRate_decimalOrScientific() throws UsageException {
        assertEquals(0.001, parse("--lr", "0.001").learningRate());
        assertEquals(2e-5, parse("--lr", "2E-5").learningRate());
    }

    @Test
    void parse_help_winsOverErrors() throws UsageException {
        assertTrue(TrainOptions.parse(new String[] {"--loss", "hinge", "--epochs", "x", "--help"}).help());
        assertTrue(TrainOptions.parse(new String[] {"-h"}).help());
    }

    @Test
    void parse_missingModel() {
        assertEquals("missing --model: give the starting checkpoint (a directory or a Hugging Face model id)",
                error(without("--model")));
    }

    @Test
    void parse_missingTrain() {
        assertEquals("missing --train: give the training data (.jsonl, .csv or .tsv)", error(without("--train")));
    }

    @Test
    void parse_missingEval() {
        assertEquals("missing --eval: give the judged queries to measure the model on before and after training"
                + " (.jsonl, .csv or .tsv)", error(without("--eval")));
    }

    @Test
    void parse_missingOutput() {
        assertEquals("missing --output: give the directory to write the trained checkpoint to",
                error(without("--output")));
    }

    @Test
    void parse_emptyOutput_isNotTheWorkingDirectory() {
        assertEquals("--output needs a directory, got an empty string",
                error("--model", "m", "--train", "t.jsonl", "--eval", "e.jsonl", "--output", ""));
    }

    @Test
    void parse_unknownLoss() {
        assertEquals("--loss must be listwise, margin or bce, was \"hinge\"", error(with("--loss", "hinge")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--epochs     | two   | --epochs expects a whole number, was \"two\"",
        "--batch-size | 1.5   | --batch-size expects a whole number, was \"1.5\"",
        "--group-size | 8x    | --group-size expects a whole number, was \"8x\"",
        "--max-length | 1e3   | --max-length expects a whole number, was \"1e3\"",
        "--seed       | 4.2   | --seed expects a whole number, was \"4.2\"",
        "--lr         | fast  | --lr expects a number such as 2e-5 or 0.001, was \"fast\"",
        "--lr         | NaN   | --lr expects a number such as 2e-5 or 0.001, was \"NaN\"",
        "--lr         | 1e-3f | --lr expects a number such as 2e-5 or 0.001, was \"1e-3f\"",
    })
    void parse_badNumber_namesTheOption(String option, String value, String message) {
        assertEquals(message, error(with(option, value)));
    }

    @Test
    void parse_unknownOption_evenOneOfRerank() {
        assertEquals("unknown option --top-k", error(with("--top-k", "3")));
    }

    @Test
    void parse_positionalArgument() {
        assertEquals("unexpected argument \"extra.jsonl\": train takes only options", error(with("extra.jsonl")));
    }

    @Test
    void parse_valueAtTheEnd_isAMissingValue() {
        assertEquals("--loss needs a value: listwise, margin or bce", error(with("--loss")));
    }

    @Test
    void parse_valueThatIsAnOption_isAMissingValue() {
        assertEquals("--output needs a value (a directory), but is followed by --json",
                error("--model", "m", "--train", "t.jsonl", "--eval", "e.jsonl", "--output", "--json"));
    }

    @Test
    void parse_repeatedOption() {
        assertEquals("--epochs is given more than once", error(with("--epochs", "1", "--epochs", "2")));
    }

    private static TrainOptions parse(String... more) throws UsageException {
        return TrainOptions.parse(with(more));
    }

    private static String[] with(String... more) {
        return Stream.concat(Arrays.stream(REQUIRED), Arrays.stream(more)).toArray(String[]::new);
    }

    /** {@link #REQUIRED} without {@code option} and its value. */
    private static String[] without(String option) {
        int at = Arrays.asList(REQUIRED).indexOf(option);
        return Stream.concat(Arrays.stream(REQUIRED, 0, at), Arrays.stream(REQUIRED, at + 2, REQUIRED.length))
                .toArray(String[]::new);
    }

    private static String error(String... args) {
        return assertThrows(UsageException.class, () -> TrainOptions.parse(args)).getMessage();
    }
}
