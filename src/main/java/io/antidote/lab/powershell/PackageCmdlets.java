package io.antidote.lab.powershell;

import static io.antidote.lab.powershell.Param.Kind.*;

import io.antidote.lab.exchange.LabFileSystem;
import io.antidote.lab.exchange.PatchPackage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Get-FileHash and Get-AuthenticodeSignature: what a patch step checks an update package with before it lets
 * msiexec near it. A file's bytes are its text as UTF-8; its signature is what {@link PatchPackage#signature}
 * finds in it (Valid, HashMismatch for a package altered after signing, NotSigned for any other file).
 */
final class PackageCmdlets {

    private static final String UTILITY = "Microsoft.PowerShell.Utility";
    private static final String SECURITY = "Microsoft.PowerShell.Security";
    private static final String SIGNATURE_STATUS = "System.Management.Automation.SignatureStatus";

    private PackageCmdlets() {
    }

    static void register() {
        Commands.add("Get-FileHash", "Microsoft.PowerShell.Commands.GetFileHashCommand", UTILITY, true, false,
                GetFileHash::new,
                Param.of("Path", STRINGS).pos(0).fromPipeline(), Param.of("LiteralPath", STRINGS).alias("PSPath", "LP"),
                Param.of("Algorithm", STRING).pos(1).oneOf("SHA1", "SHA256", "SHA384", "SHA512", "MD5"));
        Commands.add("Get-AuthenticodeSignature", "Microsoft.PowerShell.Commands.GetAuthenticodeSignatureCommand",
                SECURITY, true, false, GetAuthenticodeSignature::new,
                Param.of("FilePath", STRINGS).pos(0).fromPipeline().alias("Path"),
                Param.of("LiteralPath", STRINGS).alias("PSPath"));
    }

    /** The file entries a -Path/-LiteralPath (or a piped file) names; an error for each that names none. */
    private static List<LabFileSystem.Entry> files(CommandContext ctx, String raw, boolean literal) {
        List<LabFileSystem.Entry> found = FileSystemCmdlets.resolve(ctx, raw)
                .map(p -> literal ? ctx.server().files().get(p).map(List::of).orElse(List.<LabFileSystem.Entry>of())
                        : FileSystemCmdlets.expand(ctx.server().files(), p))
                .orElse(List.of());
        if (found.isEmpty()) {
            ctx.writeError(FileSystemCmdlets.notFound(ctx, raw));
        }
        return found.stream().filter(e -> !e.directory()).toList();
    }

    static final class GetFileHash extends Cmdlet {
        @Override
        void process(Object input) {
            FileSystemCmdlets.requirePathOrLiteralPath(ctx, input);
            String algorithm = ctx.has("Algorithm") ? ctx.string("Algorithm").toUpperCase(Locale.ROOT) : "SHA256";
            for (String raw : FileSystemCmdlets.paths(ctx, input)) {
                for (LabFileSystem.Entry e : files(ctx, raw, ctx.has("LiteralPath"))) {
                    ctx.write(PsObject.typed("Microsoft.Powershell.Utility.FileHash")
                            .add("Algorithm", algorithm)
                            .add("Hash", hash(algorithm, e.content()))
                            .add("Path", e.path()));
                }
            }
        }

        private static String hash(String algorithm, String content) {
            String java = algorithm.startsWith("SHA") ? "SHA-" + algorithm.substring(3) : algorithm;
            try {
                byte[] digest = MessageDigest.getInstance(java).digest(content.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().withUpperCase().formatHex(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static final class GetAuthenticodeSignature extends Cmdlet {
        @Override
        void process(Object input) {
            if (input == Interpreter.NO_INPUT && !ctx.has("FilePath") && !ctx.has("LiteralPath")) {
                throw ctx.terminating(ctx.error("Cannot process command because of one or more missing mandatory "
                        + "parameters: FilePath.", "InvalidArgument", "", "", null,
                        "System.Management.Automation.ParameterBindingException", "MissingMandatoryParameter"));
            }
            List<String> raws = input != Interpreter.NO_INPUT ? List.of(FileSystemCmdlets.pathOf(input))
                    : ctx.has("LiteralPath") ? ctx.strings("LiteralPath") : ctx.strings("FilePath");
            for (String raw : raws) {
                for (LabFileSystem.Entry e : files(ctx, raw, ctx.has("LiteralPath"))) {
                    ctx.write(signature(e));
                }
            }
        }

        private static PsObject signature(LabFileSystem.Entry e) {
            PatchPackage.Signature found = PatchPackage.signature(e.content());
            int value = switch (found.status()) {
                case "Valid" -> 0;
                case "NotSigned" -> 2;
                default -> 3;
            };
            String message = switch (found.status()) {
                case "Valid" -> "Signature verified.";
                case "NotSigned" -> "The file " + e.path() + " is not digitally signed.";
                default -> "The contents of file " + e.path() + " might have been changed by an unauthorized user or"
                        + " process, because the hash of the file does not match the hash stored in the digital signature.";
            };
            PsObject certificate = found.signer() == null ? null
                    : PsObject.typed("System.Security.Cryptography.X509Certificates.X509Certificate2")
                            .add("Subject", found.signer())
                            .add("Issuer", "CN=Microsoft Code Signing PCA 2011, O=Microsoft Corporation, L=Redmond,"
                                    + " S=Washington, C=US")
                            .toStringAs(o -> "[Subject]\r\n  " + o.get("Subject"));
            return PsObject.typed("System.Management.Automation.Signature")
                    .add("SignerCertificate", certificate)
                    .add("TimeStamperCertificate", null)
                    .add("Status", new EnumValue(SIGNATURE_STATUS, found.status(), value))
                    .add("StatusMessage", message)
                    .add("Path", e.path())
                    .add("SignatureType", new EnumValue("System.Management.Automation.SignatureType",
                            found.signer() == null ? "None" : "Authenticode", found.signer() == null ? 0 : 1))
                    .add("IsOSBinary", false);
        }
    }
}
