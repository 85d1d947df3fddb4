package io.prunestream.trainer.api;

import io.prunestream.trainer.service.InvalidRunRequestException;
import io.prunestream.trainer.service.RunConflictException;
import io.prunestream.trainer.service.UnknownRunException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns domain failures into JSON errors ({@link ApiError}) with the right status. */
public class ApiErrors {

    @ServerExceptionMapper
    public Response invalid(InvalidRunRequestException e) {
        return error(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknownRun(UnknownRunException e) {
        return error(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(RunConflictException e) {
        return error(Response.Status.CONFLICT, e.getMessage());
    }

    static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status.getStatusCode(), message)).build();
    }
}
