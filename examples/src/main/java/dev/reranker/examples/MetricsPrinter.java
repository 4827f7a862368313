package dev.reranker.examples;

import com.google.gson.FormattingStyle;
import com.google.gson.stream.JsonWriter;

import dev.reranker.djl.train.TrainingResult;
import dev.reranker.eval.Evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the metrics of {@code eval} and {@code train}: one JSON line for programs, or a small table
 * for people. Both use {@link Evaluation#metrics()}'s names ({@code ndcg@10}, {@code mrr@10},
 * {@code map}, {@code recall@10}) and add {@code queries}, the number of queries measured.
 */
final class MetricsPrinter {

    private MetricsPrinter() {}

    /** {@code {"ndcg@10": x, "mrr@10": x, "map": x, "recall@10": x, "queries": n}} on one line. */
    static void json(Evaluation evaluation, PrintStream out) {
        print(json -> write(evaluation, json), out);
    }

    /**
     * {@code {"before": {...}, "after": {...}, "seconds": s}} on one line: the metrics of the starting
     * and of the saved model, each as {@link #json(Evaluation, PrintStream)} prints them, and the
     * training run's wall time (loading and evaluation included).
     */
    static void json(TrainingResult result, PrintStream out) {
        print(json -> {
            json.beginObject();
            json.name("before");
            write(result.before(), json);
            json.name("after");
            write(result.after(), json);
            json.name("seconds").value(result.duration().toMillis() / 1000.0);
            json.endObject();
        }, out);
    }

    /**
     * One row per evaluation under a header of the metric names, numbers right-aligned to 4
     * decimals; {@code labels} (one per row, or {@code null} for none) fill a first column.
     */
    static void table(List<String> labels, List<Evaluation> rows, PrintStream out) {
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>();
        if (labels != null) {
            header.add("");
        }
        header.addAll(rows.get(0).metrics().keySet());
        header.add("queries");
        cells.add(header);
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = new ArrayList<>();
            if (labels != null) {
                row.add(labels.get(r));
            }
            for (double value : rows.get(r).metrics().values()) {
                row.add(String.format(Locale.ROOT, "%.4f", value));
            }
            row.add(Integer.toString(rows.get(r).queries()));
            cells.add(row);
        }
        int[] widths = new int[header.size()];
        for (List<String> row : cells) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (List<String> row : cells) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                boolean label = labels != null && c == 0;
                String format = label ? "%-" + widths[c] + "s" : "%" + widths[c] + "s";
                line.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, row.get(c)));
            }
            out.println(line);
        }
        out.flush();
    }

    /** For example {@code 42.3 s}, {@code 12m05s} or {@code 2h03m}. */
    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        return s < 3600 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
    }

    private static void write(Evaluation evaluation, JsonWriter json) throws IOException {
        if (evaluation == null) {
            json.nullValue();
            return;
        }
        json.beginObject();
        for (Map.Entry<String, Double> metric : evaluation.metrics().entrySet()) {
            json.name(metric.getKey()).value(metric.getValue());
        }
        json.name("queries").value(evaluation.queries());
        json.endObject();
    }

    private interface Body {
        void write(JsonWriter json) throws IOException;
    }

    /** Gson's stream writer keeps the keys in order; spaces after {@code :} and {@code ,} as the usage shows. */
    private static void print(Body body, PrintStream out) {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.setFormattingStyle(FormattingStyle.COMPACT.withSpaceAfterSeparators(true));
            json.setHtmlSafe(false);
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        out.println(text);
        out.flush();
    }
}
