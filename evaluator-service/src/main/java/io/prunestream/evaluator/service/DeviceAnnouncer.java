package io.prunestream.evaluator.service;

import ai.djl.Device;
import io.prunestream.evaluator.config.EvaluatorConfig;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Starts the TensorFlow engine and reads every dataset's test split with the service, so that a missing dataset or
 * natives stop it at once with a clear message instead of dead-lettering every record; says which device it scores
 * on.
 */
@ApplicationScoped
public class DeviceAnnouncer {

    private static final Logger LOG = Logger.getLogger(DeviceAnnouncer.class);

    void onStart(@Observes StartupEvent started, EvaluatorMeters meters, TestData data, ScoringSession session,
            EvaluatorConfig config) throws TensorFlowException {
        SettingsCheck.require(config);
        Device engineDevice = TensorFlowRuntime.start().defaultDevice();
        session.requireUsable(engineDevice);
        String device = ModelScorer.name(engineDevice);
        meters.device(device);
        data.requireAll();
        LOG.infof("scoring on %s in %s (TensorFlow %s through DJL), datasets %s", device,
                session.precision(engineDevice), TensorFlowRuntime.versions(), data.names());
    }
}
