package io.antidote.winrm;

import io.cloudsoft.winrm4j.client.WinRmClientContext;
import io.opentelemetry.api.trace.Span;
import org.apache.cxf.Bus;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.service.model.BindingOperationInfo;

import java.lang.reflect.Method;

/**
 * Which WS-Management operations WinRM4j sent on the calling thread: WinRM4j runs a command as one call
 * (Command, then Receive until done, then Signal), and only what went out says whether the command may
 * have started on the host when that call fails. Recorded by an interceptor on the CXF bus, which runs
 * on the thread that makes the call.
 */
final class WsManCalls extends AbstractPhaseInterceptor<Message> {

    private static final ThreadLocal<Sent> SENT = ThreadLocal.withInitial(Sent::new);

    /** What one thread sent since its last {@link #reset()}. */
    static final class Sent {
        private boolean command;
        private String last;
        /** The HTTP status of the reply to the latest request, 0 while none came. */
        private int status;

        /** Whether a Command went out and something after it: its reply came, so the command runs there. */
        boolean commandAnswered() {
            return command && !"Command".equals(last);
        }

        /** Whether a Command went out, answered or not. */
        boolean command() {
            return command;
        }

        /**
         * The HTTP status the latest request was answered with, 0 when no answer came. CXF reads an HTTP 500
         * as a SOAP fault and, when its body is empty, reports only the XML parser's end of file: the status
         * is known here alone.
         */
        int status() {
            return status;
        }
    }

    private WsManCalls() {
        super(Phase.PREPARE_SEND);
    }

    /** Records the operations of every WinRM client built on this context, and the status of their replies. */
    static void install(WinRmClientContext context) {
        Bus bus = busOf(context);
        bus.getOutInterceptors().add(new WsManCalls());
        // A synchronous call reads its reply on the calling thread, whichever chain (reply or fault) reads it.
        bus.getInInterceptors().add(new Replies());
        bus.getInFaultInterceptors().add(new Replies());
    }

    /** The CXF bus of the context's clients: WinRM4j keeps it to itself (package-private getBus()). */
    static Bus busOf(WinRmClientContext context) {
        try {
            Method getBus = WinRmClientContext.class.getDeclaredMethod("getBus");
            getBus.setAccessible(true);
            return (Bus) getBus.invoke(context);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("WinRM4j's client context has no CXF bus to watch", e);
        }
    }

    /** The calling thread's current record. */
    static Sent current() {
        return SENT.get();
    }

    /** Starts a new record for the calling thread and returns it. */
    static Sent reset() {
        Sent sent = new Sent();
        SENT.set(sent);
        return sent;
    }

    @Override
    public void handleMessage(Message message) {
        SENT.get().status = 0;
        BindingOperationInfo operation = message.getExchange() == null ? null
                : message.getExchange().getBindingOperationInfo();
        if (operation == null) {
            return;
        }
        Sent sent = SENT.get();
        sent.last = operation.getName().getLocalPart();
        // The call's span (WinRm4jShell) is current on this thread: one event per operation (Create, Command,
        // Receive, Signal, Delete), named by the operation alone.
        Span.current().addEvent(sent.last);
        if ("Command".equals(sent.last)) {
            sent.command = true;
        }
    }

    /** Notes the HTTP status of each reply, before anything parses its body. */
    private static final class Replies extends AbstractPhaseInterceptor<Message> {

        Replies() {
            super(Phase.RECEIVE);
        }

        @Override
        public void handleMessage(Message message) {
            if (message.get(Message.RESPONSE_CODE) instanceof Integer code) {
                SENT.get().status = code;
            }
        }
    }
}
