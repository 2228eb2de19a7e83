package io.antidote.winrm;

import io.cloudsoft.winrm4j.client.WinRmClientContext;
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

        /** Whether a Command went out and something after it: its reply came, so the command runs there. */
        boolean commandAnswered() {
            return command && !"Command".equals(last);
        }

        /** Whether a Command went out, answered or not. */
        boolean command() {
            return command;
        }
    }

    private WsManCalls() {
        super(Phase.PREPARE_SEND);
    }

    /** Records the operations of every WinRM client built on this context. */
    static void install(WinRmClientContext context) {
        try {
            // WinRM4j keeps the bus to itself (package-private); the interceptor must be on it.
            Method getBus = WinRmClientContext.class.getDeclaredMethod("getBus");
            getBus.setAccessible(true);
            ((Bus) getBus.invoke(context)).getOutInterceptors().add(new WsManCalls());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("WinRM4j's client context has no CXF bus to watch", e);
        }
    }

    /** Starts a new record for the calling thread and returns it. */
    static Sent reset() {
        Sent sent = new Sent();
        SENT.set(sent);
        return sent;
    }

    @Override
    public void handleMessage(Message message) {
        BindingOperationInfo operation = message.getExchange() == null ? null
                : message.getExchange().getBindingOperationInfo();
        if (operation == null) {
            return;
        }
        Sent sent = SENT.get();
        sent.last = operation.getName().getLocalPart();
        if ("Command".equals(sent.last)) {
            sent.command = true;
        }
    }
}
