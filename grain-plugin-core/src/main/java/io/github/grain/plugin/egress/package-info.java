/**
 * Deny-by-default outbound HTTP for guests, independent of any HTTP client: per-plugin
 * allow-lists, the one parser that decides what a URL's host is, address categories
 * checked at the point of connection, and the request flow both gateways share (header
 * rules, redirects re-checked hop by hop, one deadline).
 */
@NullMarked
package io.github.grain.plugin.egress;

import org.jspecify.annotations.NullMarked;
