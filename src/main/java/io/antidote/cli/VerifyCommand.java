package io.antidote.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.antidote.verify.Verify;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Checks an audit export offline, without the service: the auditors' own verifier ({@link Verify}, the very class
 * {@code java src/verify/Verify.java} runs), so the CLI and the one-file verifier cannot disagree.
 */
@Command(name = "verify", description = "Check an audit export offline with the service's public key(s): every "
        + "event's hash, the chain, and the signed checkpoints. Needs no server.")
final class VerifyCommand implements Callable<Integer> {

    @Mixin
    Printer printer;

    @Parameters(index = "0", paramLabel = "EXPORT", description = "The export (JSON Lines), from `antidote export`.")
    Path export;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY", description = "Public key files (PEM), current and older.")
    List<Path> keys;

    @Override
    public Integer call() {
        List<Verify.RunResult> results;
        try {
            results = Verify.verify(export, keys);
        } catch (Verify.Unreadable e) {
            throw new CommandFailed(Exit.FAILED, "cannot verify: " + e.getMessage());
        }
        if (results.isEmpty()) {
            throw new CommandFailed(Exit.FAILED, "the export holds no run: nothing verified");
        }
        boolean all = results.stream().allMatch(Verify.RunResult::verified);
        if (printer.json) {
            ArrayNode runs = Api.JSON.createArrayNode();
            results.forEach(r -> runs.addObject().put("runId", r.runId()).put("verified", r.verified())
                    .put("events", r.events()).put("signedUpToSeq", r.signedUpTo())
                    .put("firstBadSeq", r.firstBadSeq()).put("problem", r.problem()));
            printer.json(Api.JSON.createObjectNode().put("verified", all).set("runs", runs));
        } else {
            results.forEach(r -> printer.line(r.describe()));
        }
        return all ? Exit.OK : Exit.FAILED;
    }
}
