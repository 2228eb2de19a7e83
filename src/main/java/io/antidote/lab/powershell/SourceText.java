package io.antidote.lab.powershell;

import java.util.ArrayList;
import java.util.List;

/** Line and column of an offset in the script, for "At line:N char:M" messages. */
final class SourceText {

    private final String script;
    private final int[] lineStarts;

    SourceText(String script) {
        this.script = script;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= script.length() || script.charAt(i + 1) != '\n'))) {
                starts.add(i + 1);
            }
        }
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    ErrorRecord.Position position(Ast.Extent extent) {
        if (extent == null) {
            return null;
        }
        int start = Math.max(0, Math.min(extent.start(), script.length()));
        int line = 0;
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (lineStarts[mid] <= start) {
                line = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        int lineStart = lineStarts[line];
        int lineEnd = line + 1 < lineStarts.length ? lineStarts[line + 1] : script.length();
        String text = script.substring(lineStart, lineEnd);
        int cut = text.length();
        while (cut > 0 && (text.charAt(cut - 1) == '\n' || text.charAt(cut - 1) == '\r')) {
            cut--;
        }
        text = text.substring(0, cut);
        int column = start - lineStart + 1;
        int length = Math.max(1, Math.min(extent.end(), lineStart + text.length()) - start);
        return new ErrorRecord.Position(line + 1, column, text, length);
    }
}
