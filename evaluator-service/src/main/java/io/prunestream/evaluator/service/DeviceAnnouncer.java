package io.prunestream.evaluator.service;

import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Starts the TensorFlow engine with the service and says which device it scores on (log and meter). */
@ApplicationScoped
public class DeviceAnnouncer {

    private static final Logger LOG = Logger.getLogger(DeviceAnnouncer.class);

    void onStart(@Observes StartupEvent started, EvaluatorMeters meters) throws TensorFlowException {
        String device = ModelScorer.name(TensorFlowRuntime.start().defaultDevice());
        meters.device(device);
        LOG.infof("scoring on %s (TensorFlow %s through DJL)", device, TensorFlowRuntime.versions());
    }
}
