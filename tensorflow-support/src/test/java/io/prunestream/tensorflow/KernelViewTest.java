package io.prunestream.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Output filters followed back through transposes and reshapes to the variable as it is stored. */
class KernelViewTest {

    @Test
    void aKernelReadAsStoredHasItsFiltersOnTheConsumersAxes() {
        assertThat(KernelView.lastAxis().filterLayout(new long[] {3, 3, 8, 16})).contains(new FilterLayout(16, 1));
        assertThat(new KernelView(List.of(), List.of(0)).filterLayout(new long[] {10, 64}))
                .contains(new FilterLayout(10, 64));
        assertThat(new KernelView(List.of(), List.of(-2, -1)).filterLayout(new long[] {3, 3, 4, 2}))
                .as("depthwise: channel c * multiplier + m").contains(new FilterLayout(8, 1));
    }

    @Test
    void aTransposeMovesTheOutputAxis() {
        KernelView oihwAsHwio = new KernelView(List.of(new KernelView.Transpose(List.of(2, 3, 1, 0))), List.of(-1));
        assertThat(oihwAsHwio.filterLayout(new long[] {16, 8, 3, 3})).contains(new FilterLayout(16, 72));
    }

    @Test
    void aReshapeKeepsTheFlatOrder() {
        // A dense kernel stored flat [in * out] and reshaped to [in, out].
        KernelView flat = new KernelView(List.of(new KernelView.Reshape(List.of(-1L, 10L))), List.of(-1));
        assertThat(flat.filterLayout(new long[] {640})).contains(new FilterLayout(10, 1));
        // Stored [out, in] flat, reshaped to [out, in], then transposed to [in, out].
        KernelView both = new KernelView(List.of(new KernelView.Reshape(List.of(10L, 64L)),
                new KernelView.Transpose(List.of(1, 0))), List.of(-1));
        assertThat(both.filterLayout(new long[] {640})).contains(new FilterLayout(10, 64));
        // A reshape after a transpose: [out, in] -> [in, out] -> [in, 2, 5], output axes the last two.
        KernelView after = new KernelView(List.of(new KernelView.Transpose(List.of(1, 0)),
                new KernelView.Reshape(List.of(64L, 2L, 5L))), List.of(-2, -1));
        assertThat(after.filterLayout(new long[] {10, 64})).contains(new FilterLayout(10, 64));
    }

    @Test
    void transformsThatDoNotFitTheShapeOrSplitTheFiltersGiveNoLayout() {
        assertThat(new KernelView(List.of(new KernelView.Transpose(List.of(1, 0))), List.of(-1))
                .filterLayout(new long[] {2, 3, 4})).isEmpty();
        assertThat(new KernelView(List.of(new KernelView.Reshape(List.of(7L, -1L))), List.of(-1))
                .filterLayout(new long[] {10, 64})).isEmpty();
        // Output axes 0 and 2 of [4, 5, 6]: no single stride describes them.
        assertThat(new KernelView(List.of(), List.of(0, 2)).filterLayout(new long[] {4, 5, 6})).isEmpty();
        PrunableKernel kernel = new PrunableKernel("k", "dense", "op", "Einsum", new KernelView(List.of(),
                List.of(0, 2)));
        assertThat(kernel.filterLayout(new long[] {4, 5, 6})).as("then the whole kernel is one filter")
                .isEqualTo(FilterLayout.WHOLE);
    }
}
