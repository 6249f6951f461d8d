package io.github.grain.plugin.spring.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.github.grain.plugin.egress.AddressCategory;
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
 * {@link EgressPolicy#mayConnect}, and the client connects to what is left. When nothing
 * is left the lookup fails with {@link EgressRefusedException} and no connection is made.
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
	 * @param host the name or IP literal
	 * @return the addresses the policy allows, at least one
	 * @throws UnknownHostException if the name does not resolve or only to refused addresses
	 */
	List<InetAddress> allowedAddresses(String host) throws UnknownHostException {
		InetAddress literal = AddressCategory.parseLiteral(host);
		List<InetAddress> candidates = (literal != null) ? List.of(literal) : this.resolver.resolve(host);
		List<InetAddress> allowed = new ArrayList<>();
		TreeSet<String> refused = new TreeSet<>();
		for (InetAddress address : candidates) {
			if (EgressPolicy.mayConnect(host, address)) {
				allowed.add(address);
			}
			else {
				refused.add(AddressCategory.of(address).name().toLowerCase(Locale.ROOT).replace('_', '-'));
			}
		}
		if (allowed.isEmpty()) {
			throw new EgressRefusedException("'" + host + "' resolves only to addresses the egress policy refuses "
					+ refused + "; allow such an address by writing it literally in the plugin's allow-list");
		}
		return allowed;
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
