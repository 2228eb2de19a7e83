package io.antidote.lab.wsman;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Posts SOAP envelopes to a lab host over plain HTTP, the way the captured clients did. */
final class RawWsManClient {

    static final String NS_SOAP = "http://www.w3.org/2003/05/soap-envelope";
    static final String NS_ADDRESSING = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    static final String NS_WSMAN = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
    static final String NS_SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
    static final String NS_WSMAN_FAULT = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String authorization;

    RawWsManClient(int port) {
        this(port, "lab", "password");
    }

    RawWsManClient(int port, String user, String password) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/wsman");
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Reply post(String envelope) {
        return send(request(endpoint).POST(HttpRequest.BodyPublishers.ofString(envelope)).build());
    }

    /** Sends the body without a length, so that it goes chunked as CXF sends large bodies. */
    Reply postChunked(String envelope) {
        byte[] bytes = envelope.getBytes(StandardCharsets.UTF_8);
        return send(request(endpoint)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build());
    }

    HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/soap+xml;charset=UTF-8")
                .header("Authorization", authorization);
    }

    URI endpoint() {
        return endpoint;
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Reply(int status, HttpHeaders headers, byte[] bytes) {

        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        Document document() {
            try (InputStream in = new ByteArrayInputStream(bytes)) {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                return factory.newDocumentBuilder().parse(in);
            } catch (Exception e) {
                throw new AssertionError("the reply is not XML: " + body(), e);
            }
        }

        List<Element> elements(String namespace, String localName) {
            NodeList nodes = document().getElementsByTagNameNS(namespace, localName);
            List<Element> found = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                found.add((Element) nodes.item(i));
            }
            return found;
        }

        Element element(String namespace, String localName) {
            List<Element> found = elements(namespace, localName);
            if (found.isEmpty()) {
                throw new AssertionError("the reply has no " + localName + ": " + body());
            }
            return found.get(0);
        }

        String text(String namespace, String localName) {
            return element(namespace, localName).getTextContent();
        }

        String action() {
            return text(NS_ADDRESSING, "Action");
        }

        String relatesTo() {
            return text(NS_ADDRESSING, "RelatesTo");
        }

        String wsmanFaultCode() {
            return element(NS_WSMAN_FAULT, "WSManFault").getAttribute("Code");
        }
    }
}
