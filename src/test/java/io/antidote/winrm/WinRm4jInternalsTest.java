package io.antidote.winrm;

import io.cloudsoft.winrm4j.client.WinRmClient;
import io.cloudsoft.winrm4j.client.WinRmClientBuilder;
import io.cloudsoft.winrm4j.client.WinRmClientContext;
import org.apache.cxf.Bus;
import org.apache.cxf.transport.http.asyncclient.AsyncHTTPConduitFactory;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OneConnection and WsManCalls reach into WinRM4j by reflection, because WinRM4j 0.12.3 offers no setting
 * for either (docs/winrm.md). A WinRM4j or CXF upgrade that renames or retypes what they reach fails here,
 * naming the member and the class that needs revisiting, instead of failing a step on a host.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WinRm4jInternalsTest {

    @Test
    void the_client_builder_keeps_its_conduit_factory_in_a_field_OneConnection_can_read() throws Exception {
        Field field = declared(WinRmClientBuilder.class, "endpointConduitFactory");

        assertThat(Modifier.isStatic(field.getModifiers()))
                .as("WinRmClientBuilder.endpointConduitFactory must be an instance field (OneConnection reads it per builder)")
                .isFalse();
        WinRmClientContext context = WinRmClientContext.newInstance();
        try {
            WinRmClientBuilder builder = WinRmClient.builder("http://127.0.0.1:1/wsman")
                    .authenticationScheme("Basic").credentials("u", "p").context(context);
            WinRmClient client = builder.build();
            try {
                field.setAccessible(true);
                assertThat(field.get(builder))
                        .as("after build(), WinRmClientBuilder.endpointConduitFactory must hold CXF's "
                                + "AsyncHTTPConduitFactory whose pool OneConnection limits; revisit OneConnection")
                        .isInstanceOf(AsyncHTTPConduitFactory.class);
                OneConnection.limit(builder);
                Field perRoute = declared(AsyncHTTPConduitFactory.class, "maxPerRoute");
                perRoute.setAccessible(true);
                assertThat(perRoute.getInt(field.get(builder)))
                        .as("OneConnection's update must reach the pool WinRM4j uses").isEqualTo(1);
            } finally {
                client.close();
            }
        } finally {
            context.shutdown();
        }
    }

    @Test
    void a_client_comes_with_one_soap_handler_that_ShellHandlerChain_removes_with_cxfs_handler_interceptors() {
        WinRmClientContext context = WinRmClientContext.newInstance();
        try {
            WinRmClient client = WinRmClient.builder("http://127.0.0.1:1/wsman")
                    .authenticationScheme("NTLM").credentials("u", "p").context(context).build();
            try {
                assertThat(ShellHandlerChain.handlers(client))
                        .as("WinRM4j's StripShellResponseHandler, which only the reply to Create needs").isEqualTo(1);
                ShellHandlerChain.dropAfterCreate(client);
                assertThat(ShellHandlerChain.handlers(client)).isZero();
                assertThat(ShellHandlerChain.interceptors(client))
                        .as("with no handler CXF drops its SOAP handler interceptors, and with them the SAAJ DOM")
                        .noneMatch(i -> i.getClass().getName().contains("HandlerInterceptor"));
            } finally {
                client.close();
            }
        } finally {
            context.shutdown();
        }
    }

    @Test
    void the_client_context_hands_out_its_cxf_bus_to_WsManCalls() throws Exception {
        Method getBus = WinRmClientContext.class.getDeclaredMethod("getBus");
        assertThat(getBus.getParameterCount()).as("WinRmClientContext.getBus() takes no argument").isZero();
        assertThat(Bus.class.isAssignableFrom(getBus.getReturnType()))
                .as("WinRmClientContext.getBus() must return CXF's Bus, on which WsManCalls puts its interceptors; "
                        + "found " + getBus.getReturnType().getName() + ": revisit WsManCalls")
                .isTrue();
        WinRmClientContext context = WinRmClientContext.newInstance();
        try {
            getBus.setAccessible(true);
            Bus bus = (Bus) getBus.invoke(context);
            int out = bus.getOutInterceptors().size();
            WsManCalls.install(context);
            assertThat(bus.getOutInterceptors()).as("WsManCalls' interceptor is on the bus WinRM4j's clients use")
                    .hasSize(out + 1).anyMatch(i -> i instanceof WsManCalls);
        } finally {
            context.shutdown();
        }
    }

    @Test
    void a_shell_command_keeps_the_port_and_the_shell_StandardInput_drives_Send_with() throws Exception {
        Object[][] fields = {
                {"winrm", io.cloudsoft.winrm4j.client.WinRm.class},
                {"shellSelector", io.cloudsoft.winrm4j.client.wsman.SelectorSetType.class},
                {"operationTimeout", String.class},
                {"locale", io.cloudsoft.winrm4j.client.wsman.Locale.class},
                {"retryReceiveAfterOperationTimeout", java.util.function.Predicate.class}};
        for (Object[] field : fields) {
            Field declared = io.cloudsoft.winrm4j.client.ShellCommand.class.getDeclaredField((String) field[0]);
            assertThat(declared.getType()).as("ShellCommand.%s, which StandardInput reads to send a command's input;"
                    + " a change here means revisiting StandardInput (docs/winrm.md)", field[0]).isEqualTo(field[1]);
        }
    }

    private static Field declared(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new AssertionError(type.getName() + " has no field '" + name + "' any more: this WinRM4j version "
                    + "changed what OneConnection reaches into; revisit OneConnection (docs/winrm.md)", e);
        }
    }
}
