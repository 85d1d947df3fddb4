package io.prunestream.evaluator.service;

import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.ModelCost;
import io.prunestream.events.Precision;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.ThresholdScope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A self-contained HTML page for one run: top-1 against sparsity per method for the latest checkpoint, top-1 against
 * multiply-adds where the models' costs are known, top-1 over epochs per sparsity (each curve with its 95% band), and
 * every evaluation in a table with its interval, its drop against dense with the paired interval and McNemar's p, and
 * what each model costs (parameters, multiply-adds, bytes, single-image latency). Inline SVG, no external assets.
 */
public final class ReportPage {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
        "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int MARGIN = 50;

    private ReportPage() {
    }

    /**
     * @param variantsUrl the pruner's base URL, where each variant's SavedModel is downloaded from
     *     ({@code <variantsUrl>/variants/<id>/savedmodel.tar.gz})
     */
    public static String render(String runId, List<EvaluationEvent> evaluations, String variantsUrl) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>prunestream: ").append(escape(runId))
                .append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}</style></head><body>")
                .append("<h1>Run ").append(escape(runId)).append("</h1>");
        if (evaluations.isEmpty()) {
            return html.append("<p>No evaluations yet.</p></body></html>").toString();
        }
        int latest = evaluations.stream().mapToInt(EvaluationEvent::epoch).max().orElse(0);
        List<EvaluationEvent> last = evaluations.stream().filter(e -> e.epoch() == latest).toList();
        html.append("<h2>Top-1 against sparsity (epoch ").append(latest).append(")</h2>");
        html.append(chart(series(last, ReportPage::methodLabel, e -> e.method() == PruningMethod.DENSE),
                EvaluationEvent::targetSparsity, "sparsity", 0, 1, true));
        List<EvaluationEvent> costed = last.stream().filter(e -> e.cost() != null).toList();
        if (costed.size() > 1) {
            html.append("<h2>Top-1 against multiply-adds per image (epoch ").append(latest).append(")</h2>");
            double most = costed.stream().mapToDouble(ReportPage::megaMultiplyAdds).max().orElse(1);
            html.append(chart(series(costed, ReportPage::methodLabel, e -> e.method() == PruningMethod.DENSE),
                    ReportPage::megaMultiplyAdds, "multiply-adds (millions)", 0, Math.ceil(most), false));
        }
        html.append(LayerTable.render(last));
        html.append("<h2>Top-1 over epochs</h2>");
        html.append(chart(series(evaluations, e -> e.method() == PruningMethod.DENSE ? "dense"
                : methodLabel(e) + " " + percent(e.targetSparsity()), e -> false), e -> e.epoch(), "epoch",
                evaluations.stream().mapToInt(EvaluationEvent::epoch).min().orElse(0), Math.max(latest,
                evaluations.stream().mapToInt(EvaluationEvent::epoch).min().orElse(0) + 1), false));
        html.append("<h2>Evaluations</h2><table><tr><th>epoch</th><th>method</th><th>sparsity</th>"
                + "<th>achieved</th><th>top-1 (95% interval)</th><th>drop, points [95%]</th><th>p (McNemar)</th>"
                + "<th>images (stop)</th>"
                + "<th>top-5</th><th>loss</th><th>parameters</th>"
                + "<th>multiply-adds</th><th>size kB</th><th>latency ms</th><th>images/s</th><th>device</th>"
                + "<th>input</th><th>model</th></tr>");
        List<EvaluationEvent> sorted = new ArrayList<>(evaluations);
        sorted.sort(Comparator.comparingInt(EvaluationEvent::epoch).thenComparing(ReportPage::methodLabel)
                .thenComparingDouble(EvaluationEvent::targetSparsity));
        for (EvaluationEvent e : sorted) {
            ModelCost cost = e.cost();
            html.append(String.format(Locale.ROOT, "<tr><td>%d</td><td style=\"text-align:left\">%s</td><td>%s</td>"
                    + "<td>%.4f</td><td>%s</td>%s<td>%s</td><td>%.4f</td><td>%.4f</td><td>%s</td><td>%s</td><td>%s</td>"
                    + "<td>%s</td><td>%.0f</td><td>%s</td><td>%s</td><td>%s</td></tr>",
                    e.epoch(), escape(methodLabel(e)), percent(e.targetSparsity()), e.achievedSparsity(),
                    withInterval(e), drop(e), images(e),
                    e.top5(), e.loss(), cost == null ? "" : String.format(Locale.ROOT, "%,d", cost.parameters()),
                    cost == null ? "" : String.format(Locale.ROOT, "%,d", cost.multiplyAdds()),
                    cost == null ? "" : String.format(Locale.ROOT, "%,.0f", cost.fileBytes() / 1000.0),
                    e.latencyMs() == null ? "" : String.format(Locale.ROOT, "%.2f", e.latencyMs()),
                    e.imagesPerSecond(), escape(e.device() + (e.precision() == Precision.BFLOAT16 ? ", bfloat16"
                            : "")), e.input() == null ? "" : escape(e.input().shape()
                            .toString()), download(e, runId, variantsUrl)));
        }
        return html.append("</table></body></html>").toString();
    }

    /** A link to the variant's SavedModel on the pruner; the dense checkpoint is the uploader's own. */
    private static String download(EvaluationEvent e, String runId, String variantsUrl) {
        if (e.method() == PruningMethod.DENSE) {
            return "";
        }
        String base = variantsUrl.endsWith("/") ? variantsUrl.substring(0, variantsUrl.length() - 1) : variantsUrl;
        return "<a href=\"" + escape(base + "/variants/" + e.variantId() + "/savedmodel.tar.gz?runId=" + runId)
                + "\">" + escape(e.variantId()) + ".tar.gz</a>";
    }

    private static Map<String, List<EvaluationEvent>> series(List<EvaluationEvent> events,
            Function<EvaluationEvent, String> name, java.util.function.Predicate<EvaluationEvent> sharedByAll) {
        Map<String, List<EvaluationEvent>> series = new TreeMap<>();
        for (EvaluationEvent e : events) {
            if (!sharedByAll.test(e)) {
                series.computeIfAbsent(name.apply(e), k -> new ArrayList<>()).add(e);
            }
        }
        // The dense model is every curve's point at sparsity 0.
        for (EvaluationEvent e : events) {
            if (sharedByAll.test(e)) {
                series.values().forEach(list -> list.add(e));
                series.computeIfAbsent("dense", k -> new ArrayList<>()).add(e);
            }
        }
        return series;
    }

    private static String chart(Map<String, List<EvaluationEvent>> series, ToDoubleFunction<EvaluationEvent> x,
            String xLabel, double xMin, double xMax, boolean percentAxis) {
        double yMin = series.values().stream().flatMap(List::stream).mapToDouble(EvaluationEvent::top1).min()
                .orElse(0);
        yMin = Math.max(0, Math.floor(yMin * 10) / 10);
        double yMax = 1;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">", WIDTH + 220,
                HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#999\"/>", MARGIN, 10, WIDTH - MARGIN - 10, HEIGHT - MARGIN - 10));
        for (int i = 0; i <= 5; i++) {
            double yv = yMin + (yMax - yMin) * i / 5;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">"
                    + "%.2f</text>", MARGIN - 4, py(yv, yMin, yMax) + 4, yv));
        }
        // Sparsity in steps of 20%; epochs are whole numbers, so label each one (or every n-th of many).
        double step = percentAxis ? (xMax - xMin) / 5 : Math.max(1, Math.ceil((xMax - xMin) / 10));
        for (double xv = xMin; xv <= xMax + 1e-9; xv += step) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor="
                    + "\"middle\">%s</text>", px(xv, xMin, xMax), HEIGHT - MARGIN + 16, percentAxis
                    ? percent(xv) : String.format(Locale.ROOT, "%.0f", xv)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s"
                + "</text>", (WIDTH + MARGIN) / 2, HEIGHT - 8, xLabel));
        if (percentAxis && series.containsKey("dense")) {
            // The dense model's accuracy as a reference line across the whole sparsity range.
            double dense = series.get("dense").get(0).top1();
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\""
                    + " stroke=\"%s\" stroke-dasharray=\"4 4\"/>", MARGIN, WIDTH - 10, py(dense, yMin, yMax),
                    py(dense, yMin, yMax), COLOURS[0]));
        }
        int colour = 0;
        int legend = 20;
        for (Map.Entry<String, List<EvaluationEvent>> line : series.entrySet()) {
            String stroke = COLOURS[colour++ % COLOURS.length];
            List<EvaluationEvent> points = new ArrayList<>(line.getValue());
            points.sort(Comparator.comparingDouble(x));
            StringBuilder path = new StringBuilder();
            for (EvaluationEvent p : points) {
                double cx = px(x.applyAsDouble(p), xMin, xMax);
                double cy = py(p.top1(), yMin, yMax);
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", cx, cy));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>"
                        + "%s: %.4f</title></circle>", cx, cy, stroke, escape(line.getKey()), p.top1()));
            }
            svg.append(band(points, x, xMin, xMax, yMin, yMax, stroke));
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(stroke)
                    .append("\" stroke-width=\"2\"/>");
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>",
                    WIDTH + 10, legend, stroke, escape(line.getKey())));
            legend += 16;
        }
        return svg.append("</svg>").toString();
    }

    /**
     * The curve's 95% band: its points' top-1 intervals joined, upper ends left to right, lower ends back; nothing
     * where a point has no interval (evaluations made before they were recorded).
     */
    private static String band(List<EvaluationEvent> points, ToDoubleFunction<EvaluationEvent> x, double xMin,
            double xMax, double yMin, double yMax, String colour) {
        if (points.size() < 2 || points.stream().anyMatch(p -> p.top1Interval() == null)) {
            return "";
        }
        StringBuilder polygon = new StringBuilder();
        for (EvaluationEvent p : points) {
            polygon.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(x.applyAsDouble(p), xMin, xMax),
                    py(Math.max(yMin, p.top1Interval().high()), yMin, yMax)));
        }
        for (int i = points.size() - 1; i >= 0; i--) {
            EvaluationEvent p = points.get(i);
            polygon.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(x.applyAsDouble(p), xMin, xMax),
                    py(Math.max(yMin, p.top1Interval().low()), yMin, yMax)));
        }
        return "<polygon points=\"" + polygon.toString().trim() + "\" fill=\"" + colour
                + "\" fill-opacity=\"0.15\" stroke=\"none\"><title>95% interval</title></polygon>";
    }

    /** {@code 0.9021 (0.8962-0.9077)}: the top-1 and its interval, where the event has one. */
    private static String withInterval(EvaluationEvent e) {
        return e.top1Interval() == null ? String.format(Locale.ROOT, "%.4f", e.top1())
                : String.format(Locale.ROOT, "%.4f (%.4f-%.4f)", e.top1(), e.top1Interval().low(),
                        e.top1Interval().high());
    }

    /** {@code 4,608 of 10,000 (precise)}: the images scored, and of how many and why it stopped if sequentially. */
    private static String images(EvaluationEvent e) {
        return e.stopping() == null ? String.format(Locale.ROOT, "%,d", e.samples()) : String.format(Locale.ROOT,
                "%,d of %,d (%s)", e.samples(), e.stopping().splitImages(), e.stopping().reason());
    }

    /** The drop against dense in points with its interval, and McNemar's p, for a compared variant. */
    private static String drop(EvaluationEvent e) {
        if (e.dropVsDense() == null) {
            return "<td></td><td></td>";
        }
        return String.format(Locale.ROOT, "<td>%.2f [%.2f, %.2f]</td><td>%.3g</td>", 100 * e.dropVsDense().estimate(),
                100 * e.dropVsDense().low(), 100 * e.dropVsDense().high(), e.disagreements().pValue());
    }

    private static double px(double x, double min, double max) {
        return MARGIN + (x - min) / Math.max(max - min, 1e-9) * (WIDTH - MARGIN - 10);
    }

    private static double py(double y, double min, double max) {
        return 10 + (1 - (y - min) / Math.max(max - min, 1e-9)) * (HEIGHT - MARGIN - 10);
    }

    static String methodLabel(EvaluationEvent e) {
        return e.method() == PruningMethod.DENSE ? "dense" : e.method().wireName()
                + (e.recoveryScope() == null || e.method() != PruningMethod.THRESHOLD_MEAN ? ""
                : " (" + e.recoveryScope().wireName() + ")")
                + (e.thresholdScope() == ThresholdScope.GLOBAL ? " (global)" : "")
                + (e.calibration() == null ? "" : " + " + e.calibration().method())
                + (!e.fineTuned() ? "" : ", fine-tuned " + e.fineTuneEpochs()
                + (e.fineTuneEpochs() == 1 ? " epoch" : " epochs"));
    }

    private static double megaMultiplyAdds(EvaluationEvent e) {
        return e.cost().multiplyAdds() / 1e6;
    }

    static String percent(double value) {
        return String.format(Locale.ROOT, "%.0f%%", value * 100);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
