package io.prunestream.pruner.api;

import io.prunestream.datasets.DatasetExistsException;
import io.prunestream.datasets.DatasetRegistry;
import io.prunestream.datasets.DatasetSpec;
import io.prunestream.datasets.DatasetSummary;
import io.prunestream.events.PipelineFailure;
import io.prunestream.pruner.config.PrunerConfig;
import io.prunestream.pruner.service.TrainingData;
import io.prunestream.store.ModelStore;
import io.prunestream.store.SafeArchive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Registering a dataset in the model store, for every service on it, and listing the datasets this pruner serves.
 */
@Path("/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "datasets", description = "Register your own test and training data")
public class DatasetsResource {

    /** The most files and folders a dataset's archive may hold. */
    private static final int MAX_ENTRIES = 2_000_000;

    private final DatasetRegistry registry;
    private final TrainingData data;

    DatasetsResource(ModelStore store, TrainingData data, PrunerConfig config) {
        this.data = data;
        long limit = config.maxDatasetBytes().asLongValue();
        this.registry = new DatasetRegistry(store, data.catalog(), new SafeArchive(limit, limit, MAX_ENTRIES,
                "pruner.max-dataset-bytes"));
    }

    @GET
    @Operation(summary = "Each dataset: name, format, splits (images, shape), classes; or why it cannot be opened")
    public List<DatasetSummary> list() {
        return data.summaries();
    }

    @POST
    @Path("/{name}")
    @Consumes({"application/gzip", "application/x-gzip", "application/zip", MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Register a dataset: a .tar.gz of its folder, or one .npz or TFRecord file",
            description = "The folder holds train/ and test/ class folders of images, TFRecord shards"
                    + " (<name>-<split>.tfrecord-00000-of-00008), a keras.datasets .npz, CIFAR binary batches or IDX"
                    + " files; format (detected when absent), classes (comma-separated, in label order), imageKey and"
                    + " labelKey (TFRecord) may be given; file names a single TFRecord file (and so its split). Every"
                    + " image is decoded and every label checked before anything is registered.")
    @APIResponse(responseCode = "201", description = "Registered; the body describes it")
    @APIResponse(responseCode = "400", description = "Not a usable dataset; the message names the file and why")
    @APIResponse(responseCode = "409", description = "A dataset of that name exists")
    public Response register(@PathParam("name") String name, InputStream body, @QueryParam("format") String format,
            @QueryParam("classes") String classes, @QueryParam("imageKey") String imageKey,
            @QueryParam("labelKey") String labelKey, @QueryParam("file") String file) throws PipelineFailure {
        DatasetSpec spec = new DatasetSpec(name, java.nio.file.Path.of("."), format, classes == null ? null
                : Arrays.stream(classes.split(",")).map(String::trim).toList(), imageKey, labelKey);
        DatasetSummary registered = registry.register(spec, file, body);
        return Response.status(Response.Status.CREATED).entity(registered).build();
    }

    @ServerExceptionMapper
    public Response refused(PipelineFailure e) {
        return ApiError.response(e instanceof DatasetExistsException ? Response.Status.CONFLICT
                : Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
    }
}
