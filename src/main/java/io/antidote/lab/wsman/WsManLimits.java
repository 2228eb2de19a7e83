package io.antidote.lab.wsman;

import java.time.Duration;

/**
 * What one lab host holds at most, so that a misbehaving client cannot exhaust memory or
 * threads. The defaults follow Windows' WinRM quotas where it has one (30 shells per user,
 * 500 KB envelopes).
 *
 * @param maxShells open shells per host; one more Create faults
 * @param maxCommandsPerShell commands a shell keeps until signalled; finished ones are evicted first
 * @param shellIdleTimeout a shell untouched this long is deleted
 * @param idleSweepInterval how often idle shells are looked for
 * @param maxReceiveHold the longest a Receive is held waiting for output, whatever its OperationTimeout
 * @param maxRequestBytes the largest request body read
 */
record WsManLimits(
        int maxShells,
        int maxCommandsPerShell,
        Duration shellIdleTimeout,
        Duration idleSweepInterval,
        Duration maxReceiveHold,
        int maxRequestBytes) {

    static WsManLimits defaults() {
        return new WsManLimits(30, 32, Duration.ofMinutes(30), Duration.ofSeconds(30), Duration.ofSeconds(30), 512_000);
    }

    WsManLimits withMaxShells(int max) {
        return new WsManLimits(max, maxCommandsPerShell, shellIdleTimeout, idleSweepInterval, maxReceiveHold, maxRequestBytes);
    }

    WsManLimits withIdleShells(Duration timeout, Duration sweepInterval) {
        return new WsManLimits(maxShells, maxCommandsPerShell, timeout, sweepInterval, maxReceiveHold, maxRequestBytes);
    }

    WsManLimits withMaxRequestBytes(int max) {
        return new WsManLimits(maxShells, maxCommandsPerShell, shellIdleTimeout, idleSweepInterval, maxReceiveHold, max);
    }
}
