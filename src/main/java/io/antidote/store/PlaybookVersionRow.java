package io.antidote.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/** One row of {@code playbook_version}: the exact text of a playbook, by its digest. */
@Entity(name = "PlaybookVersion")
@Table(name = "playbook_version")
@Immutable
class PlaybookVersionRow {

    @Id
    @Column(name = "digest", length = 64, columnDefinition = "char(64)")
    String digest;

    @Column(name = "name", nullable = false, updatable = false, columnDefinition = "text")
    String name;

    @Column(name = "source", nullable = false, updatable = false, columnDefinition = "text")
    String source;

    /** Set by the database's default. */
    @Column(name = "loaded_at", insertable = false, updatable = false)
    Instant loadedAt;
}
