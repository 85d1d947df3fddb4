package io.prunestream.pruner.service;

import io.prunestream.events.Network;
import io.prunestream.tensorflow.training.ArchitectureSpec;
import io.prunestream.tensorflow.training.NetworkSpec;
import java.util.List;

/** The network a checkpoint event describes, as the spec that rebuilds it. */
final class NetworkSpecs {

    private NetworkSpecs() {
    }

    /** @throws IllegalArgumentException naming the field the trainer's networks cannot have */
    static NetworkSpec of(Network network) {
        boolean resnet = Network.RESNET.equals(network.family());
        ArchitectureSpec architecture = new ArchitectureSpec(resnet ? ArchitectureSpec.RESNET
                : ArchitectureSpec.SMALL_CNN, resnet ? network.depth() : null, resnet ? network.width() : null,
                network.inputShape(), network.classes());
        return new NetworkSpec(architecture, Network.COSINE.equals(network.classifier()), (float) network.pixelMean(),
                (float) network.pixelStd(), List.of());
    }
}
