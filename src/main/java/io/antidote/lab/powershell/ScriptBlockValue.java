package io.antidote.lab.powershell;

/** A { ... } block as a value; prints as its text. */
record ScriptBlockValue(Ast.ScriptBlockAst block) {

    @Override
    public String toString() {
        return block.text();
    }
}
