package io.prunestream.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel shapes of ResNet-50 (torchvision's layout of blocks, 3-4-6-3 bottlenecks with a projection in the first
 * block of each stage), written the TensorFlow way: conv kernels {@code [kh, kw, in, out]}, the classifier
 * {@code [in, out]}. 53 convolutions and one dense layer, 25,502,912 weights: the 25.6 million of the model less its
 * biases and batch-norm parameters, which pruning leaves alone.
 */
final class ResNet50Shapes {

    private ResNet50Shapes() {
    }

    record Kernel(String name, long[] shape) {
        int size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return Math.toIntExact(n);
        }

        int fanIn() {
            return Math.toIntExact(size() / shape[shape.length - 1]);
        }
    }

    static List<Kernel> kernels() {
        List<Kernel> kernels = new ArrayList<>();
        kernels.add(new Kernel("conv1", new long[] {7, 7, 3, 64}));
        int in = 64;
        int[][] stages = {{64, 3}, {128, 4}, {256, 6}, {512, 3}};
        for (int s = 0; s < stages.length; s++) {
            int width = stages[s][0];
            for (int b = 0; b < stages[s][1]; b++) {
                String block = "layer" + (s + 1) + "." + b + ".";
                kernels.add(new Kernel(block + "conv1", new long[] {1, 1, in, width}));
                kernels.add(new Kernel(block + "conv2", new long[] {3, 3, width, width}));
                kernels.add(new Kernel(block + "conv3", new long[] {1, 1, width, 4L * width}));
                if (b == 0) {
                    kernels.add(new Kernel(block + "downsample", new long[] {1, 1, in, 4L * width}));
                }
                in = 4 * width;
            }
        }
        kernels.add(new Kernel("fc", new long[] {2048, 1000}));
        return kernels;
    }
}
