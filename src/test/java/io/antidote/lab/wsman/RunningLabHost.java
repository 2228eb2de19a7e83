package io.antidote.lab.wsman;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A started lab host for tests: its fault switches, and every command line its host was asked to run. */
final class RunningLabHost implements AutoCloseable {

    static final WsManCredentials CREDENTIALS = new WsManCredentials("lab", "password");
    static final String HOST_NAME = "lab-ex01";

    final WsManFaults faults = new WsManFaults();
    final List<String> commandLines = new CopyOnWriteArrayList<>();
    final WsManServer server;
    final int port;

    private RunningLabHost(Vertx vertx, Function<String, CommandOutput> behaviour, WsManOptions options,
            WsManLimits limits) {
        ShellHost host = line -> {
            commandLines.add(line);
            return behaviour.apply(line);
        };
        server = new WsManServer(vertx, HOST_NAME, CREDENTIALS, host, faults, options, limits);
        port = await(server.start("127.0.0.1", 0));
    }

    static RunningLabHost start(Vertx vertx, Function<String, CommandOutput> behaviour) {
        return new RunningLabHost(vertx, behaviour, WsManOptions.labDefaults(), WsManLimits.defaults());
    }

    static RunningLabHost start(Vertx vertx, Function<String, CommandOutput> behaviour, WsManLimits limits) {
        return new RunningLabHost(vertx, behaviour, WsManOptions.labDefaults(), limits);
    }

    static RunningLabHost start(Vertx vertx, Function<String, CommandOutput> behaviour, WsManOptions options) {
        return new RunningLabHost(vertx, behaviour, options, WsManLimits.defaults());
    }

    /** The PowerShell a command line carries, for hosts that answer scripts. */
    static String script(String commandLine) {
        return EncodedCommand.decode(commandLine)
                .orElseThrow(() -> new AssertionError("not an encoded PowerShell command: " + commandLine));
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the lab host did not answer in time", e);
        }
    }

    @Override
    public void close() {
        await(server.stop());
    }
}
