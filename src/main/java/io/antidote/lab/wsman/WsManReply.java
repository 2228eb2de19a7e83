package io.antidote.lab.wsman;

import java.util.Locale;
import java.util.UUID;

/**
 * One SOAP reply: HTTP status, response action and the content of {@code s:Body}. Rendered with
 * its own MessageID and a RelatesTo echoing the request's MessageID exactly (pywinrm checks it,
 * and without it CXF waits a minute on an empty-bodied reply).
 */
record WsManReply(int httpStatus, String action, String bodyXml) {

    static WsManReply ok(String requestAction, String bodyXml) {
        return new WsManReply(200, WsMan.responseAction(requestAction), bodyXml);
    }

    static WsManReply fault(WsManFault fault, String machine) {
        return new WsManReply(500, WsMan.ACTION_FAULT, fault.bodyXml(machine));
    }

    /** A fault answered with HTTP 400, as Windows refuses a message it will not read at all. */
    static WsManReply badRequest(WsManFault fault, String machine) {
        return new WsManReply(400, WsMan.ACTION_FAULT, fault.bodyXml(machine));
    }

    /** The whole envelope, on one line as Windows writes it; {@code relatesTo} null when the request had none. */
    String render(String relatesTo) {
        StringBuilder xml = new StringBuilder(bodyXml.length() + 1024);
        xml.append("<s:Envelope xml:lang=\"en-US\" xmlns:s=\"").append(WsMan.NS_SOAP)
                .append("\" xmlns:a=\"").append(WsMan.NS_ADDRESSING)
                .append("\" xmlns:x=\"").append(WsMan.NS_TRANSFER)
                .append("\" xmlns:w=\"").append(WsMan.NS_WSMAN)
                .append("\" xmlns:rsp=\"").append(WsMan.NS_SHELL)
                .append("\" xmlns:p=\"").append(WsMan.NS_MS_WSMAN).append("\">")
                .append("<s:Header><a:Action>").append(action).append("</a:Action>")
                .append("<a:MessageID>uuid:").append(UUID.randomUUID().toString().toUpperCase(Locale.ROOT))
                .append("</a:MessageID><a:To>").append(WsMan.ANONYMOUS).append("</a:To>");
        if (relatesTo != null) {
            xml.append("<a:RelatesTo>").append(Xml.escape(relatesTo)).append("</a:RelatesTo>");
        }
        return xml.append("</s:Header><s:Body>").append(bodyXml).append("</s:Body></s:Envelope>").toString();
    }
}
