package dev.reranker.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Pairs per second against batch size, one line per backend and dtype, as a self-contained SVG. */
final class HeadlineChart {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 400;
    private static final int LEFT = 70;
    private static final int RIGHT = 210;
    private static final int TOP = 50;
    private static final int BOTTOM = 50;
    private static final int[] BATCHES = {1, 4, 8, 16, 32, 64};
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private HeadlineChart() {}

    /** Re-renders a chart from a headline file: {@code HeadlineChart headline.json headline.svg}. */
    public static void main(String[] args) throws java.io.IOException {
        JsonObject headline = com.google.gson.JsonParser.parseString(
                java.nio.file.Files.readString(java.nio.file.Path.of(args[0]))).getAsJsonObject();
        java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]),
                svg(headline.getAsJsonArray("results"), headline.getAsJsonObject("gemm_gflops")));
    }

    static String svg(JsonArray results, JsonObject gemm) {
        Map<String, TreeMap<Integer, Double>> lines = new TreeMap<>();
        List<String[]> flat = new ArrayList<>(); // single points: peers measured at one batch size
        double max = 0;
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            if (!r.get("workload").getAsString().equals("mixed") || !r.get("allocator").getAsString().equals("default")
                    || (r.has("model") && !r.get("model").getAsString().equals(Headline.MODEL))) {
                continue; // the chart is the main model's
            }
            String backend = r.get("backend").getAsString();
            boolean peer = backend.equals("djl-stock") || backend.equals("onnxruntime");
            String name = peer ? backend + " (one call)"
                    : backend + " " + r.get("dtype").getAsString()
                            + (r.get("batching").getAsString().equals("unsorted") ? " unsorted" : "");
            double pairs = r.get("pairs_per_s").getAsDouble();
            int batch = r.get("batch_size").getAsInt();
            lines.computeIfAbsent(name, k -> new TreeMap<>()).put(batch, pairs);
            max = Math.max(max, pairs);
        }
        double yMax = niceCeiling(max);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">Reranking throughput: "
                + "MiniLM-L6 shape, mixed workload (100 documents per query)</text>%n"
                + "<text x=\"%d\" y=\"36\" fill=\"#555\">matrix multiply limit: fp32 %s, bf16 %s GFLOP/s</text>%n",
                LEFT - 40, LEFT - 40, gemm.get("fp32"), gemm.get("bf16")));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#444\"/>%n", LEFT, TOP, plotW, plotH));
        for (int i = 0; i <= 4; i++) {
            double value = yMax * i / 4;
            double y = TOP + plotH - plotH * i / 4.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n",
                    LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, value));
        }
        for (int i = 0; i < BATCHES.length; i++) {
            double x = x(i, plotW);
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    x, TOP + plotH + 18, BATCHES[i]));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">all</text>%n",
                x(BATCHES.length - 1, plotW) + 30, TOP + plotH + 18));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">batch size "
                + "(peers: all pairs of a query in one call)</text>%n", LEFT + plotW / 2, HEIGHT - 12));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" "
                + "text-anchor=\"middle\">pairs / s</text>%n", TOP + plotH / 2, TOP + plotH / 2));
        int colour = 0;
        int legendY = TOP + 10;
        for (Map.Entry<String, TreeMap<Integer, Double>> line : lines.entrySet()) {
            String c = COLOURS[colour++ % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (Map.Entry<Integer, Double> p : line.getValue().entrySet()) {
                int index = indexOf(p.getKey());
                double x = index < 0 ? x(BATCHES.length - 1, plotW) + 30 : x(index, plotW);
                double y = TOP + plotH - plotH * p.getValue() / yMax;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, c));
            }
            if (line.getValue().size() > 1) {
                svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                        + "stroke-width=\"2\"/>%n", points.toString().trim(), c));
            }
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", WIDTH - RIGHT + 12, legendY - 10, c,
                    WIDTH - RIGHT + 30, legendY, line.getKey()));
            legendY += 20;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double x(int index, int plotW) {
        return LEFT + 20 + (plotW - 60) * index / (double) (BATCHES.length - 1);
    }

    private static int indexOf(int batch) {
        for (int i = 0; i < BATCHES.length; i++) {
            if (BATCHES[i] == batch) {
                return i;
            }
        }
        return -1;
    }

    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
