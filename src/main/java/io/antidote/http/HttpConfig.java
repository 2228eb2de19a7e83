package io.antidote.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.util.Optional;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/** {@code antidote.http.*}: what a request may carry before {@link HttpEdge} answers with a problem document. */
@ConfigMapping(prefix = "antidote.http")
public interface HttpConfig {

    /** Longest request line (URI) accepted; longer is a 414. */
    @WithDefault("4096")
    @Min(1)
    int maxUriLength();

    /** Largest header block accepted; larger is a 431. */
    @WithDefault("16384")
    @Min(1)
    int maxHeaderBytes();

    /** Largest request body; larger is a 413 ({@code quarkus.http.limits.max-body-size} follows it). */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /**
     * Where else the console's forms may lead, besides this origin: the OIDC provider, whose logout the console's
     * logout form is redirected to ({@code quarkus.oidc.console.auth-server-url} by default). Only its origin
     * (scheme, host, port) goes into the console's Content-Security-Policy {@code form-action}.
     */
    Optional<URI> consoleFormTarget();
}
