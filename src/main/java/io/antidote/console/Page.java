package io.antidote.console;

import java.util.Set;

/**
 * What every console page is rendered with: the section it belongs to (the navigation marks it), who is logged in
 * and with which roles (the navigation offers only what they may open, the API decides the rest), and the CSRF token
 * its forms and scripts send back.
 *
 * @param logout whether the page offers Log out: people log in to the console (token login or the provider)
 * @param resource the run or server the page is about, or null
 */
public record Page(String title, String section, String subject, Set<String> roles, String csrf, boolean logout,
                   String resource) {

    public boolean holds(String role) {
        return roles.contains(role);
    }

    public String current(String name) {
        return section.equals(name) ? "page" : "false";
    }

    /** The roles as the page's scripts read them, from a data attribute. */
    public String roleList() {
        return String.join(" ", roles.stream().sorted().toList());
    }
}
