package io.prunestream.evaluator.service;

import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.LayerReport;
import io.prunestream.events.PruningMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The report's table of each kernel's sparsity in each unstructured variant of one epoch: where a global allocation
 * put the budget (one kernel at 99%, another at 40%), which is what explains a variant's score as often as its
 * overall sparsity. A kernel that {@code obs} could not reconstruct, and pruned by magnitude instead, is marked.
 */
final class LayerTable {

    private LayerTable() {
    }

    /** The table's HTML, or nothing when no variant of {@code evaluations} reports its layers. */
    static String render(List<EvaluationEvent> evaluations) {
        List<EvaluationEvent> variants = new ArrayList<>(evaluations.stream()
                .filter(e -> e.layers() != null && !e.layers().isEmpty() && unstructured(e.method())).toList());
        if (variants.isEmpty()) {
            return "";
        }
        variants.sort(Comparator.comparing(ReportPage::methodLabel)
                .thenComparingDouble(EvaluationEvent::targetSparsity));
        Set<String> kernels = new LinkedHashSet<>();
        variants.forEach(e -> e.layers().forEach(l -> kernels.add(l.name())));
        StringBuilder html = new StringBuilder("<h2>Sparsity of each kernel (epoch ")
                .append(variants.get(0).epoch()).append(")</h2><table><tr><th>kernel</th><th>weights</th>");
        for (EvaluationEvent e : variants) {
            html.append("<th>").append(ReportPage.escape(ReportPage.methodLabel(e))).append("<br>")
                    .append(ReportPage.percent(e.targetSparsity())).append("</th>");
        }
        html.append("</tr>");
        List<Map<String, LayerReport>> reports = variants.stream().map(LayerTable::byName).toList();
        boolean marked = false;
        for (String kernel : kernels) {
            html.append("<tr><td style=\"text-align:left\">").append(ReportPage.escape(kernel)).append("</td><td>");
            String size = "";
            StringBuilder cells = new StringBuilder();
            for (Map<String, LayerReport> report : reports) {
                LayerReport layer = report.get(kernel);
                if (layer == null) {
                    cells.append("<td></td>");
                    continue;
                }
                size = String.format(Locale.ROOT, "%,d", layer.parameters());
                boolean magnitude = layer.solver() != null && layer.solver().startsWith("magnitude");
                marked |= magnitude;
                cells.append(layer.solver() == null ? "<td>" : "<td title=\"" + ReportPage.escape(layer.solver())
                        + "\">").append(String.format(Locale.ROOT, "%.1f%%", 100 * layer.sparsity()))
                        .append(magnitude ? " *" : "").append("</td>");
            }
            html.append(size).append("</td>").append(cells).append("</tr>");
        }
        html.append("</table>");
        if (marked) {
            html.append("<p>* obs could not reconstruct this kernel and pruned it by magnitude (hover for why).</p>");
        }
        return html.toString();
    }

    private static boolean unstructured(PruningMethod method) {
        return method == PruningMethod.THRESHOLD || method == PruningMethod.THRESHOLD_MEAN
                || method == PruningMethod.OBS;
    }

    private static Map<String, LayerReport> byName(EvaluationEvent e) {
        return e.layers().stream().collect(Collectors.toMap(LayerReport::name, Function.identity(), (a, b) -> a));
    }
}
