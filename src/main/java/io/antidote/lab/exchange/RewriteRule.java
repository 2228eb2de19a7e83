package io.antidote.lab.exchange;

import java.util.List;

/**
 * An IIS URL Rewrite inbound rule on Default Web Site: match URL, conditions (input and pattern)
 * and the action type ("AbortRequest", "Rewrite", ...).
 */
public record RewriteRule(String name, String patternSyntax, boolean stopProcessing, String matchUrl,
                          List<Condition> conditions, String actionType) {

    /** The two rules of Microsoft's CVE-2021-26855 mitigation (EOMT / ExchangeMitigations.ps1). */
    public static final String ANON_BACKEND = "X-AnonResource-Backend Abort - inbound";
    public static final String BE_RESOURCE = "X-BEResource Abort - inbound";

    public record Condition(String input, String pattern) {
    }

    public RewriteRule {
        conditions = List.copyOf(conditions);
    }

    public static RewriteRule named(String name) {
        return new RewriteRule(name, "Regular Expressions", false, "", List.of(), "None");
    }

    public RewriteRule withMatchUrl(String url) {
        return new RewriteRule(name, patternSyntax, stopProcessing, url, conditions, actionType);
    }

    public RewriteRule withAction(String type) {
        return new RewriteRule(name, patternSyntax, stopProcessing, matchUrl, conditions, type);
    }

    public RewriteRule withPatternSyntax(String syntax) {
        return new RewriteRule(name, syntax, stopProcessing, matchUrl, conditions, actionType);
    }

    public RewriteRule withStopProcessing(boolean stop) {
        return new RewriteRule(name, patternSyntax, stop, matchUrl, conditions, actionType);
    }

    public RewriteRule withCondition(Condition c) {
        List<Condition> more = new java.util.ArrayList<>(conditions);
        more.add(c);
        return new RewriteRule(name, patternSyntax, stopProcessing, matchUrl, more, actionType);
    }
}
