package io.antidote.winrm;

import io.cloudsoft.winrm4j.client.ShellCommand;
import io.cloudsoft.winrm4j.client.WinRmClient;
import io.cloudsoft.winrm4j.client.WinRmClientBuilder;
import io.cloudsoft.winrm4j.client.WinRmClientContext;
import io.cloudsoft.winrm4j.client.retry.RetryDecision;
import io.cloudsoft.winrm4j.client.retry.RetryPolicy;

import java.io.Writer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WinRM client and one open shell on a target, kept across the target's consecutive steps: building
 * the JAX-WS client and opening a shell is most of what a short command costs. Used by one thread at a
 * time; the pool in {@link WinRm4jShell} lends it out and takes it back.
 */
final class TargetSession {

    /** WinRM4j retries nothing by itself: the transport decides, knowing whether a command started. */
    private static final RetryPolicy NEVER = (exception, attempt) -> new RetryDecision() {
        @Override
        public boolean shouldRetry() {
            return false;
        }

        @Override
        public long pauseTimeMillis() {
            return 0;
        }

        @Override
        public Optional<String> reason() {
            return Optional.of("the transport retries only commands that never started");
        }
    };

    final Target target;
    final Credential credential;
    private final WinRmClient client;
    private final ShellCommand shell;
    /** System.nanoTime() after which a Receive that timed out is not sent again. */
    private final AtomicLong deadline;
    private volatile long idleSince = System.nanoTime();
    private int commands;
    /** What WinRM4j sent for the latest command line. */
    private WsManCalls.Sent sent = WsManCalls.reset();

    private TargetSession(Target target, Credential credential, WinRmClient client, ShellCommand shell,
                          AtomicLong deadline) {
        this.target = target;
        this.credential = credential;
        this.client = client;
        this.shell = shell;
        this.deadline = deadline;
    }

    /** Builds the client and opens a shell (the first request: connect, authenticate). */
    static TargetSession open(Target target, Credential credential, WinRmSettings settings, WinRmClientContext context,
                              long deadlineNanos) {
        AtomicLong deadline = new AtomicLong(deadlineNanos);
        // A failure to open is read from what this thread sends from here on, not from an earlier call.
        WsManCalls.reset();
        String host = target.address().contains(":") ? "[" + target.address() + "]" : target.address();
        String url = (target.scheme() == Target.Scheme.HTTPS ? "https" : "http") + "://" + host + ":" + target.port()
                + "/wsman";
        WinRmClientBuilder builder = WinRmClient.builder(url)
                .authenticationScheme(target.auth().winRm4jName())
                .credentials(credential.user(), credential.password())
                .connectionTimeout(settings.connectTimeout().toMillis())
                .operationTimeout(settings.operationTimeout().toMillis())
                .receiveTimeout(settings.replyTimeout().toMillis())
                // WinRM4j would send Receive again forever while a command runs: only until the deadline.
                .retryReceiveAfterOperationTimeout(shellId -> System.nanoTime() - deadline.get() < 0)
                .failureRetryPolicy(NEVER)
                .context(context);
        WinRmClient client = builder.build();
        try {
            OneConnection.limit(builder);
            ShellCommand shell = client.createShell();
            ShellHandlerChain.dropAfterCreate(client);
            return new TargetSession(target, credential, client, shell, deadline);
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw e;
        }
    }

    int run(String commandLine, Writer out, Writer err, long deadlineNanos) {
        return run(commandLine, null, out, err, deadlineNanos);
    }

    /** With {@code stdin} (null or empty: none) sent as the command's whole standard input. */
    int run(String commandLine, byte[] stdin, Writer out, Writer err, long deadlineNanos) {
        deadline.set(deadlineNanos);
        commands++;
        sent = WsManCalls.reset();
        if (stdin == null || stdin.length == 0) {
            return shell.execute(commandLine, out, err);
        }
        return StandardInput.execute(shell, commandLine, stdin, out, err);
    }

    /**
     * Whether the latest command line's Command was answered (WinRM4j went on to Receive): it runs on the
     * host then, whatever failed afterwards, and must not be sent again by the transport.
     */
    boolean commandAnswered() {
        return sent.commandAnswered();
    }

    /** Whether the latest command line's Command went out at all, answered or not: it may have started. */
    boolean commandSent() {
        return sent.command();
    }

    /** Whether this session ran a command before (so a failure may come from a shell the host dropped). */
    boolean reused() {
        return commands > 0;
    }

    void idle() {
        idleSince = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - idleSince;
    }

    boolean serves(Target target, Credential credential) {
        return this.target.equals(target) && this.credential.equals(credential);
    }

    /** Deletes the shell and drops the client. Talks to the host: never on a caller's deadline. */
    void close() {
        try {
            shell.close();
        } catch (RuntimeException ignored) {
            // The host may be gone; the shell then dies with its idle timeout there.
        }
        closeQuietly(client);
    }

    private static void closeQuietly(WinRmClient client) {
        try {
            client.close();
        } catch (RuntimeException ignored) {
            // Nothing to release that a failed close would keep.
        }
    }
}
