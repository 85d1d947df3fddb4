package io.prunestream.pruner.api;

import io.prunestream.events.VariantEvent;
import io.prunestream.pruner.service.VariantArchive;
import io.prunestream.store.ModelStore;
import io.prunestream.store.ModelStoreException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** What came of a dropped checkpoint: each variant's event, and the pruned SavedModel itself. */
@Path("/variants")
@Tag(name = "variants", description = "The pruned variants: their events and their SavedModels")
public class VariantResource {

    private final VariantArchive archive;
    private final ModelStore store;

    VariantResource(VariantArchive archive, ModelStore store) {
        this.archive = archive;
        this.store = store;
    }

    @GET
    @Path("/{variantId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The variant event this pruner published for a variant",
            description = "runId is needed only when two runs hold a variant of the same id.")
    @APIResponse(responseCode = "200", description = "The variant event")
    @APIResponse(responseCode = "404", description = "No such variant")
    @APIResponse(responseCode = "409", description = "Variants of that id in several runs: give runId")
    public VariantEvent variant(@PathParam("variantId") String variantId, @QueryParam("runId") String runId)
            throws IOException {
        return one(variantId, runId);
    }

    @GET
    @Path("/{variantId}/savedmodel.tar.gz")
    @Produces("application/gzip")
    @Operation(summary = "The pruned SavedModel, as a .tar.gz of one folder named after the variant")
    @APIResponse(responseCode = "200", description = "The archive, streamed")
    @APIResponse(responseCode = "404", description = "No such variant, or its model is gone")
    public Response savedModel(@PathParam("variantId") String variantId, @QueryParam("runId") String runId)
            throws IOException {
        VariantEvent event = one(variantId, runId);
        java.nio.file.Path folder;
        try {
            // The same way in as every other reader: a URI that leads outside the store is refused.
            folder = store.resolve(event.modelUri());
        } catch (ModelStoreException e) {
            throw new IllegalArgumentException("variant '" + variantId + "': " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(folder.resolve("saved_model.pb"))) {
            throw new VariantNotFoundException("variant '" + variantId + "' has no SavedModel any more at "
                    + event.modelUri());
        }
        StreamingOutput body = out -> TarGzPacker.pack(folder, variantId, out);
        return Response.ok(body, "application/gzip")
                .header("Content-Disposition", "attachment; filename=\"" + variantId + ".tar.gz\"").build();
    }

    private VariantEvent one(String variantId, String runId) throws IOException {
        List<VariantEvent> found = archive.find(variantId, runId);
        if (found.isEmpty()) {
            throw new VariantNotFoundException("variant '" + variantId + "' does not exist"
                    + (runId == null ? "" : " in run '" + runId + "'"));
        }
        if (found.size() > 1) {
            throw new AmbiguousVariantException("variant '" + variantId + "' exists in runs " + found.stream()
                    .map(VariantEvent::runId).toList() + "; say which with ?runId=");
        }
        return found.get(0);
    }

    /** No variant of that id (or its model is gone). */
    static final class VariantNotFoundException extends RuntimeException {
        VariantNotFoundException(String message) {
            super(message);
        }
    }

    /** Variants of that id in several runs. */
    static final class AmbiguousVariantException extends RuntimeException {
        AmbiguousVariantException(String message) {
            super(message);
        }
    }

    @ServerExceptionMapper
    public Response notFound(VariantNotFoundException e) {
        return ApiError.response(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response ambiguous(AmbiguousVariantException e) {
        return ApiError.response(Response.Status.CONFLICT, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
    }
}
