package io.antidote.lab.exchange;

import java.util.List;
import java.util.Locale;

/**
 * A Windows Firewall rule. {@code name} is the rule's unique id (a {GUID} for rules made by
 * New-NetFirewallRule); display names may repeat, as on Windows. Protocol is "TCP", "UDP" or
 * "Any"; local ports are "Any" or entries such as "443" and "5985-5986".
 */
public record FirewallRule(String name, String displayName, String description, Direction direction,
                           String protocol, List<String> localPorts, Action action, boolean enabled) {

    public enum Direction { Inbound, Outbound }

    public enum Action { Allow, Block }

    public FirewallRule {
        localPorts = List.copyOf(localPorts);
    }

    /** Whether this rule, if enabled, applies to inbound traffic on that protocol and port. */
    public boolean coversInbound(String proto, int port) {
        if (direction != Direction.Inbound) {
            return false;
        }
        String p = protocol.toUpperCase(Locale.ROOT);
        if (!(p.equals("ANY") || p.equals(proto.toUpperCase(Locale.ROOT)))) {
            return false;
        }
        for (String entry : localPorts) {
            if (entry.equalsIgnoreCase("Any")) {
                return true;
            }
            int dash = entry.indexOf('-');
            try {
                if (dash > 0) {
                    int lo = Integer.parseInt(entry.substring(0, dash).trim());
                    int hi = Integer.parseInt(entry.substring(dash + 1).trim());
                    if (port >= lo && port <= hi) {
                        return true;
                    }
                } else if (Integer.parseInt(entry.trim()) == port) {
                    return true;
                }
            } catch (NumberFormatException keyword) {
                // Keywords such as RPC or IPHTTPS name no TCP port number.
            }
        }
        return false;
    }

    /** Blocks untrusted HTTPS: enabled, inbound, Block, covering TCP 443. */
    public boolean blocksInboundHttps() {
        return enabled && action == Action.Block && coversInbound("TCP", 443);
    }

    FirewallRule withEnabled(boolean value) {
        return new FirewallRule(name, displayName, description, direction, protocol, localPorts, action, value);
    }
}
