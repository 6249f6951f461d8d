/**
 * Host imports given to guests, each written once: {@code log}, {@code env-get},
 * {@code http-get}/{@code http-post} (through the {@link io.github.grain.plugin.engine.host.HttpGateway} port)
 * and a deny-by-default WASI preview1 subset.
 */
@NullMarked
package io.github.grain.plugin.engine.host;

import org.jspecify.annotations.NullMarked;
