package io.antidote.lab.powershell;

/** Text already laid out by Format-Table / Format-List, printed as is by Out-Default. */
record FormatText(String text) {

    @Override
    public String toString() {
        return text;
    }
}
