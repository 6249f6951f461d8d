package io.github.grain.plugin.spring.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.grain.plugin.egress.EgressRefusedException;
import io.github.grain.plugin.egress.HostResolver;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resolver the gateway's client connects through, asked for one address (the gateway's
 * tests show the client asking for all of them): the first the policy allows, a refusal
 * when none is, and a lookup its executor has no room for fails instead of waiting.
 */
class EgressAddressResolverGroupTests {

	private final DefaultEventExecutor loop = new DefaultEventExecutor();

	/** {@code 10.0.0.1} (private) first, then two public addresses. */
	private final HostResolver table = (host) -> List.of(InetAddress.getByName("10.0.0.1"),
			InetAddress.getByName("93.184.215.14"), InetAddress.getByName("93.184.215.15"));

	@AfterEach
	void stop() {
		this.loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
	}

	private Future<InetSocketAddress> resolveOne(Executor lookups, HostResolver resolver, String host)
			throws InterruptedException {
		Future<InetSocketAddress> resolved = new EgressAddressResolverGroup(resolver, lookups).getResolver(this.loop)
			.resolve(InetSocketAddress.createUnresolved(host, 80));
		assertThat(resolved.await(30, TimeUnit.SECONDS)).as("the lookup ended").isTrue();
		return resolved;
	}

	@Test
	void oneAddressIsTheFirstThePolicyAllows() throws Exception {
		Future<InetSocketAddress> resolved = resolveOne(Runnable::run, this.table, "example.test");
		assertThat(resolved.getNow()).isEqualTo(new InetSocketAddress(InetAddress.getByName("93.184.215.14"), 80));
	}

	@Test
	void aNameResolvingOnlyToRefusedAddressesIsRefused() throws Exception {
		HostResolver internal = (host) -> List.of(InetAddress.getByName("10.0.0.1"));
		assertThat(resolveOne(Runnable::run, internal, "internal.test").cause())
			.isInstanceOf(EgressRefusedException.class);
	}

	@Test
	void aLookupTheExecutorHasNoRoomForFailsAsAnUnknownName() throws Exception {
		Executor full = (runnable) -> {
			throw new RejectedExecutionException("full");
		};
		assertThat(resolveOne(full, this.table, "example.test").cause()).isInstanceOf(UnknownHostException.class)
			.hasMessage("too many name lookups in progress for 'example.test'");
	}

}
