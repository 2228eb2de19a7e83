package io.antidote.lab.wsman;

/**
 * A SOAP fault as Windows' WinRM service answers it: HTTP 500, {@code s:Code/s:Value} Sender or
 * Receiver with a WS-Management or WS-Addressing subcode, a reason, and for the faults whose
 * Windows error number clients test, a {@code WSManFault} detail carrying it.
 */
final class WsManFault extends Exception {

    /** ERROR_WSMAN_OPERATION_TIMEDOUT: clients send another Receive. */
    static final long CODE_TIMED_OUT = 2150858793L;
    /** The shell (or command) is not known: WinRM4j ignores it on Signal and Delete. */
    static final long CODE_SHELL_NOT_FOUND = 2150858843L;
    /**
     * The per-user shell quota; believed to be the number Windows uses for "maximum number of
     * concurrent shells", not verified on the wire.
     */
    static final long CODE_SHELL_QUOTA = 2150859174L;

    private final boolean senderAtFault;
    private final String subcode;
    private final String reason;
    private final Long wsmanCode;

    private WsManFault(boolean senderAtFault, String subcode, String reason, Long wsmanCode) {
        super(reason, null, false, false);
        this.senderAtFault = senderAtFault;
        this.subcode = subcode;
        this.reason = reason;
        this.wsmanCode = wsmanCode;
    }

    static WsManFault timedOut() {
        return new WsManFault(false, "w:TimedOut",
                "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.",
                CODE_TIMED_OUT);
    }

    static WsManFault shellNotFound(String shellId) {
        return new WsManFault(true, "w:InvalidSelectors",
                "The request for the Windows Remote Shell with ShellId " + shellId
                        + " failed because the shell was not found on the server. Possible causes are: the specified"
                        + " ShellId is incorrect or the shell no longer exists on the server. Provide the correct"
                        + " ShellId or create a new shell and retry the operation.",
                CODE_SHELL_NOT_FOUND);
    }

    static WsManFault commandNotFound(String commandId) {
        return new WsManFault(true, "w:InvalidSelectors",
                "The request for the Windows Remote Shell failed because the command with CommandId " + commandId
                        + " was not found in the shell. Possible causes are: the specified CommandId is incorrect"
                        + " or the command no longer exists.",
                CODE_SHELL_NOT_FOUND);
    }

    static WsManFault shellQuota(int maxShells) {
        return new WsManFault(false, "w:QuotaLimit",
                "The WS-Management service cannot process the request. This user is allowed a maximum number of "
                        + maxShells + " concurrent shells, which has been exceeded. Close existing shells or raise"
                        + " the quota for this user.",
                CODE_SHELL_QUOTA);
    }

    static WsManFault commandQuota(int maxCommands) {
        return new WsManFault(false, "w:QuotaLimit",
                "The WS-Management service cannot process the request. The shell already holds " + maxCommands
                        + " commands; signal finished commands before starting new ones.",
                null);
    }

    static WsManFault malformed(String what) {
        return new WsManFault(true, "w:SchemaValidationError",
                "The SOAP XML in the message does not match the corresponding XML schema definition. " + what,
                null);
    }

    static WsManFault missingMessageId() {
        return new WsManFault(true, "a:MessageInformationHeaderRequired",
                "The WS-Management service cannot process the request because the header is missing a MessageID.",
                null);
    }

    static WsManFault actionNotSupported() {
        return new WsManFault(true, "a:ActionNotSupported",
                "The WS-Management service cannot process the request. The action is not supported by the service.",
                null);
    }

    static WsManFault resourceNotSupported() {
        return new WsManFault(true, "w:DestinationUnreachable",
                "The WS-Management service cannot process the request because the resource URI is not supported;"
                        + " this host offers the cmd shell only.",
                null);
    }

    static WsManFault invalidOption(String detail) {
        return new WsManFault(true, "w:InvalidOptions",
                "The WS-Management service cannot process the request because an option is invalid. " + detail,
                null);
    }

    static WsManFault invalidStream() {
        return new WsManFault(true, "w:InvalidParameter",
                "The WS-Management service cannot process the request because the stream is not an input stream of"
                        + " the shell; the shell's input stream is stdin.",
                null);
    }

    static WsManFault inputClosed() {
        return new WsManFault(true, "w:InvalidParameter",
                "The WS-Management service cannot process the request because the command's input has ended or"
                        + " the command has finished.",
                null);
    }

    static WsManFault unsupportedSignal() {
        return new WsManFault(true, "w:UnsupportedFeature",
                "The WS-Management service cannot process the request because the signal code is not supported.",
                null);
    }

    static WsManFault internalError() {
        return new WsManFault(false, "w:InternalError",
                "The WS-Management service cannot process the request because of an internal error.",
                null);
    }

    static WsManFault envelopeTooLarge(int maxBytes) {
        return new WsManFault(true, "w:EncodingLimit",
                "The WS-Management service cannot process the request because the request is larger than "
                        + maxBytes + " bytes.",
                null);
    }

    static WsManFault unencryptedRefused() {
        return new WsManFault(true, "w:AccessDenied",
                "The WinRM service refuses unencrypted messages (AllowUnencrypted is false): after NTLM"
                        + " authentication over HTTP, send the body as multipart/encrypted.",
                null);
    }

    static WsManFault encryptedWithoutSession() {
        return new WsManFault(true, "w:AccessDenied",
                "The message is encrypted but this connection has no NTLM session that can seal: authenticate"
                        + " with NTLM, negotiating signing, sealing and extended session security.",
                null);
    }

    /** @param why the integrity check that failed, naming no key or content */
    static WsManFault integrityFailure(String why) {
        return new WsManFault(true, "w:AccessDenied",
                "The WinRM service refused the encrypted message: " + why
                        + ". The connection's security context is discarded; authenticate again.",
                null);
    }

    /** The fault's {@code s:Body} content; no whitespace anywhere inside {@code s:Detail} (WinRM4j gives up otherwise). */
    String bodyXml(String machine) {
        StringBuilder xml = new StringBuilder(512);
        xml.append("<s:Fault><s:Code><s:Value>").append(senderAtFault ? "s:Sender" : "s:Receiver")
                .append("</s:Value><s:Subcode><s:Value>").append(subcode).append("</s:Value></s:Subcode></s:Code>")
                .append("<s:Reason><s:Text xml:lang=\"en-US\">").append(Xml.escape(reason)).append("</s:Text></s:Reason>");
        if (wsmanCode != null) {
            xml.append("<s:Detail><f:WSManFault xmlns:f=\"").append(WsMan.NS_WSMAN_FAULT).append("\" Code=\"")
                    .append(wsmanCode).append("\" Machine=\"").append(Xml.escape(machine)).append("\"><f:Message>")
                    .append(Xml.escape(reason)).append("</f:Message></f:WSManFault></s:Detail>");
        }
        return xml.append("</s:Fault>").toString();
    }
}
