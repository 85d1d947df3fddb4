package io.prunestream.bench;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code bench/results/load.md} from the load test's measurements. */
final class LoadReport {

    /** One row of the lag table per this many milliseconds. */
    private static final long LAG_ROW_MS = 30_000;

    private LoadReport() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> m, Collection<String> lagNames) {
        int count = (int) m.get("checkpoints");
        long evaluated = ((Number) m.get("allEvaluatedMs")).longValue();
        List<Long> latencies = (List<Long>) m.get("checkpointLatencyMs");
        List<Map<String, Long>> lag = (List<Map<String, Long>>) m.get("lag");
        StringBuilder md = new StringBuilder();
        md.append("## Counts\n\n| | expected | found | twice | lost |\n|---|---|---|---|---|\n");
        md.append(row("checkpoint events sent", count, count, "", ""));
        md.append(row("variants pruned (variant ids on `variants`)", m.get("expectedVariants"), m.get("variantIds"),
                m.get("prunedTwice"), ""));
        md.append(row("models scored (ids on `evaluations`)", m.get("expectedEvaluations"), m.get("evaluatedIds"),
                m.get("scoredTwice"), m.get("lost")));
        md.append(row("results stored by the evaluators", m.get("expectedEvaluations"), m.get("storedResults"), "",
                ""));
        md.append(String.format(Locale.ROOT, "%nCheckpoint events per partition of `checkpoints`: %s. "
                + "Evaluation records repeated under the same event id: %s.%n%n", m.get("checkpointsPerPartition"),
                m.get("repeatedEvaluationRecords")));
        md.append("## Throughput\n\n| what | value |\n|---|---|\n");
        md.append(String.format(Locale.ROOT, "| all %d checkpoints pruned (first send to last variant record) | "
                + "%.1f s |%n", count, ((Number) m.get("allPrunedMs")).longValue() / 1000.0));
        md.append(String.format(Locale.ROOT, "| all scored (first send to last evaluation record) | %.1f s |%n",
                evaluated / 1000.0));
        md.append(String.format(Locale.ROOT, "| checkpoints per minute, end to end | %.1f |%n",
                count * 60_000.0 / evaluated));
        md.append(String.format(Locale.ROOT, "| evaluations per second | %.2f |%n",
                ((Number) m.get("evaluatedIds")).intValue() * 1000.0 / evaluated));
        if (!latencies.isEmpty()) {
            md.append(String.format(Locale.ROOT, "| one checkpoint's send to its last evaluation: median, 90th "
                    + "percentile, max | %.1f s, %.1f s, %.1f s |%n", at(latencies, 0.5) / 1000.0,
                    at(latencies, 0.9) / 1000.0, latencies.get(latencies.size() - 1) / 1000.0));
        }
        md.append("\n## Work per replica (from each replica's log)\n\n| replica | did |\n|---|---|\n");
        ((Map<String, Long>) m.get("replicaWork")).forEach((replica, n) -> md.append(String.format(Locale.ROOT,
                "| %s | %d %s |%n", replica, n,
                replica.startsWith("pruner") ? "checkpoints pruned" : "models scored")));
        md.append("\n## Consumer lag (records not yet committed by the group)\n\n| s |");
        lagNames.forEach(name -> md.append(' ').append(name).append(" |"));
        md.append("\n|---|").append("---|".repeat(lagNames.size())).append('\n');
        long nextRow = 0;
        for (int i = 0; i < lag.size(); i++) {
            Map<String, Long> sample = lag.get(i);
            if (sample.get("ms") >= nextRow || i == lag.size() - 1) {
                md.append(String.format(Locale.ROOT, "| %.0f |", sample.get("ms") / 1000.0));
                lagNames.forEach(name -> md.append(' ').append(sample.get(name)).append(" |"));
                md.append('\n');
                nextRow = sample.get("ms") + LAG_ROW_MS;
            }
        }
        md.append("\n| group and topic | highest lag | drained after |\n|---|---|---|\n");
        for (String name : lagNames) {
            long max = lag.stream().mapToLong(s -> s.get(name)).max().orElse(0);
            long drained = 0;
            for (Map<String, Long> sample : lag) {
                if (sample.get(name) > 0) {
                    drained = -1;
                } else if (drained < 0) {
                    drained = sample.get("ms");
                }
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %s |%n", name, max,
                    drained < 0 ? "not drained" : String.format(Locale.ROOT, "%.0f s", drained / 1000.0)));
        }
        return md.toString();
    }

    private static String row(String what, Object expected, Object found, Object twice, Object lost) {
        return "| " + what + " | " + expected + " | " + found + " | " + twice + " | " + lost + " |\n";
    }

    private static long at(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(quantile * sorted.size())));
    }
}
