package io.prunestream.evaluator.api;

import io.prunestream.evaluator.config.EvaluatorConfig;
import io.prunestream.evaluator.service.Evaluations;
import io.prunestream.evaluator.service.ReportPage;
import io.prunestream.events.EvaluationEvent;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The evaluations, as data and as a page. */
@Path("/results")
@Tag(name = "results", description = "Evaluations of checkpoints (dense) and their variants")
public class ResultsResource {

    private final Evaluations evaluations;
    private final EvaluatorConfig config;

    ResultsResource(Evaluations evaluations, EvaluatorConfig config) {
        this.evaluations = evaluations;
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every evaluation (of one run with ?runId=), oldest first, as evaluation events")
    public List<EvaluationEvent> list(@QueryParam("runId") String runId) {
        return evaluations.results(runId);
    }

    @GET
    @Path("/{runId}/report")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "An HTML page: top-1 against sparsity per method, top-1 over epochs, all evaluations")
    public String report(@PathParam("runId") String runId) {
        return ReportPage.render(runId, evaluations.results(runId), config.variantsUrl());
    }
}
