package io.antidote.lab.wsman;

/** Namespaces, actions and URIs of WS-Management and its Windows Remote Shell extension (MS-WSMV). */
final class WsMan {

    static final String NS_SOAP = "http://www.w3.org/2003/05/soap-envelope";
    static final String NS_ADDRESSING = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    static final String NS_TRANSFER = "http://schemas.xmlsoap.org/ws/2004/09/transfer";
    static final String NS_WSMAN = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
    static final String NS_MS_WSMAN = "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd";
    static final String NS_SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
    static final String NS_WSMAN_FAULT = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault";

    static final String ANONYMOUS = NS_ADDRESSING + "/role/anonymous";
    static final String CMD_SHELL_URI = NS_SHELL + "/cmd";

    static final String ACTION_CREATE = NS_TRANSFER + "/Create";
    static final String ACTION_DELETE = NS_TRANSFER + "/Delete";
    static final String ACTION_COMMAND = NS_SHELL + "/Command";
    static final String ACTION_RECEIVE = NS_SHELL + "/Receive";
    static final String ACTION_SIGNAL = NS_SHELL + "/Signal";
    static final String ACTION_SEND = NS_SHELL + "/Send";
    static final String ACTION_FAULT = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault";

    static final String STATE_RUNNING = NS_SHELL + "/CommandState/Running";
    static final String STATE_DONE = NS_SHELL + "/CommandState/Done";

    static final String SIGNAL_TERMINATE = NS_SHELL + "/signal/terminate";
    static final String SIGNAL_CTRL_C = NS_SHELL + "/signal/ctrl_c";
    static final String SIGNAL_CTRL_BREAK = NS_SHELL + "/signal/ctrl_break";

    private WsMan() {
    }

    static String responseAction(String requestAction) {
        return requestAction + "Response";
    }
}
