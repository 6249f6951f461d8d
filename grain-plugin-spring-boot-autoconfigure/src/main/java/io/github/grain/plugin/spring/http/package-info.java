/**
 * Outbound HTTP for guests: the {@link io.github.grain.plugin.engine.host.HttpGateway}
 * adapter over one {@code WebClient}, and the deny-by-default egress policy it enforces
 * (per-plugin {@code scheme://host[:port]} allow-lists, address checks at the point of
 * connection, redirects re-checked hop by hop).
 */
@NullMarked
package io.github.grain.plugin.spring.http;

import org.jspecify.annotations.NullMarked;
