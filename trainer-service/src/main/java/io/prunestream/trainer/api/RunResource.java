package io.prunestream.trainer.api;

import io.prunestream.trainer.service.InvalidRunRequestException;
import io.prunestream.trainer.service.RunConflictException;
import io.prunestream.trainer.service.RunRequest;
import io.prunestream.trainer.service.RunRequestParser;
import io.prunestream.trainer.service.RunView;
import io.prunestream.trainer.service.TrainingRuns;
import io.prunestream.trainer.service.UnknownRunException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Training runs over HTTP. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs", description = "Training runs that publish a checkpoint event after each epoch")
public class RunResource {

    private final TrainingRuns runs;
    private final RunRequestParser parser;

    RunResource(TrainingRuns runs, RunRequestParser parser) {
        this.runs = runs;
        this.parser = parser;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queue a training run", description = "Every field is optional; omitted ones take the"
            + " defaults (the small CNN, hyperspherical learning with the L1 penalty, 3 epochs).")
    @APIResponse(responseCode = "202", description = "Queued; the body has the run id, Location its URL")
    @APIResponse(responseCode = "400", description = "A field is invalid; the message names it")
    @APIResponse(responseCode = "409", description = "The run id is taken, or the queue is full")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RunRequest.class)))
    public Response submit(String body, @Context UriInfo uri) throws RunConflictException,
            InvalidRunRequestException {
        RunView run = runs.submit(parser.parse(body));
        return Response.accepted(run).location(uri.getAbsolutePathBuilder().path(run.runId()).build()).build();
    }

    @GET
    @Operation(summary = "Every known run, oldest first")
    public List<RunView> list() {
        return runs.list();
    }

    @GET
    @Path("/{runId}")
    @Operation(summary = "A run's status, progress, per-epoch metrics and checkpoints")
    @APIResponse(responseCode = "404", description = "No such run")
    public RunView get(@PathParam("runId") String runId) throws UnknownRunException {
        return runs.get(runId);
    }

    @DELETE
    @Path("/{runId}")
    @Operation(summary = "Cancel a run", description = "A queued run is cancelled at once, a running one after"
            + " its current step; checkpoints already published stay.")
    @APIResponse(responseCode = "202", description = "Cancellation accepted")
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "409", description = "The run has already finished")
    public Response cancel(@PathParam("runId") String runId) throws UnknownRunException, RunConflictException {
        return Response.accepted(runs.cancel(runId)).build();
    }
}
