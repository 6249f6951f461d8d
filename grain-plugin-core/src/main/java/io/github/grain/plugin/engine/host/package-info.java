/**
 * Host imports given to guests, each written once for every runtime: {@code log},
 * {@code env-get}, {@code http-get}/{@code http-post} (through the
 * {@link io.github.grain.plugin.engine.host.HttpGateway} port), a deny-by-default WASI
 * preview1 subset, and WASI 0.2 ({@link io.github.grain.plugin.engine.host.WasiPreview2}),
 * whose {@code wasi:http} outgoing requests ({@code WasiHttp}) go through the same
 * {@code HttpGateway} as {@code http-get}.
 * <p>
 * How a WASI 0.2 import reaches the host: a component's main core module imports each
 * function canonical-ABI-lowered, module {@code wasi:<pkg>/<iface>@0.2.N}, field the WIT
 * name ({@code now}, {@code [method]output-stream.write}, {@code [resource-drop]pollable},
 * {@code [static]…}, {@code [constructor]…}). The host describes each function as a
 * {@link io.github.grain.plugin.engine.wit.WitFunction} (its core signature follows) and
 * runs it through the same adapter as {@code grain:plugin/host}: parameters lifted, the
 * implementation called on Java values, the result lowered (to the guest's {@code retptr}
 * past one flat value). Resources cross as i32 handles: {@code borrow<T>} lifts to the
 * host object, {@code own<T>} lifts it out of the instance's
 * {@link io.github.grain.plugin.engine.host.ResourceTable}, a returned {@code own<T>}
 * enters it; a bogus, dropped, foreign or mistyped handle traps the call. The table lives
 * with the call's {@link io.github.grain.plugin.engine.host.GuestCallState} (one call, one
 * instance) and closes with it.
 */
@NullMarked
package io.github.grain.plugin.engine.host;

import org.jspecify.annotations.NullMarked;
