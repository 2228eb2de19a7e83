/**
 * The HTTP edge, in front of every route: security headers on every answer, limits on the request line,
 * headers and body, the per-caller rate limit, and problem documents for what the HTTP layer refuses before
 * any resource sees the request. Imports nothing of the product but {@code contract}.
 */
package io.antidote.http;
