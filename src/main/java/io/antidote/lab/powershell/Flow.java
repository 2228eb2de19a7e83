package io.antidote.lab.powershell;

/** exit, return, break and continue travel up the tree as these. */
final class Flow {

    private Flow() {
    }

    static final class Exit extends RuntimeException {
        final int code;

        Exit(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    static final class Return extends RuntimeException {
        Return() {
            super(null, null, false, false);
        }
    }

    static final class Break extends RuntimeException {
        Break() {
            super(null, null, false, false);
        }
    }

    static final class Continue extends RuntimeException {
        Continue() {
            super(null, null, false, false);
        }
    }
}
