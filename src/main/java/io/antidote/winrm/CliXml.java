package io.antidote.winrm;

import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the error stream {@code powershell.exe -EncodedCommand} sends a WinRM client: not text but CLIXML, a
 * line {@code #< CLIXML} and then serialized objects, its error lines as {@code <S S="Error">} strings with
 * {@code _x000D__x000A_} for line ends, and progress records beside them. A person wants the error text, as
 * pywinrm and Ansible give it. Anything that is not CLIXML, or does not parse, is kept as it came.
 */
final class CliXml {

    static final String HEADER = "#< CLIXML";
    private static final Pattern ESCAPE = Pattern.compile("_x([0-9A-Fa-f]{4})_");

    private CliXml() {
    }

    /** The text of the stream's strings (errors, warnings, verbose lines), in order; progress records left out. */
    static String decode(String stderr) {
        if (stderr == null || !stderr.startsWith(HEADER)) {
            return stderr;
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            Document document = factory.newDocumentBuilder()
                    .parse(new InputSource(new StringReader(stderr.substring(HEADER.length()).strip())));
            StringBuilder text = new StringBuilder();
            for (Node child = document.getDocumentElement().getFirstChild(); child != null;
                 child = child.getNextSibling()) {
                if (child.getNodeType() == Node.ELEMENT_NODE && child.getNodeName().equals("S")) {
                    text.append(unescape(child.getTextContent()));
                }
            }
            return text.toString();
        } catch (Exception notClixml) {
            return stderr;
        }
    }

    /** CLIXML writes characters XML cannot carry as {@code _xHHHH_} (and a literal "_x" as {@code _x005F_x}). */
    static String unescape(String text) {
        Matcher m = ESCAPE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
