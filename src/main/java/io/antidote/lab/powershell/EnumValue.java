package io.antidote.lab.powershell;

/**
 * A .NET enum value (a service's Status, a firewall rule's Action): prints as its name,
 * compares with strings by name, and ConvertTo-Json writes its number, as Windows PowerShell does.
 */
record EnumValue(String typeName, String name, int value) {

    @Override
    public String toString() {
        return name;
    }
}
