package io.prunestream.trainer.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.datasets.Dataset;
import io.prunestream.datasets.Splits;
import io.prunestream.datasets.UnknownDatasetException;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.Preprocessing;
import io.prunestream.events.FilterSelection;
import io.prunestream.events.ModelCost;
import io.prunestream.events.ServingSignature;
import io.prunestream.events.TrainingMethod;
import io.prunestream.store.ModelStore;
import io.prunestream.pruning.structured.LayerCost;
import io.prunestream.store.ModelStoreException;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.TensorFlowRuntime;
import io.prunestream.tensorflow.structured.NetworkStructure;
import io.prunestream.tensorflow.training.EpochResult;
import io.prunestream.tensorflow.training.ModelExport;
import io.prunestream.tensorflow.training.Progress;
import io.prunestream.tensorflow.training.Trainer;
import io.prunestream.tensorflow.training.TrainingListener;
import io.prunestream.tensorflow.training.TrainingSpec;
import io.prunestream.trainer.config.TrainerConfig;
import io.prunestream.trainer.messaging.CheckpointPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.jboss.logging.Logger;

/** Trains one run from start to end: progress into the run and the meters, a checkpoint event per checkpoint. */
@ApplicationScoped
public class RunTrainer {

    private static final Logger LOG = Logger.getLogger(RunTrainer.class);

    private final TrainerConfig config;
    private final TrainingData data;
    private final CheckpointPublisher publisher;
    private final TrainingMeters meters;
    private final CheckpointWriter writer;

    RunTrainer(TrainerConfig config, ModelStore store, TrainingData data, CheckpointPublisher publisher,
            TrainingMeters meters, ObjectMapper json) {
        this.config = config;
        this.data = data;
        this.publisher = publisher;
        this.meters = meters;
        this.writer = new CheckpointWriter(store, json);
    }

    boolean runExists(String runId) throws ModelStoreException {
        return writer.runExists(runId);
    }

    /** Refuses a request whose dataset the catalogue lacks, naming the ones it has. */
    void requireDataset(RunRequest request) throws InvalidRunRequestException {
        try {
            data.requireKnown(data.name(request.dataset()));
        } catch (UnknownDatasetException e) {
            throw new InvalidRunRequestException("dataset: " + e.detail());
        }
    }

    /** Trains the run; records how it ended (never throws). */
    void execute(Run run) {
        if (!run.start()) {
            return;
        }
        String id = run.id();
        try {
            String dataset = data.name(run.request().dataset());
            Dataset opened = data.dataset(dataset);
            Splits splits = data.splits(dataset);
            TrainingSpec spec = run.request().training().with(run.request().training().architecture().fitted(
                    List.of(splits.train().rows(), splits.train().columns(), splits.train().channels()),
                    opened.classes().size(), dataset));
            run.fitted(run.request().with(spec, dataset));
            LOG.infof("run %s: training %s on %s %s with %s for %d epochs (batch %d, seed %d)", id,
                    spec.architecture().label(), dataset, spec.architecture().inputShape(), spec.method().label(),
                    spec.epochs(), spec.batchSize(), spec.seed());
            new Trainer(spec, splits.train(), splits.test()).run(new Listener(run));
            RunStatus outcome = run.cancelRequested() ? RunStatus.CANCELLED : RunStatus.SUCCEEDED;
            run.finish(outcome, null);
            meters.runFinished(outcome);
            LOG.infof("run %s: %s", id, outcome.name().toLowerCase(Locale.ROOT));
        } catch (Exception | LinkageError e) {
            run.finish(RunStatus.FAILED, e.getMessage());
            meters.runFinished(RunStatus.FAILED);
            LOG.errorf(e, "run %s failed: %s", id, e.getMessage());
        }
    }

    /** Connects the trainer's callbacks to the run, the meters, the log, the model store and Kafka. */
    private final class Listener implements TrainingListener {

        private final Run run;

        Listener(Run run) {
            this.run = run;
        }

        @Override
        public void onProgress(Progress p) {
            run.progress(p);
            meters.progress(p);
            LOG.infof("run %s: epoch %d/%d step %d/%d loss %.4f accuracy %.4f %,.0f images/s ETA %s", run.id(),
                    p.epoch(), p.epochs(), p.step(), p.totalSteps(), p.loss(), p.accuracy(), p.imagesPerSecond(),
                    format(p.eta()));
        }

