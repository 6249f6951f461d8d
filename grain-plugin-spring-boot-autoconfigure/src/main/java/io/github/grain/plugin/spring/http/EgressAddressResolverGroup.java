package io.github.grain.plugin.spring.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.github.grain.plugin.egress.EgressPolicy;
import io.github.grain.plugin.egress.EgressRefusedException;
import io.github.grain.plugin.egress.HostResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;

/**
 * The only name resolution the gateway's HTTP client performs: each name is looked up
 * once with the {@link HostResolver}, the addresses are filtered with
 * {@link EgressPolicy#connectableAddresses}, and the client connects to what is left. When
 * nothing is left the lookup fails with {@link EgressRefusedException} and no connection is
 * made.
 * Lookups block, so they run on a small executor, never on a Netty event loop.
 */
final class EgressAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

	private final HostResolver resolver;

	private final Executor lookups;

	EgressAddressResolverGroup(HostResolver resolver, Executor lookups) {
		this.resolver = resolver;
		this.lookups = lookups;
	}

	@Override
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		return new CheckingNameResolver(executor).asAddressResolver();
	}

	/**
	 * Resolve and filter a name.
	 * @param host the name (or an IP literal, which Reactor Netty normally never hands over)
	 * @return the addresses the policy allows, at least one
	 * @throws UnknownHostException if the name does not resolve, or only to refused addresses
	 */
	List<InetAddress> allowedAddresses(String host) throws UnknownHostException {
		return EgressPolicy.connectableAddresses(host, this.resolver, EgressPolicy.AddressesNeeded.ANY);
	}

	private final class CheckingNameResolver extends InetNameResolver {

		CheckingNameResolver(EventExecutor executor) {
			super(executor);
		}

		@Override
		protected void doResolve(String inetHost, Promise<InetAddress> promise) {
			lookup(inetHost, (addresses) -> promise.trySuccess(addresses.get(0)), promise::tryFailure);
		}

		@Override
		protected void doResolveAll(String inetHost, Promise<List<InetAddress>> promise) {
			lookup(inetHost, promise::trySuccess, promise::tryFailure);
		}

		private void lookup(String host, java.util.function.Consumer<List<InetAddress>> success,
				java.util.function.Consumer<Throwable> failure) {
			try {
				EgressAddressResolverGroup.this.lookups.execute(() -> {
					try {
						success.accept(allowedAddresses(host));
					}
					catch (UnknownHostException | RuntimeException ex) {
						failure.accept(ex);
					}
				});
			}
			catch (RejectedExecutionException ex) {
				failure.accept(new UnknownHostException("too many name lookups in progress for '" + host + "'"));
			}
		}

	}

}
