package io.antidote.lab.exchange;

/** A Windows service as the model knows it: an immutable snapshot, replaced on every change. */
public record WindowsService(String name, String displayName, Status status, StartType startType) {

    /** The values of .NET's ServiceControllerStatus that the lab uses, with their numbers. */
    public enum Status {
        Stopped(1), StartPending(2), Running(4);

        private final int value;

        Status(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }
    }

    /** .NET's ServiceStartMode, with its numbers. */
    public enum StartType {
        Boot(0), System(1), Automatic(2), Manual(3), Disabled(4);

        private final int value;

        StartType(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }
    }

    WindowsService withStatus(Status s) {
        return new WindowsService(name, displayName, s, startType);
    }

    WindowsService withStartType(StartType t) {
        return new WindowsService(name, displayName, status, t);
    }
}
