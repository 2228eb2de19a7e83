package io.antidote.lab.wsman;

/**
 * The error stream as {@code powershell.exe -EncodedCommand} sends it to a WinRM client: CLIXML, not text. A
 * line {@code #< CLIXML}, then one {@code <Objs>} document: the progress record Windows PowerShell writes when
 * it loads its modules, and each error line as a {@code <S S="Error">} string whose line end is escaped as
 * {@code _x000D__x000A_}. Clients (pywinrm, Ansible, Antidote) decode it; a lab that sent text would let a
 * client that cannot pass.
 */
public final class CliXmlStderr {

    static final String HEADER = "#< CLIXML\r\n";
    private static final String PROGRESS = "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\">"
            + "<T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS>"
            + "<I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil />"
            + "<PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>";

    private CliXmlStderr() {
    }

    /** The error text as CLIXML; no error text stays an empty stream. */
    public static String encode(String errorText) {
        if (errorText == null || errorText.isEmpty()) {
            return "";
        }
        StringBuilder xml = new StringBuilder(HEADER)
                .append("<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">")
                .append(PROGRESS);
        int start = 0;
        while (start < errorText.length()) {
            int end = errorText.indexOf('\n', start);
            end = end < 0 ? errorText.length() : end + 1;
            xml.append("<S S=\"Error\">").append(escape(errorText.substring(start, end))).append("</S>");
            start = end;
        }
        return xml.append("</Objs>").toString();
    }

    /** XML's own escapes, and CLIXML's {@code _xHHHH_} for control characters and for a literal "_x". */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '_' -> out.append(i + 1 < text.length() && text.charAt(i + 1) == 'x' ? "_x005F_" : "_");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("_x%04X_", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
