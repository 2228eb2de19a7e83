package io.antidote.lab.exchange;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code msiexec.exe} does with a command line on the simulated server. Only patch
 * installs are modelled ({@code /update} or {@code /p}); the result is msiexec's exit code:
 * 0 success, 3010 success with a reboot required, 1603 fatal error, 1619 package not found,
 * 1636 not a patch package, 1639 invalid command line, 1642 no product the patch applies to.
 */
final class Msiexec {

    static final int SUCCESS = 0;
    static final int FATAL_ERROR = 1603;
    static final int PACKAGE_OPEN_FAILED = 1619;
    static final int PATCH_PACKAGE_INVALID = 1636;
    static final int INVALID_COMMAND_LINE = 1639;
    static final int PATCH_TARGET_NOT_FOUND = 1642;
    static final int SUCCESS_REBOOT_REQUIRED = 3010;

    private Msiexec() {
    }

    /** Runs one msiexec command line against the server; the caller holds the server's lock. */
    static int run(ExchangeServer server, String commandLine, String workingDirectory, LocalDateTime now) {
        List<String> args = split(commandLine);
        String patch = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String option = a.toLowerCase(Locale.ROOT);
            if (option.equals("/update") || option.equals("/p") || option.equals("-update") || option.equals("-p")) {
                if (i + 1 >= args.size() || patch != null) {
                    return INVALID_COMMAND_LINE;
                }
                patch = args.get(++i);
            } else if (option.startsWith("/l") || option.startsWith("-l")) {
                if (i + 1 >= args.size()) {
                    return INVALID_COMMAND_LINE;
                }
                i++; // the log file: the lab writes none
            } else if (!isQuietOrRestartOption(option)) {
                return INVALID_COMMAND_LINE;
            }
        }
        if (patch == null) {
            return INVALID_COMMAND_LINE;
        }
        String path;
        try {
            path = LabFileSystem.isAbsolute(patch) ? LabFileSystem.normalize(patch)
                    : LabFileSystem.normalize(workingDirectory + "\\" + patch);
        } catch (IllegalArgumentException badPath) {
            return PACKAGE_OPEN_FAILED;
        }
        var file = server.files().get(path);
        if (file.isEmpty() || file.get().directory()) {
            return PACKAGE_OPEN_FAILED;
        }
        var found = PatchPackage.read(file.get().content());
        if (found.isEmpty()) {
            return PATCH_PACKAGE_INVALID;
        }
        String kb = found.get().kb();
        CumulativeUpdate cu = server.cumulativeUpdate();
        // The package of the supported CUs installs on each of them; an out-of-band one only on its own old CU.
        boolean fits = found.get().cu() == null ? cu.targetedByMarchUpdatePackage()
                : cu.hasOutOfBandUpdate() && found.get().cu().equals(cu.cuName());
        if (!found.get().version().equals(cu.version()) || !fits) {
            return PATCH_TARGET_NOT_FOUND;
        }
        if (server.hasUpdate(kb)) {
            return SUCCESS;
        }
        if (server.hasFault(Fault.REFUSE_UPDATE) || server.refusesThisUpdateOnce()) {
            return FATAL_ERROR;
        }
        server.applySecurityUpdate(kb, cu.fixedBuild(), now);
        return SUCCESS_REBOOT_REQUIRED;
    }

    private static boolean isQuietOrRestartOption(String o) {
        if (o.startsWith("-")) {
            o = "/" + o.substring(1);
        }
        return o.equals("/quiet") || o.equals("/passive") || o.equals("/norestart") || o.equals("/promptrestart")
                || o.equals("/forcerestart") || o.matches("/q[nbrf]?[+-]?");
    }

    /** Splits a Windows command line the way msiexec does: spaces separate, double quotes group. */
    static List<String> split(String commandLine) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < commandLine.length(); i++) {
            char c = commandLine.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if ((c == ' ' || c == '\t') && !quoted) {
                if (any) {
                    args.add(current.toString());
                    current.setLength(0);
                    any = false;
                }
            } else {
                current.append(c);
                any = true;
            }
        }
        if (any) {
            args.add(current.toString());
        }
        return args;
    }
}