        @Override
        public void onEpoch(EpochResult result, ModelExport export) throws Exception {
            run.epoch(result);
            meters.epoch(result);
            LOG.infof("run %s: epoch %d done: train loss %.4f accuracy %.4f, test loss %.4f accuracy %.4f,"
                    + " %,.0f images/s", run.id(), result.epoch(), result.trainLoss(), result.trainAccuracy(),
                    result.testLoss(), result.testAccuracy(), result.imagesPerSecond());
            if (run.request().checkpointAfter(result.epoch())) {
                publishCheckpoint(run, result, export);
            }
        }

        @Override
        public boolean cancelled() {
            return run.cancelRequested();
        }
    }

    private void publishCheckpoint(Run run, EpochResult result, ModelExport export) throws Exception {
        TrainingSpec spec = run.request().training();
        String checkpointId = String.format(Locale.ROOT, "%s-e%03d", run.id(), result.epoch());
        String dataset = run.request().dataset();
        Provenance provenance = new Provenance(run.id(), checkpointId, result.epoch(), result.step(),
                spec.method().label(), spec.seed(), spec, null, dataset, data.location(dataset),
                result, versions(), config.gitCommit().orElse(null), Instant.now());
        CheckpointRef checkpoint = writer.write(run.id(), checkpointId, result.epoch(), export, provenance);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("trainLoss", result.trainLoss());
        metrics.put("trainAccuracy", result.trainAccuracy());
        metrics.put("testLoss", result.testLoss());
        metrics.put("testAccuracy", result.testAccuracy());
        metrics.put("imagesPerSecond", result.imagesPerSecond());
        CheckpointEvent event = CheckpointEvent.create(run.id(), checkpointId, checkpoint.modelUri(),
                checkpoint.modelDigest(), spec.architecture().label(), dataset, result.epoch(), result.step(),
                metrics, new TrainingMethod(spec.method().label(), spec.seed(), spec.hyperparameters()),
                new ServingSignature(ModelExport.SIGNATURE_KEY, ModelExport.INPUT, export.inputShape(),
                        List.of(ModelExport.LOGITS, ModelExport.PROBABILITIES)),
                NetworkDescriptions.of(export.network()), cost(export, checkpoint), filters(spec, export),
                run.request().bottleneck())
                // The trainer's models take x/255 and standardise inside their graph: the default, said out loud.
                .withPreprocessing(new Preprocessing(Preprocessing.DEFAULT_SCALE, List.of(0.0), List.of(1.0),
                        "NHWC"));
        publisher.publish(event);
        run.checkpoint(checkpoint);
        meters.checkpointPublished();
        LOG.infof("run %s: published checkpoint %s (%s)", run.id(), checkpointId, checkpoint.modelUri());
    }

    private static ModelCost cost(ModelExport export, CheckpointRef checkpoint) throws TensorFlowException {
        LayerCost total = NetworkStructure.of(export.network()).total();
        return new ModelCost(total.parameters(), total.multiplyAdds(), checkpoint.fileBytes());
    }

    /** TPP: the filters the training chose to remove, once it has chosen; null otherwise. */
    private static FilterSelection filters(TrainingSpec spec, ModelExport export) {
        List<int[]> removed = export.removedFilters();
        if (removed == null) {
            return null;
        }
        return new FilterSelection("tpp", spec.method().tpp().ratio(), removed.stream()
                .map(r -> Arrays.stream(r).boxed().toList()).toList());
    }

    private static Map<String, String> versions() throws Exception {
        Map<String, String> versions = new LinkedHashMap<>();
        Properties built = new Properties();
        try (InputStream in = RunTrainer.class.getResourceAsStream("/prunestream-versions.properties")) {
            if (in != null) {
                built.load(in);
            }
        }
        built.forEach((name, version) -> versions.put((String) name, (String) version));
        versions.putAll(TensorFlowRuntime.versions());
        versions.put("java", System.getProperty("java.version"));
        return versions;
    }

    private static String format(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
}
