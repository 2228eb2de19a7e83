package io.antidote.winrm;

import org.apache.cxf.transport.http.HTTPException;
import org.apache.http.ConnectionClosedException;
import org.apache.http.conn.ConnectTimeoutException;
import org.w3c.dom.Node;

import javax.net.ssl.SSLException;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLStreamException;
import javax.xml.soap.Detail;
import javax.xml.soap.SOAPFault;
import javax.xml.ws.soap.SOAPFaultException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Iterator;
import java.util.Optional;

/**
 * Turns what WinRM4j and CXF throw into a {@link TransportFailure}: the one place that knows their exception
 * types, the HTTP status CXF hides behind a parse error, and the two messages that are all WinRM4j gives for a
 * refused NTLM logon. Everything past the adapter decides on kinds.
 */
final class WinRmFailures {

    /** WSManFault code for a shell the host no longer knows (it timed out or was deleted there). */
    static final String UNKNOWN_SHELL = "2150858843";

    private WinRmFailures() {
    }

    /**
     * @param failure     what the WinRM4j call threw
     * @param status      the HTTP status of the reply to the failed request, 0 when none came
     * @param commandSent whether the script's Command went out before the failure
     * @param secret      masked wherever it appears in a message kept in the kind
     */
    static TransportFailure classify(Throwable failure, Target target, int status, boolean commandSent, String secret) {
        if (find(failure, SSLException.class).isPresent()) {
            return new TransportFailure.Tls(Redaction.describe(failure, secret));
        }
        Optional<UnknownHostException> unknown = find(failure, UnknownHostException.class);
        if (unknown.isPresent()) {
            return new TransportFailure.UnknownHost(target.address());
        }
        if (find(failure, NoRouteToHostException.class).isPresent()) {
            return new TransportFailure.Unreachable("no route to host", commandSent);
        }
        if (find(failure, ConnectTimeoutException.class).isPresent()) {
            return new TransportFailure.Unreachable("connect timed out", commandSent);
        }
        if (find(failure, ConnectException.class).isPresent()) {
            return new TransportFailure.ConnectionRefused(commandSent);
        }
        if (find(failure, ConnectionClosedException.class).isPresent()) {
            return new TransportFailure.ConnectionLost(false, commandSent);
        }
        if (find(failure, SocketTimeoutException.class).isPresent()) {
            return new TransportFailure.NoReply(commandSent);
        }
        if (find(failure, SocketException.class).isPresent()) {
            return new TransportFailure.ConnectionLost(true, commandSent);
        }
        if (find(failure, XMLStreamException.class).filter(WinRmFailures::aboutDtd).isPresent()) {
            return new TransportFailure.HostileXml("a DTD", commandSent);
        }
        int code = find(failure, HTTPException.class).map(HTTPException::getResponseCode).orElse(status);
        if (code == 401 || refusedNtlmLogon(failure)) {
            return new TransportFailure.AuthenticationRefused(target.credential(), target.auth().name(), commandSent);
        }
        Optional<SOAPFaultException> soap = find(failure, SOAPFaultException.class);
        Optional<String> wsManCode = soap.flatMap(WinRmFailures::wsManFaultCode);
        if (soap.isPresent() && (wsManCode.isPresent() || code < 400 || code == 500 && hasSubcode(soap.get()))) {
            SOAPFault fault = soap.get().getFault();
            return new TransportFailure.WsManFault(wsManCode.orElse(""), subcode(fault),
                    Redaction.mask(String.valueOf(fault.getFaultString()).strip(), secret), commandSent);
        }
        if (code >= 400) {
            return new TransportFailure.HttpStatus(code, commandSent);
        }
        return new TransportFailure.Unexpected(Redaction.describe(failure, secret), commandSent);
    }

    /**
     * CXF reads replies with DTD support off (a DTD is how external entities and expansion bombs come in) and
     * stops at the DTD event; the parser's exception has no type of its own for that, only its message.
     */
    private static boolean aboutDtd(XMLStreamException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("event DTD") || message.contains("DOCTYPE");
    }

    /** Whether the host forgot the shell: a kept session's shell timed out or was deleted there. */
    static boolean isUnknownShell(TransportFailure failure) {
        return failure instanceof TransportFailure.WsManFault fault && UNKNOWN_SHELL.equals(fault.code());
    }

    /**
     * WinRM4j ends a refused NTLM logon in "Invalid credentials or incompatible authentication schemes"
     * (IllegalStateException), or CXF gives up first with "Authorization loop detected" (IOException): there
     * is no type or status to tell them by. The only place that reads a message.
     */
    private static boolean refusedNtlmLogon(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.startsWith("Invalid credentials or incompatible authentication schemes")
                    || message.startsWith("Authorization loop detected"))) {
                return true;
            }
        }
        return false;
    }

    /** The Code of the WSManFault in the SOAP fault's Detail, when the host sent one. */
    private static Optional<String> wsManFaultCode(SOAPFaultException exception) {
        SOAPFault fault = exception.getFault();
        Detail detail = fault == null ? null : fault.getDetail();
        if (detail == null) {
            return Optional.empty();
        }
        for (Node child = detail.getFirstChild(); child != null; child = child.getNextSibling()) {
            Node code = child.getAttributes() == null ? null : child.getAttributes().getNamedItem("Code");
            if (code != null && !code.getNodeValue().isBlank()) {
                return Optional.of(code.getNodeValue().strip());
            }
        }
        return Optional.empty();
    }

    private static boolean hasSubcode(SOAPFaultException exception) {
        return !subcode(exception.getFault()).isEmpty();
    }

    private static String subcode(SOAPFault fault) {
        if (fault == null) {
            return "";
        }
        Iterator<QName> subcodes = fault.getFaultSubcodes();
        return subcodes.hasNext() ? subcodes.next().getLocalPart() : "";
    }

    private static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
