package io.antidote.lab.powershell;

/** A type literal such as [int] used as a value (for -is, -as and static members). */
record PsType(String name, String fullName) {

    @Override
    public String toString() {
        return fullName;
    }
}
