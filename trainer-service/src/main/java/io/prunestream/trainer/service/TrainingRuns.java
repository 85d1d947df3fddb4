package io.prunestream.trainer.service;

import io.prunestream.store.ModelStoreException;
import io.prunestream.trainer.config.TrainerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The runs this trainer knows, and the single worker that trains them one at a time in the order they came (a
 * 2-core machine trains one model well, not two badly).
 */
@ApplicationScoped
public class TrainingRuns {

    private static final Logger LOG = Logger.getLogger(TrainingRuns.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final TrainerConfig config;
    private final RunTrainer trainer;
    private final RunRequestParser parser;
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "trainer-run");
        thread.setDaemon(true);
        return thread;
    });

    TrainingRuns(TrainerConfig config, RunTrainer trainer, RunRequestParser parser) {
        this.config = config;
        this.trainer = trainer;
        this.parser = parser;
    }

    void startBootRun(@Observes StartupEvent started) {
        config.bootRunFile().ifPresent(this::submitFile);
    }

    private void submitFile(Path file) {
        try {
            RunView run = submit(parser.parse(Files.readString(file)));
            LOG.infof("boot run %s queued from %s", run.runId(), file);
        } catch (IOException | InvalidRunRequestException | RunConflictException | RuntimeException e) {
            LOG.errorf("the boot run in %s was not started: %s", file, e.getMessage());
        }
    }

    /** Queues a run; it starts when the runs before it have finished. */
    public synchronized RunView submit(RunRequest request) throws RunConflictException, InvalidRunRequestException {
        trainer.requireDataset(request);
        long waiting = runs.values().stream().filter(r -> r.status() == RunStatus.QUEUED).count();
        if (waiting >= config.queueCapacity()) {
            throw new RunConflictException("the queue is full: " + waiting + " runs wait (trainer.queue-capacity)");
        }
        String id = request.runId() != null ? request.runId()
                : "run-" + LocalDateTime.now().format(ID_TIME) + "-" + UUID.randomUUID().toString().substring(0, 4);
        try {
            if (runs.containsKey(id) || trainer.runExists(id)) {
                throw new RunConflictException("runId: '" + id + "' is already used; run ids are never reused");
            }
        } catch (ModelStoreException e) {
            throw new RunConflictException("runId: " + e.getMessage());
        }
        Run run = new Run(id, request);
        runs.put(id, run);
        forgetOldRuns();
        worker.submit(() -> trainer.execute(run));
        return run.view();
    }

    public synchronized RunView get(String runId) throws UnknownRunException {
        Run run = runs.get(runId);
        if (run == null) {
            throw new UnknownRunException(runId);
        }
        return run.view();
    }

    public synchronized List<RunView> list() {
        List<RunView> views = new ArrayList<>();
        runs.values().forEach(run -> views.add(run.view()));
        return views;
    }

    /** Cancels a queued run at once, a running one after its current step. */
    public synchronized RunView cancel(String runId) throws UnknownRunException, RunConflictException {
        Run run = runs.get(runId);
        if (run == null) {
            throw new UnknownRunException(runId);
        }
        if (!run.cancel()) {
            throw new RunConflictException("run '" + runId + "' has already " + run.status().name()
                    .toLowerCase(java.util.Locale.ROOT));
        }
        return run.view();
    }

    private void forgetOldRuns() {
        List<String> finished = runs.values().stream().filter(r -> r.status().finished()).map(Run::id).toList();
        for (int i = 0; i < finished.size() - config.keepFinishedRuns(); i++) {
            runs.remove(finished.get(i));
        }
    }

    @PreDestroy
    synchronized void stop() throws InterruptedException {
        runs.values().forEach(Run::cancel);
        worker.shutdown();
        if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("the training worker did not stop within 30 s");
        }
    }
}
