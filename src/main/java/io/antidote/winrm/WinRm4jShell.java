package io.antidote.winrm;

import io.cloudsoft.winrm4j.client.WinRmClientContext;
import io.cloudsoft.winrm4j.winrm.WinRmTool;
import io.cloudsoft.winrm4j.winrm.WinRmToolResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@link RemoteShell} over WinRM4j. One {@link WinRmClientContext} per process: it holds the CXF bus,
 * and building one per call is waste. WinRM4j blocks and has no overall command timeout; the engine
 * runs this on worker threads and enforces the step timeout itself.
 */
@ApplicationScoped
public class WinRm4jShell implements RemoteShell {

    private final CredentialResolver credentials;
    private final WinRmClientContext context = WinRmClientContext.newInstance();

    WinRm4jShell(CredentialResolver credentials) {
        this.credentials = credentials;
    }

    @Override
    public ScriptResult runPowerShell(Target target, String script) {
        Credential credential = credentials.resolve(target.credential());
        WinRmTool tool = WinRmTool.Builder.builder(target.address(), null, credential.user(), credential.password())
                .authenticationScheme(target.auth().winRm4jName())
                .port(target.port())
                .useHttps(target.scheme() == Target.Scheme.HTTPS)
                .context(context)
                .build();
        tool.setConnectionTimeout(10_000L);
        tool.setRetriesForConnectionFailures(1);
        WinRmToolResponse response;
        try {
            response = tool.executePs(script);
        } catch (RuntimeException e) {
            // CXF messages can carry request details; keep the cause's type and a masked message only.
            throw new TransportException("WinRM to '" + target.name() + "' failed: "
                    + Redaction.mask(describe(e), credential.password()), null);
        }
        return new ScriptResult(response.getStatusCode(),
                Redaction.mask(response.getStdOut(), credential.password()),
                Redaction.mask(response.getStdErr(), credential.password()));
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return root.getClass().getSimpleName() + message;
    }

    @PreDestroy
    void close() {
        context.shutdown();
    }
}
