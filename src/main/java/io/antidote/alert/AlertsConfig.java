package io.antidote.alert;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** {@code antidote.alerts.*}: where alert rules are read from and how alerts are received (docs/alerts.md). */
@ConfigMapping(prefix = "antidote.alerts")
public interface AlertsConfig {

    /** The directories of rule files, tried in this order (by file name within one). */
    @WithDefault("${antidote.playbooks.dir}/rules")
    List<String> rulesDirs();

    /** How often the rule files are looked at for changes; 0 reads them at start only. */
    @WithDefault("10s")
    Duration reloadInterval();

    /** How far ahead of this service's clock an alert's time may be (clock skew); further ahead, it is refused. */
    @WithDefault("5m")
    Duration maxClockSkew();

    /**
     * The RabbitMQ queue alerts are read from (the channel's {@code queue.name} is set from it), named in the
     * {@code receivedBy} of every alert it delivers.
     */
    @WithDefault("antidote.alerts")
    String queue();

    /** How many times an alert from the queue is tried again when it could not be recorded (the database away). */
    @WithDefault("5")
    int queueRetries();
}
