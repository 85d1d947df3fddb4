package io.prunestream.trainer.service;

import io.prunestream.events.Network;
import io.prunestream.tensorflow.training.ArchitectureSpec;
import io.prunestream.tensorflow.training.NetworkSpec;

/** The network a checkpoint event describes, from what the trainer built. */
final class NetworkDescriptions {

    private NetworkDescriptions() {
    }

    static Network of(NetworkSpec network) {
        ArchitectureSpec arch = network.architecture();
        boolean resnet = ArchitectureSpec.RESNET.equals(arch.name());
        return new Network(resnet ? Network.RESNET : Network.SMALL_CNN, resnet ? arch.depth() : null,
                resnet ? arch.width() : null, arch.inputShape(), arch.classes(),
                network.cosine() ? Network.COSINE : Network.DENSE, network.pixelMean(), network.pixelStd());
    }
}
