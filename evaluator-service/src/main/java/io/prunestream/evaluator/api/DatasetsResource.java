package io.prunestream.evaluator.api;

import io.prunestream.datasets.DatasetSummary;
import io.prunestream.evaluator.service.TestData;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The datasets this evaluator scores on: configured, and registered in the model store. */
@Path("/datasets")
@Tag(name = "datasets", description = "The datasets models are scored on")
public class DatasetsResource {

    private final TestData data;

    DatasetsResource(TestData data) {
        this.data = data;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Each dataset: name, format, splits (images, shape), classes; or why it cannot be opened")
    public List<DatasetSummary> list() {
        return data.summaries();
    }
}
