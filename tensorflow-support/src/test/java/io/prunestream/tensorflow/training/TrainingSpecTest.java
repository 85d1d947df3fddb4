package io.prunestream.tensorflow.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.prunestream.tensorflow.TensorFlowRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;

class TrainingSpecTest {

    @Test
    void nullFieldsTakeTheDocumentedDefaults() {
        TrainingSpec spec = TrainingSpec.defaults();

        assertThat(spec.architecture().label()).isEqualTo("small-cnn");
        assertThat(spec.architecture().inputShape()).containsExactly(28, 28, 1);
        assertThat(spec.optimizer().name()).isEqualTo("sgd");
        assertThat(spec.optimizer().learningRate()).isEqualTo(0.01);
        assertThat(spec.method().label()).isEqualTo("hyperspherical+l1");
        assertThat(spec.method().normalization()).isEqualTo("layer");
        assertThat(spec.batchSize()).isEqualTo(128);
        assertThat(new OptimizerSpec("adam", null, null, null, null, null, null).learningRate()).isEqualTo(0.001);
    }

    @Test
    void invalidValuesAreRefusedByFieldName() {
        assertThatThrownBy(() -> new OptimizerSpec(null, 0.0, null, null, null, null, null))
                .hasMessageStartingWith("optimizer.learningRate: 0.0");
        assertThatThrownBy(() -> new ArchitectureSpec(null, null, null, List.of(28, 28), null))
                .hasMessageStartingWith("architecture.inputShape: [28, 28]");
        assertThatThrownBy(() -> new MethodSpec(null, null, null, null, null, 1.5, null))
                .hasMessageStartingWith("method.quantileSparsity: 1.5");
        assertThatThrownBy(() -> new TrainingSpec(null, null, null, null, 0, null, null))
                .hasMessageStartingWith("epochs: 0");
    }

    @Test
    void schedulesGiveTheRateOfTheirFormula() {
        OptimizerSpec cosine = new OptimizerSpec(null, 0.1, null, null, "cosine", null, null);
        OptimizerSpec step = new OptimizerSpec(null, 0.1, null, null, "step", 2, 0.5);

        assertThat(cosine.learningRateAt(0, 4)).isEqualTo(0.1);
        assertThat(cosine.learningRateAt(2, 4)).isCloseTo(0.05, within(1e-12));
        assertThat(cosine.learningRateAt(4, 4)).isCloseTo(0, within(1e-12));
        assertThat(step.learningRateAt(1.9, 6)).isEqualTo(0.1);
        assertThat(step.learningRateAt(2.0, 6)).isEqualTo(0.05);
        assertThat(step.learningRateAt(4.5, 6)).isEqualTo(0.025);
    }

    @Test
    void theWarmUpRampsLambdaLinearly() {
        MethodSpec method = new MethodSpec(true, "l1", 10.0, 2.0, null, null, null);

        assertThat(method.lambdaAt(0)).isZero();
        assertThat(method.lambdaAt(1)).isEqualTo(5.0);
        assertThat(method.lambdaAt(3)).isEqualTo(10.0);
        assertThat(MethodSpec.plain().lambdaAt(3)).isZero();
    }

    @Test
    void labelsNameTheMethodsAsEventsCarryThem() {
        assertThat(MethodSpec.plain().label()).isEqualTo("plain");
        assertThat(new MethodSpec(true, "none", null, null, null, null, null).label()).isEqualTo("hyperspherical");
        assertThat(new MethodSpec(true, "quantile", null, null, null, null, null).label())
                .isEqualTo("hyperspherical+quantile");
        assertThat(new MethodSpec(false, "l1", null, null, null, null, null).label()).isEqualTo("l1");
        assertThat(new ArchitectureSpec("resnet", 32, 8, null, null).label()).isEqualTo("resnet32-w8");
    }

    @Test
    void colourInputIsAConfigurationChange() throws Exception {
        TensorFlowRuntime.start();
        TrainingSpec spec = new TrainingSpec(new ArchitectureSpec("resnet", 20, 16, List.of(32, 32, 3), 100), null,
                null, null, null, null, null);
        try (Graph graph = new Graph()) {
            TrainingGraph model = new TrainingGraph(graph, spec, new NetworkSpec(spec.architecture(), true, 0.5f,
                    0.25f, List.of()), null);

            assertThat(model.image.shape().asArray()).containsExactly(-1, 32, 32, 3);
            assertThat(model.logits.shape().asArray()).containsExactly(-1, 100);
            // ResNet-20: the stem, 9 blocks of two convs, and the two 1x1 shortcuts, plus the classifier.
            assertThat(model.builder.kernels()).hasSize(1 + 18 + 2 + 1);
        }
    }
}
