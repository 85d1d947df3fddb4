package io.prunestream.evaluator;

import io.prunestream.datasets.LabeledImages;
import io.prunestream.datasets.SyntheticImages;
import io.prunestream.tensorflow.SavedModelReader;
import io.prunestream.tensorflow.model.FilterGroup;
import io.prunestream.tensorflow.structured.FilterRemoval;
import io.prunestream.tensorflow.structured.NetworkStructure;
import io.prunestream.tensorflow.testing.ForeignModel;
import io.prunestream.tensorflow.testing.ForeignModels;
import io.prunestream.tensorflow.testing.TrainedModels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A model store with one trained checkpoint, a TPP-trained ResNet and its physically smaller variant (the chosen
 * filters removed), a model of each foreign kind (as Keras and other exporters write them), and two datasets:
 * {@code synthetic} (also configured as {@code fashion-mnist}) and {@code shifted}, the same images with other labels.
 */
public class ScoredModelsResource implements QuarkusTestResourceLifecycleManager {

    public static final String RUN = "eval-run";
    public static final String CHECKPOINT = "eval-run-e001";
    public static final String RESNET = "eval-run-resnet-e003";
    public static final String SMALLER = "eval-run-resnet-e003-tpp-r5000";
    /** The run under which the foreign fixtures are stored, one checkpoint per {@link ForeignModel.Kind#label()}. */
    public static final String FOREIGN = "foreign";
    /** A Keras MLP trained on the {@code shifted} dataset (labels moved on by {@link #SHIFT}). */
    public static final String SHIFTED_MODEL = "keras-mlp-shifted";
    public static final int SHIFT = 3;

    @Override
    public Map<String, String> start() {
        try {
            Path root = TestRoot.get();
            Path store = TestRoot.store();
            TrainedModels.smallCnn(store.resolve("checkpoints").resolve(RUN).resolve(CHECKPOINT));
            TrainedModels.TppCheckpoint tpp = TrainedModels.tppResNet(store.resolve("checkpoints").resolve(RUN)
                    .resolve(RESNET));
            List<int[]> kept = new ArrayList<>();
            List<FilterGroup> groups = NetworkStructure.of(tpp.network()).filterGroups();
            for (int g = 0; g < groups.size(); g++) {
                int[] removed = tpp.removed().get(g);
                kept.add(IntStream.range(0, groups.get(g).filters())
                        .filter(i -> Arrays.stream(removed).noneMatch(r -> r == i)).toArray());
            }
            FilterRemoval.remove(SavedModelReader.read(tpp.model()), NetworkStructure.of(tpp.network()), kept, store.resolve("variants").resolve(RUN).resolve(SMALLER));
            SyntheticImages.writeIdx(root.resolve("data"), 320, 300, 28);
            SyntheticImages.writeIdx(root.resolve("shifted"), 320, 300, 28, SHIFT);
            LabeledImages train = SyntheticImages.generate(320, 28, 1);
            for (ForeignModel.Kind kind : ForeignModel.Kind.fixtures()) {
                ForeignModels.write(kind, store.resolve("checkpoints").resolve(FOREIGN).resolve(kind.label()), train,
                        150, 7);
            }
            // The same network trained on the second dataset: right there, wrong on the first.
            ForeignModels.write(ForeignModel.Kind.KERAS_MLP_FLAT, store.resolve("checkpoints").resolve(FOREIGN)
                    .resolve(SHIFTED_MODEL), SyntheticImages.shifted(train, SHIFT), 150, 7);
            return Map.of("evaluator.model-store", store.toString(),
                    "evaluator.datasets.synthetic.dir", root.resolve("data").toString(),
                    "evaluator.datasets.shifted.dir", root.resolve("shifted").toString(),
                    "evaluator.datasets.fashion-mnist.dir", root.resolve("data").toString(),
                    "evaluator.batch-size", "64", "evaluator.dense-wait", "30s");
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the evaluator's test models: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        // The temporary folder is small and helps when a test fails.
    }
}
