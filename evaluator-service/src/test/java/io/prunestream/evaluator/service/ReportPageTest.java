package io.prunestream.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunestream.events.Disagreements;
import io.prunestream.events.DropVsDense;
import io.prunestream.events.EvaluationEvent;
import io.prunestream.events.LayerReport;
import io.prunestream.events.PruningMethod;
import io.prunestream.events.RecoveryScope;
import io.prunestream.events.ScoreInterval;
import io.prunestream.events.StopReason;
import io.prunestream.events.Stopping;
import io.prunestream.events.ThresholdScope;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportPageTest {

    @Test
    void curvesCarryTheirBandsAndTheTableItsIntervalsDropsAndPValues() {
        EvaluationEvent dense = EvaluationEvent.builder().runId("r").checkpointId("c").variantId("c")
                .method(PruningMethod.DENSE).top1(0.9).top5(1).loss(0.3).samples(10_000).device("cpu")
                .imagesPerSecond(1000).batchSize(256).dataset("d").top1Interval(new ScoreInterval(0.894, 0.9058, 0.95))
                .build();
        List<EvaluationEvent> run = List.of(dense, variant(dense, 0.5, 0.897, 0.003, 0.001, 0.005, 0.0031),
                variant(dense, 0.9, 0.85, 0.05, 0.045, 0.055, 1e-40).toBuilder().samples(256)
                        .stopping(new Stopping(StopReason.BROKEN, 10_000, 0.005, 0.2)).build());

        String html = ReportPage.render("r", run, "http://pruner");

        assertThat(html).contains("<polygon points=\"", "fill-opacity=\"0.15\"", "<title>95% interval</title>",
                "<th>top-1 (95% interval)</th><th>drop, points [95%]</th><th>p (McNemar)</th>",
                "<td>0.9000 (0.8940-0.9058)</td><td></td><td></td>",
                "<td>0.8970 (0.8910-0.9030)</td><td>0.30 [0.10, 0.50]</td><td>0.00310</td>",
                "<td>5.00 [4.50, 5.50]</td><td>1.00e-40</td><td>256 of 10,000 (broken)</td>",
                "<th>images (stop)</th>", "<td>0.30 [0.10, 0.50]</td><td>0.00310</td><td>10,000</td>");
    }

    @Test
    void eachKernelsSparsityIsTabledPerUnstructuredVariantWithMagnitudeFallbacksMarked() {
        EvaluationEvent dense = EvaluationEvent.builder().runId("r").checkpointId("c").variantId("c")
                .method(PruningMethod.DENSE).top1(0.9).top5(1).loss(0.3).samples(10_000).device("cpu")
                .imagesPerSecond(1000).batchSize(256).dataset("d").build();
        EvaluationEvent obs = variant(dense, 0.9, 0.85, 0.05, 0.045, 0.055, 1e-40).toBuilder().variantId("c-obs")
                .method(PruningMethod.OBS).thresholdScope(ThresholdScope.GLOBAL)
                .layers(List.of(new LayerReport("conv1/kernel", 288, 72, 0.1, null, "exact"),
                        new LayerReport("dense/kernel", 802_816, 762_675, 0.2, null, "magnitude: 3136 inputs")))
                .build();
        EvaluationEvent zeroed = variant(dense, 0.5, 0.88, 0.02, 0.01, 0.03, 0.001).toBuilder()
                .layers(List.of(new LayerReport("conv1/kernel", 288, 144, 0.1, null))).build();

        String html = ReportPage.render("r", List.of(dense, obs, zeroed), "http://pruner");

        assertThat(html).contains("<h2>Sparsity of each kernel (epoch 0)</h2>",
                "<th>obs (global)<br>90%</th><th>threshold<br>50%</th>",
                "<td style=\"text-align:left\">conv1/kernel</td><td>288</td><td title=\"exact\">25.0%</td>"
                        + "<td>50.0%</td>",
                "<td style=\"text-align:left\">dense/kernel</td><td>802,816</td>"
                        + "<td title=\"magnitude: 3136 inputs\">95.0% *</td><td></td>",
                "* obs could not reconstruct this kernel");
        assertThat(ReportPage.render("r", List.of(dense), "http://pruner")).doesNotContain("Sparsity of each kernel");
    }

    private static EvaluationEvent variant(EvaluationEvent dense, double sparsity, double top1, double drop,
            double low, double high, double p) {
        return dense.toBuilder().variantId("c-s" + sparsity).method(PruningMethod.THRESHOLD)
                .thresholdScope(ThresholdScope.LAYER).recoveryScope(RecoveryScope.NONE).targetSparsity(sparsity)
                .achievedSparsity(sparsity).top1(top1).top1Interval(new ScoreInterval(top1 - 0.006, top1 + 0.006, 0.95))
                .dropVsDense(new DropVsDense(drop, low, high, 0.95)).disagreements(new Disagreements(60, 30, p))
                .build();
    }
}
