package io.captioner.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Map;

/**
 * The service's HTTP face: liveness, readiness, Prometheus metrics, the calls API, hotwords, and
 * the live caption page with its server-sent event feed. With a bearer token configured, every
 * {@code /api} route requires it (EventSource cannot send headers, so the feed also takes
 * {@code ?access_token=}).
 */
public final class HttpApi {
    private final Vertx vertx;
    private final ServiceControl service;
    private final String bearerToken;

    public HttpApi(Vertx vertx, ServiceControl service, String bearerToken) {
        this.vertx = vertx;
        this.service = service;
        this.bearerToken = bearerToken == null ? "" : bearerToken;
    }

    public Future<HttpServer> listen(String host, int port) {
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> json(ctx.response(), 200, new JsonObject().put("status", "UP")));
        router.get("/ready").handler(this::ready);
        router.get("/metrics")
                .handler(ctx -> ctx.response()
                        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(service.metrics().scrape()));
        router.route("/api/*").handler(this::authorize);
        router.route("/api/*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
        router.get("/api/calls")
                .handler(ctx -> json(ctx.response(), 200, new JsonArray(new ArrayList<>(service.activeCalls()))));
        router.put("/api/calls/:callId/hotwords").handler(this::setHotwords);
        router.post("/api/calls/:callId/caption")
                .handler(ctx -> service.requestCaptioning(ctx.pathParam("callId"))
                        .onComplete(ar -> {
                            boolean known = ar.succeeded() && ar.result();
                            json(
                                    ctx.response(),
                                    known ? 202 : 404,
                                    new JsonObject()
                                            .put("callId", ctx.pathParam("callId"))
                                            .put("accepted", known));
                        }));
        router.get("/api/events").handler(this::eventFeed);
        router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
        return vertx.createHttpServer().requestHandler(router).listen(port, host);
    }

    private void ready(RoutingContext ctx) {
        Map<String, Boolean> checks = service.readiness();
        boolean ready = checks.values().stream().allMatch(Boolean::booleanValue);
        JsonObject body = new JsonObject().put("status", ready ? "READY" : "NOT_READY");
        checks.forEach(body::put);
        json(ctx.response(), ready ? 200 : 503, body);
    }

    private void authorize(RoutingContext ctx) {
        if (bearerToken.isEmpty()) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        String presented = header != null && header.startsWith("Bearer ")
                ? header.substring(7).trim()
                : ctx.request().getParam("access_token");
        // constant time, so that response times do not reveal how much of a guess was right
        if (presented != null
                && MessageDigest.isEqual(
                        bearerToken.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
            ctx.next();
        } else {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            json(ctx.response(), 401, new JsonObject().put("error", "a valid bearer token is required"));
        }
    }

    private void setHotwords(RoutingContext ctx) {
        try {
            HotwordsRequest request = HotwordsRequest.parse(ctx.body().buffer(), service.defaultHotwordBoost());
            boolean known = service.setHotwords(ctx.pathParam("callId"), request.phrases(), request.boost());
            json(
                    ctx.response(),
                    known ? 200 : 404,
                    new JsonObject()
                            .put("callId", ctx.pathParam("callId"))
                            .put("phrases", new JsonArray(request.phrases()))
                            .put("boost", request.boost())
                            .put("applied", known));
        } catch (IllegalArgumentException e) {
            json(ctx.response(), 400, new JsonObject().put("error", e.getMessage()));
        }
    }

    private void eventFeed(RoutingContext ctx) {
        HttpServerResponse response = ctx.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        response.write(": connected\n\n");
        Runnable unsubscribe = service.subscribeEvents(json -> vertx.runOnContext(v -> {
            if (!response.closed() && !response.writeQueueFull()) {
                response.write("data: " + json + "\n\n");
            }
        }));
        long keepAlive = vertx.setPeriodic(15_000, id -> response.write(": keep-alive\n\n"));
        response.closeHandler(v -> {
            unsubscribe.run();
            vertx.cancelTimer(keepAlive);
        });
    }

    private static void json(HttpServerResponse response, int status, Object body) {
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.toString());
    }
}
