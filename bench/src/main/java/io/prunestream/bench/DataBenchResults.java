package io.prunestream.bench;

import java.util.List;
import java.util.Map;

/** {@code bench/results/data.json}: the machine, and one row per dataset and pass ({@link DataBenchRun}). */
record DataBenchResults(String machine, List<Map<String, Object>> rows) {
}
