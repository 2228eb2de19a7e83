package io.antidote.winrm;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.namespace.QName;
import javax.xml.soap.SOAPBody;
import javax.xml.soap.SOAPElement;
import javax.xml.soap.SOAPException;
import javax.xml.soap.SOAPHeader;
import javax.xml.soap.SOAPMessage;
import javax.xml.ws.handler.MessageContext;
import javax.xml.ws.handler.soap.SOAPHandler;
import javax.xml.ws.handler.soap.SOAPMessageContext;
import java.util.Base64;
import java.util.Set;

/**
 * Turns the marked Signal of {@link StandardInput} into the WS-Management Send that WinRM4j's port cannot
 * make: the body becomes {@code rsp:Send} with one {@code rsp:Stream Name="stdin" End="true"} holding the
 * input, the {@code wsa:Action} the Send action. The host's {@code rsp:SendResponse} is read back as the empty
 * {@code rsp:SignalResponse} the port expects. Every other message passes unchanged.
 */
final class SendOverSignal implements SOAPHandler<SOAPMessageContext> {

    private static final String ADDRESSING = "http://schemas.xmlsoap.org/ws/2004/08/addressing";

    @Override
    public boolean handleMessage(SOAPMessageContext context) {
        try {
            SOAPMessage message = context.getMessage();
            SOAPBody body = message.getSOAPBody();
            Element first = firstElement(body);
            if (first == null) {
                return true;
            }
            if (Boolean.TRUE.equals(context.get(MessageContext.MESSAGE_OUTBOUND_PROPERTY))) {
                if ("Signal".equals(first.getLocalName()) && isMarked(first)
                        && context.get(StandardInput.CHUNK) instanceof StandardInput.Chunk chunk) {
                    rewriteAsSend(message, body, chunk);
                }
            } else if ("SendResponse".equals(first.getLocalName()) && StandardInput.SHELL_NS.equals(first.getNamespaceURI())) {
                body.removeContents();
                body.addChildElement("SignalResponse", "rsp", StandardInput.SHELL_NS);
                message.saveChanges();
            }
            return true;
        } catch (SOAPException e) {
            throw new IllegalStateException("could not write the WS-Management Send of a command's input", e);
        }
    }

    private static void rewriteAsSend(SOAPMessage message, SOAPBody body, StandardInput.Chunk chunk)
            throws SOAPException {
        body.removeContents();
        SOAPElement stream = body.addChildElement("Send", "rsp", StandardInput.SHELL_NS)
                .addChildElement("Stream", "rsp", StandardInput.SHELL_NS);
        stream.setAttribute("Name", "stdin");
        stream.setAttribute("CommandId", chunk.commandId());
        stream.setAttribute("End", "true");
        stream.addTextNode(Base64.getEncoder().encodeToString(chunk.bytes()));
        SOAPHeader header = message.getSOAPHeader();
        if (header != null) {
            for (Node child = header.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element element && "Action".equals(element.getLocalName())
                        && ADDRESSING.equals(element.getNamespaceURI())) {
                    element.setTextContent(StandardInput.SEND_ACTION);
                }
            }
        }
        message.saveChanges();
    }

    private static boolean isMarked(Element signal) {
        for (Node child = signal.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && "Code".equals(element.getLocalName())) {
                return StandardInput.SEND_MARKER.equals(element.getTextContent().trim());
            }
        }
        return false;
    }

    private static Element firstElement(SOAPBody body) {
        for (Node child = body.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element) {
                return element;
            }
        }
        return null;
    }

    @Override
    public Set<QName> getHeaders() {
        return Set.of();
    }

    @Override
    public boolean handleFault(SOAPMessageContext context) {
        return true;
    }

    @Override
    public void close(MessageContext context) {
    }
}
