package io.antidote.lab.wsman;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads a SOAP 1.2 WS-Management envelope with the JDK's DOM parser, hardened for hostile input:
 * no DTDs, no external entities, no XInclude. Elements are matched by namespace and local name,
 * attributes by local name only (WinRM4j namespace-qualifies {@code CommandId}, pywinrm does not).
 */
final class WsManRequestParser {

    private static final DocumentBuilderFactory FACTORY = hardenedFactory();

    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private WsManRequestParser() {
    }

    /**
     * @throws WsManFault when the XML is malformed or not a SOAP 1.2 envelope; a request without
     *     MessageID or Action parses, the dispatcher faults on it
     */
    static WsManRequest parse(byte[] xml) throws WsManFault {
        Document document = parseDocument(xml);
        Element envelope = document.getDocumentElement();
        if (!is(envelope, WsMan.NS_SOAP, "Envelope")) {
            throw WsManFault.malformed("The root element is not a SOAP 1.2 Envelope.");
        }
        Element header = child(envelope, WsMan.NS_SOAP, "Header");
        Element body = child(envelope, WsMan.NS_SOAP, "Body");
        if (header == null || body == null) {
            throw WsManFault.malformed("The envelope lacks its Header or Body.");
        }
        return new WsManRequest(
                text(child(header, WsMan.NS_ADDRESSING, "Action")),
                rawText(child(header, WsMan.NS_ADDRESSING, "MessageID")),
                text(child(header, WsMan.NS_WSMAN, "ResourceURI")),
                shellId(header),
                options(header),
                maxEnvelopeSize(text(child(header, WsMan.NS_WSMAN, "MaxEnvelopeSize"))),
                operationTimeout(text(child(header, WsMan.NS_WSMAN, "OperationTimeout"))),
                firstElement(body));
    }

    static boolean is(Element element, String namespace, String localName) {
        return element != null && namespace.equals(element.getNamespaceURI()) && localName.equals(element.getLocalName());
    }

    static Element child(Element parent, String namespace, String localName) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && is(element, namespace, localName)) {
                return element;
            }
        }
        return null;
    }

    static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && is(element, namespace, localName)) {
                found.add(element);
            }
        }
        return found;
    }

    /** An attribute by local name in any namespace, or null. */
    static String attribute(Element element, String localName) {
        var attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node attribute = attributes.item(i);
            String name = attribute.getLocalName() != null ? attribute.getLocalName() : attribute.getNodeName();
            if (localName.equals(name)) {
                return attribute.getNodeValue();
            }
        }
        return null;
    }

    /** Trimmed text content, or null when the element is absent. */
    static String text(Element element) {
        return element == null ? null : element.getTextContent().trim();
    }

    private static String rawText(Element element) {
        return element == null ? null : element.getTextContent();
    }

    private static Element firstElement(Element parent) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                return element;
            }
        }
        return null;
    }

    private static Optional<String> shellId(Element header) {
        Element selectorSet = child(header, WsMan.NS_WSMAN, "SelectorSet");
        if (selectorSet == null) {
            return Optional.empty();
        }
        for (Element selector : children(selectorSet, WsMan.NS_WSMAN, "Selector")) {
            if ("ShellId".equals(attribute(selector, "Name"))) {
                return Optional.of(selector.getTextContent().trim());
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> options(Element header) {
        Map<String, String> options = new HashMap<>();
        Element optionSet = child(header, WsMan.NS_WSMAN, "OptionSet");
        if (optionSet != null) {
            for (Element option : children(optionSet, WsMan.NS_WSMAN, "Option")) {
                String name = attribute(option, "Name");
                if (name != null) {
                    options.put(name.toUpperCase(Locale.ROOT), option.getTextContent().trim());
                }
            }
        }
        return Map.copyOf(options);
    }

    private static int maxEnvelopeSize(String value) {
        if (value == null) {
            return WsManRequest.DEFAULT_MAX_ENVELOPE_SIZE;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return WsManRequest.DEFAULT_MAX_ENVELOPE_SIZE;
        }
    }

    private static Duration operationTimeout(String value) {
        if (value == null) {
            return WsManRequest.DEFAULT_OPERATION_TIMEOUT;
        }
        try {
            Duration timeout = Duration.parse(value);
            return timeout.isNegative() || timeout.isZero() ? WsManRequest.DEFAULT_OPERATION_TIMEOUT : timeout;
        } catch (DateTimeParseException e) {
            return WsManRequest.DEFAULT_OPERATION_TIMEOUT;
        }
    }

    private static Document parseDocument(byte[] xml) throws WsManFault {
        DocumentBuilder builder;
        synchronized (FACTORY) {
            try {
                builder = FACTORY.newDocumentBuilder();
            } catch (ParserConfigurationException e) {
                throw new IllegalStateException("the JDK's DOM parser cannot be configured", e);
            }
        }
        builder.setErrorHandler(SILENT);
        // Entities are refused before they are resolved; this resolver is a second lock on the door.
        builder.setEntityResolver((publicId, systemId) -> {
            throw new SAXException("external entities are not allowed");
        });
        try {
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw WsManFault.malformed("The request is not well-formed XML.");
        }
    }

    private static DocumentBuilderFactory hardenedFactory() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's DOM parser cannot be hardened", e);
        }
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return factory;
    }
}
