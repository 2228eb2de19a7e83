/**
 * The web console (issue 17): server-rendered pages of one layout, served by the service itself, whose behaviour is
 * in static ES modules under {@code META-INF/resources/console/assets} that read the JSON API and its event streams
 * with the person's session. The console holds no rule and reads nothing the API does not: it uses of the product
 * only {@code identity} (the session cookie's name and the roles) and {@code contract} (its refusals are problem
 * documents like the API's). PartDependenciesTest holds it to that; docs/architecture.md says why.
 */
package io.antidote.console;
