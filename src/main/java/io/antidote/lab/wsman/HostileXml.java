package io.antidote.lab.wsman;

import java.net.URI;
import java.util.Objects;

/**
 * A reply written the way a compromised host could answer to attack the client's XML parser: a DTD, an
 * external entity naming a file on the client's machine, or an entity-expansion bomb ("billion laughs").
 * The client must refuse each without reading the file or expanding anything.
 */
public record HostileXml(Kind kind, URI externalEntity) {

    public enum Kind { DTD, EXTERNAL_ENTITY, ENTITY_BOMB }

    public HostileXml {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.EXTERNAL_ENTITY) {
            Objects.requireNonNull(externalEntity, "externalEntity");
        }
    }

    /** A DOCTYPE with an internal entity used in the header: harmless, but no DTD may be processed at all. */
    public static HostileXml dtd() {
        return new HostileXml(Kind.DTD, null);
    }

    /** An entity whose value is the file at {@code file}, as the client would read it. */
    public static HostileXml externalEntity(URI file) {
        return new HostileXml(Kind.EXTERNAL_ENTITY, file);
    }

    /** Ten levels of ten references each: 10^10 copies of a word once expanded. */
    public static HostileXml entityBomb() {
        return new HostileXml(Kind.ENTITY_BOMB, null);
    }

    /** The envelope with this DOCTYPE before it and its entity referenced in the MessageID. */
    String applyTo(String envelope) {
        StringBuilder doctype = new StringBuilder("<!DOCTYPE s:Envelope [");
        switch (kind) {
            case DTD -> doctype.append("<!ENTITY e \"dtd\">");
            case EXTERNAL_ENTITY -> doctype.append("<!ENTITY e SYSTEM \"").append(Xml.escape(externalEntity.toString()))
                    .append("\">");
            case ENTITY_BOMB -> {
                doctype.append("<!ENTITY e0 \"lol\">");
                for (int i = 1; i <= 10; i++) {
                    doctype.append("<!ENTITY e").append(i).append(" \"").append(("&e" + (i - 1) + ";").repeat(10))
                            .append("\">");
                }
                doctype.append("<!ENTITY e \"&e10;\">");
            }
        }
        doctype.append("]>");
        return doctype + envelope.replace("<a:MessageID>", "<a:MessageID>&e;");
    }
}
