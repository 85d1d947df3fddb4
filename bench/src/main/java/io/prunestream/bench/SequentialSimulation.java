package io.prunestream.bench;

import io.prunestream.statistics.DropSequence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The evaluator's sequential rule simulated on splits whose two models' results are fixed, so that the drop over the
 * whole split is known: for each case (a drop and a share of images the two disagree on, 0 drop included), the split
 * is scored in {@code orders} random orders, image by image to its end, through the same {@link DropSequence} and
 * the evaluator's rule (looked at after every batch of 256: stop once the interval is within ±0.5 points or wholly
 * above 20). Reports the time-uniform coverage (no interval, at any image, excludes the split's drop), the coverage at
 * the stop, and the images the rule scored.
 *
 * <p>{@code SequentialSimulation <results.json> <results.md> [split images] [orders]}
 */
public final class SequentialSimulation {

    private static final int BATCH = 256;
    private static final double TOLERANCE = 0.005;
    private static final double BROKEN = 0.2;
    private static final double[][] CASES = {{0, 0}, {0, 0.01}, {0, 0.02}, {0.003, 0.03}, {0.01, 0.06},
        {0.015, 0.08}, {0.05, 0.15}, {0.30, 0.40}};

    private SequentialSimulation() {
    }

    public static void main(String[] args) throws Exception {
        Path json = Path.of(args[0]);
        Path md = Path.of(args[1]);
        int split = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int orders = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> lines = new ArrayList<>(List.of("# Sequential evaluation, simulated (" + java.time.LocalDate.now()
                + ")", "", "A split of " + String.format(Locale.ROOT, "%,d", split) + " images on which the dense"
                + " model and a variant each get fixed images right (90% of the images the two agree on are right for"
                + " both), scored in " + String.format(Locale.ROOT, "%,d", orders) + " random orders per case, each"
                + " to the split's end, through score-statistics' DropSequence at 95% and the evaluator's rule (looked"
                + " at after every batch of 256: stop once within ±0.5 points, or wholly above a 20-point drop)."
                + " Time-uniform coverage: the orders in which no interval, at any image, excludes the split's drop.",
                "", "| drop, points | images disagreeing | time-uniform coverage | coverage at the stop | images to the"
                + " stop: median | mean | stops: precise / broken / exhausted |", "|---|---|---|---|---|---|---|"));
        for (double[] c : CASES) {
            Map<String, Object> row = simulate(c[0], c[1], split, orders);
            rows.add(row);
            lines.add(String.format(Locale.ROOT, "| %.1f | %.0f%% | %.4f | %.4f | %,d | %,.0f | %s |", 100 * c[0],
                    100 * c[1], row.get("timeUniformCoverage"), row.get("coverageAtStop"), row.get("medianStop"),
                    row.get("meanStop"), row.get("stops")));
            System.out.println(lines.get(lines.size() - 1));
        }
        BenchIo.createParent(json);
        BenchIo.writeJson(json, Map.of("splitImages", split, "orders", orders, "tolerance", TOLERANCE,
                "brokenDrop", BROKEN, "cases", rows));
        Files.writeString(md, String.join("\n", lines) + "\n");
    }

    private static Map<String, Object> simulate(double drop, double discordant, int split, int orders) {
        int denseOnly = (int) Math.round(split * (discordant + drop) / 2);
        int variantOnly = (int) Math.round(split * (discordant - drop) / 2);
        boolean[] dense = new boolean[split];
        boolean[] variant = new boolean[split];
        for (int i = 0; i < split; i++) {
            boolean agreed = i < 0.9 * split;
            dense[i] = i < denseOnly || i >= denseOnly + variantOnly && agreed;
            variant[i] = i >= denseOnly && i < denseOnly + variantOnly || i >= denseOnly + variantOnly && agreed;
        }
        double truth = (denseOnly - variantOnly) / (double) split;
        SplittableRandom random = new SplittableRandom(20_261_207L);
        int[] order = new int[split];
        int[] stopsAt = new int[orders];
        int uniformMisses = 0;
        int stopMisses = 0;
        int[] reasons = new int[3];
        for (int run = 0; run < orders; run++) {
            for (int i = 0; i < split; i++) {
                order[i] = i;
            }
            for (int i = split - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            DropSequence sequence = new DropSequence(0.95, split);
            boolean missed = false;
            int stop = 0;
            for (int i = 0; i < split; i++) {
                sequence.add(dense[order[i]], variant[order[i]]);
                missed |= !sequence.interval().contains(truth);
                if (stop == 0 && ((i + 1) % BATCH == 0 || i + 1 == split)) {
                    boolean precise = sequence.interval().width() <= 2 * TOLERANCE;
                    boolean broken = sequence.interval().low() > BROKEN;
                    if (i + 1 == split || precise || broken) {
                        stop = i + 1;
                        reasons[i + 1 == split ? 2 : precise ? 0 : 1]++;
                        stopMisses += sequence.interval().contains(truth) ? 0 : 1;
                    }
                }
            }
            stopsAt[run] = stop;
            uniformMisses += missed ? 1 : 0;
        }
        Arrays.sort(stopsAt);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("drop", truth);
        row.put("discordant", (denseOnly + variantOnly) / (double) split);
        row.put("timeUniformCoverage", 1 - uniformMisses / (double) orders);
        row.put("coverageAtStop", 1 - stopMisses / (double) orders);
        row.put("medianStop", stopsAt[orders / 2]);
        row.put("meanStop", Arrays.stream(stopsAt).average().orElse(0));
        row.put("stops", reasons[0] + " / " + reasons[1] + " / " + reasons[2]);
        return row;
    }
}
