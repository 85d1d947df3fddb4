package io.prunestream.pruner.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.events.CheckpointEvent;
import io.prunestream.events.Preprocessing;
import io.prunestream.pruner.messaging.CheckpointPublisher;
import io.prunestream.pruner.service.CheckpointRegistrar;
import io.prunestream.pruner.service.PruneFailure;
import io.prunestream.pruner.service.PrunerMeters;
import io.prunestream.pruner.service.PruningPlan;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import io.prunestream.tensorflow.SavedModelInspector;
import io.prunestream.tensorflow.TensorFlowException;
import io.prunestream.tensorflow.calibration.BatchNormCalibration;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Dropping a checkpoint over HTTP: the pruner publishes its checkpoint event, then prunes it like any other. */
@Path("/checkpoints")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "checkpoints", description = "Drop a SavedModel to have it pruned and scored")
public class CheckpointResource {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final CheckpointRegistrar registrar;
    private final CheckpointPublisher publisher;
    private final PruningPlan plan;
    private final PrunerMeters meters;
    private final ObjectMapper json;
    private final ModelStore store;

    CheckpointResource(CheckpointRegistrar registrar, CheckpointPublisher publisher, PruningPlan plan,
            ModelStore store, PrunerMeters meters, ObjectMapper json) {
        this.registrar = registrar;
        this.publisher = publisher;
        this.plan = plan;
        this.store = store;
        this.meters = meters;
        this.json = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Prune a SavedModel that is already in the model store",
            description = "Body: {\"modelPath\": \"uploads/my-model\", \"runId\": \"mine\", \"checkpointId\":"
                    + " \"mine-1\", \"dataset\": \"fashion-mnist\", \"preprocessing\": {\"scale\": 1}}. The digest"
                    + " and the serving signature are read from the model; preprocessing says how its input is made"
                    + " from pixels ((pixel * scale - mean) / std, layout NHWC or NCHW; default x/255, NHWC).")
    @APIResponse(responseCode = "202", description = "Published; the body says where the variants will appear")
    @APIResponse(responseCode = "400", description = "Not usable; the message says why")
    public Response register(String body) throws PruneFailure {
        RegisterRequest request;
        try {
            request = json.readValue(body == null || body.isBlank() ? "{}" : body, RegisterRequest.class);
        } catch (JsonProcessingException e) {
            // A record that refuses a value says which field: that message, not Jackson's wrapping of it.
            String message = e.getCause() instanceof IllegalArgumentException bad ? bad.getMessage()
                    : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException("body: " + message);
        }
        CheckpointEvent event = registrar.registerExisting(request.modelPath(), registration(request.runId(),
                request.checkpointId(), request.dataset(), request.architecture(), request.signatureKey(),
                request.preprocessing()));
        return accepted(event);
    }

    @POST
    @Consumes({"application/gzip", "application/x-gzip", MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Upload a SavedModel as a .tar.gz and prune it",
            description = "The archive holds saved_model.pb and variables/ (at its top or in one folder). Links,"
                    + " absolute paths and '..' are refused, and so is anything over pruner.max-upload-bytes; a"
                    + " Keras .keras or .h5 file is refused with how to export a SavedModel. preset (caffe, tf, torch,"
                    + " /255), scale, mean, std (comma-separated), layout, channels (rgb, bgr, grey), resize (input,"
                    + " or a shorter side), centerCrop, interpolation declare how the model's input is made from an"
                    + " image: (pixel * scale - mean) / std; default scale 1/255, mean 0, std 1, NHWC.")
    @APIResponse(responseCode = "202", description = "Stored and published")
    @APIResponse(responseCode = "400", description = "Not usable; the message says why")
    public Response upload(InputStream archive, @QueryParam("runId") String runId,
            @QueryParam("checkpointId") String checkpointId, @QueryParam("dataset") String dataset,
            @QueryParam("architecture") String architecture, @QueryParam("signatureKey") String signatureKey,
            @Context UriInfo uri) throws PruneFailure {
        Map<String, String> declared = new LinkedHashMap<>();
        for (String parameter : Preprocessing.QUERY_PARAMETERS) {
            declared.put(parameter, uri.getQueryParameters().getFirst(parameter));
        }
        Preprocessing preprocessing = Preprocessing.parse(declared);
        CheckpointEvent event = registrar.registerUpload(archive, registration(runId, checkpointId, dataset,
                architecture, signatureKey, preprocessing));
        return accepted(event);
    }

    private static CheckpointRegistrar.Registration registration(String runId, String checkpointId, String dataset,
            String architecture, String signatureKey, Preprocessing preprocessing) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("runId: is required");
        }
        String id = checkpointId != null ? checkpointId : runId + "-" + LocalDateTime.now().format(STAMP);
        return new CheckpointRegistrar.Registration(runId, id, dataset, architecture, signatureKey, preprocessing);
    }

    private Response accepted(CheckpointEvent event) {
        publisher.publish(event);
        List<Dropped.ExpectedVariant> variants = new ArrayList<>();
        boolean batchNorm = calibrates(event);
        List<String> ids = new ArrayList<>();
        plan.steps().stream().filter(step -> batchNorm || !step.calibrated())
                .forEach(step -> ids.add(step.variantId(event.checkpointId())));
        plan.reconstructionSteps().stream().filter(step -> batchNorm || !step.calibrated())
                .forEach(step -> ids.add(step.variantId(event.checkpointId())));
        for (String variantId : ids) {
            try {
                variants.add(new Dropped.ExpectedVariant(variantId,
                        store.uriOf(store.variantDir(event.runId(), variantId))));
            } catch (ModelStoreException e) {
                throw new IllegalStateException(e);
            }
        }
        return Response.accepted(new Dropped(event, variants)).build();
    }

    /** Whether the model has batch norms its calibrated variants would re-estimate. */
    private boolean calibrates(CheckpointEvent event) {
        if (plan.steps().stream().noneMatch(PruningPlan.Step::calibrated)
                && plan.reconstructionSteps().stream().noneMatch(PruningPlan.ReconstructionStep::calibrated)) {
            return false;
        }
        try {
            java.nio.file.Path model = store.resolve(event.modelUri());
            return BatchNormCalibration.batchNorms(model, event.signature().key(), SavedModelInspector.inspect(model)
                    .checkpointDtypes()) > 0;
        } catch (ModelStoreException | TensorFlowException e) {
            return false;
        }
    }

    @ServerExceptionMapper
    public Response refused(PruneFailure e) {
        meters.failure(e.reason());
        return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
    }
}
