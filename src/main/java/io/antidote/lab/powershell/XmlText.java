package io.antidote.lab.powershell;

import java.util.Locale;

/**
 * XML the way Windows PowerShell 5.1 writes two of its serialisations, for what the lab's scripts print:
 * CLIXML ({@code [System.Management.Automation.PSSerializer]::Serialize}, what Export-Clixml writes) and
 * ConvertTo-Xml's {@code Objects} document. Strings, numbers, booleans and, for ConvertTo-Xml, one level of an
 * object's properties; anything else stops the script saying the lab does not serialise it.
 */
final class XmlText {

    private static final String NL = "\r\n";

    private XmlText() {
    }

    /** PSSerializer.Serialize: an {@code Objs} element holding the value; strings with CLIXML's escapes. */
    static String serialize(Object value) {
        return "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">" + NL
                + "  " + cliXmlValue(value) + NL + "</Objs>";
    }

    private static String cliXmlValue(Object value) {
        if (value == null) {
            return "<Nil />";
        }
        if (value instanceof String text) {
            return "<S>" + cliXmlString(text) + "</S>";
        }
        if (value instanceof Integer number) {
            return "<I32>" + number + "</I32>";
        }
        if (value instanceof Long number) {
            return "<I64>" + number + "</I64>";
        }
        if (value instanceof Boolean flag) {
            return "<B>" + flag + "</B>";
        }
        throw unsupported(value, "PSSerializer.Serialize");
    }

    /**
     * CLIXML's strings: markup escaped, and characters XML cannot carry (controls, line ends included) and a
     * literal {@code _x} written as {@code _xHHHH_}, which is what the error stream of a remote command shows too.
     */
    static String cliXmlString(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7F && c <= 0x9F || c == 0xFFFE || c == 0xFFFF) {
                out.append(String.format(Locale.ROOT, "_x%04X_", (int) c));
            } else if (c == '_' && i + 1 < text.length() && text.charAt(i + 1) == 'x') {
                out.append("_x005F_");
            } else {
                appendEscaped(out, c, false);
            }
        }
        return out.toString();
    }

    /**
     * ConvertTo-Xml -As String: the XML declaration, {@code Objects}, and one {@code Object} per input (its
     * properties as {@code Property} elements), indented by two spaces, with CRLF line ends.
     */
    static String objects(java.util.List<Object> inputs, boolean noTypeInformation) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>").append(NL).append("<Objects>");
        for (Object input : inputs) {
            xml.append(NL).append("  ");
            element(xml, "Object", null, input, noTypeInformation, "  ");
        }
        return xml.append(NL).append("</Objects>").toString();
    }

    private static void element(StringBuilder xml, String tag, String name, Object value, boolean noType, String indent) {
        xml.append('<').append(tag);
        if (name != null) {
            xml.append(" Name=\"").append(attribute(name)).append('"');
        }
        if (!noType && value != null) {
            xml.append(" Type=\"").append(attribute(Values.typeNameOf(value))).append('"');
        }
        if (value == null) {
            xml.append(" />");
            return;
        }
        if (value instanceof String || Values.isNumber(value) || value instanceof Boolean || value instanceof EnumValue) {
            xml.append('>').append(text(Values.toStr(value))).append("</").append(tag).append('>');
            return;
        }
        if (name == null && value instanceof PsObject object) {
            xml.append('>');
            for (String property : object.propertyNames()) {
                Object inner = object.get(property);
                if (inner != null && !(inner instanceof String || Values.isNumber(inner) || inner instanceof Boolean
                        || inner instanceof EnumValue)) {
                    throw unsupported(inner, "ConvertTo-Xml");
                }
                xml.append(NL).append(indent).append("  ");
                element(xml, "Property", property, inner, noType, indent + "  ");
            }
            xml.append(NL).append(indent).append("</").append(tag).append('>');
            return;
        }
        throw unsupported(value, "ConvertTo-Xml");
    }

    private static String text(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            appendEscaped(out, value.charAt(i), false);
        }
        return out.toString();
    }

    private static String attribute(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            appendEscaped(out, value.charAt(i), true);
        }
        return out.toString();
    }

    /** XmlTextWriter's escaping: markup, quotes in attributes, and characters XML cannot hold as references. */
    private static void appendEscaped(StringBuilder out, char c, boolean attribute) {
        switch (c) {
            case '&' -> out.append("&amp;");
            case '<' -> out.append("&lt;");
            case '>' -> out.append("&gt;");
            case '"' -> out.append(attribute ? "&quot;" : "\"");
            default -> {
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    out.append(String.format(Locale.ROOT, "&#x%X;", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
    }

    private static RuntimeError unsupported(Object value, String what) {
        return new RuntimeError("The lab's " + what + " does not serialise a " + Values.typeNameOf(value)
                + "; it serialises strings, numbers and booleans (and ConvertTo-Xml one level of properties).",
                "NotSupported", "NotImplemented", "System.NotSupportedException");
    }
}
