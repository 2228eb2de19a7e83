package io.antidote.winrm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** {@code antidote.winrm.*}: see {@link WinRmSettings} and docs/winrm.md. */
@ConfigMapping(prefix = "antidote.winrm")
public interface WinRmConfig {

    @WithDefault("10s")
    Duration connectTimeout();

    @WithDefault("20s")
    Duration operationTimeout();

    @WithDefault("40s")
    Duration replyTimeout();

    @WithDefault("30m")
    Duration defaultStepTimeout();

    @WithDefault("1048576")
    int maxOutputChars();

    @WithDefault("32")
    int maxSessions();

    @WithDefault("2")
    int maxSessionsPerHost();

    @WithDefault("60s")
    Duration sessionIdleClose();

    Optional<String> trustStore();

    Optional<String> trustStorePassword();

    Breaker breaker();

    interface Breaker {
        @WithDefault("3")
        int failureThreshold();

        @WithDefault("60s")
        Duration openFor();
    }
}
