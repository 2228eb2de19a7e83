package io.antidote.lab.powershell;

/** [version]: major.minor[.build[.revision]], -1 for absent parts as in .NET. */
record PsVersion(int major, int minor, int build, int revision) implements Comparable<PsVersion> {

    static PsVersion parse(String text) {
        String[] parts = text.trim().split("\\.");
        if (parts.length < 2 || parts.length > 4) {
            throw new IllegalArgumentException("Version string portion was too short or too long.");
        }
        int[] v = {-1, -1, -1, -1};
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Input string was not in a correct format.");
            }
            if (v[i] < 0) {
                throw new IllegalArgumentException("Version's parameters must be greater than or equal to zero.");
            }
        }
        return new PsVersion(v[0], v[1], v[2], v[3]);
    }

    @Override
    public int compareTo(PsVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) c = Integer.compare(minor, o.minor);
        if (c == 0) c = Integer.compare(build, o.build);
        if (c == 0) c = Integer.compare(revision, o.revision);
        return c;
    }

    @Override
    public String toString() {
        String s = major + "." + minor;
        if (build >= 0) {
            s += "." + build;
            if (revision >= 0) {
                s += "." + revision;
            }
        }
        return s;
    }
}
