package io.antidote.lab.exchange;

/** An IIS application pool: whether it runs now, and whether IIS starts it with the server. */
public record AppPool(String name, boolean started, boolean autoStart) {

    AppPool withStarted(boolean s) {
        return new AppPool(name, s, autoStart);
    }
}
