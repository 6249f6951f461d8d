package io.github.grain.plugin.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP listener that counts the connections made to it and hangs up on each. It listens on
 * the wildcard address (dual stack where the machine has IPv6), not only on 127.0.0.1, so it
 * sees a connection to <em>any</em> spelling of a local address: the whole of 127/8,
 * {@code ::1}, {@code 0.0.0.0}, {@code ::}, IPv4-mapped forms, the machine's own addresses.
 * <p>
 * {@link #newConnections()} is exact, not timed: it connects once itself and counts what
 * was accepted before its own connection, which the kernel queues behind every earlier one.
 */
public final class LocalListener implements AutoCloseable {

	private final ServerSocket socket;

	private final BlockingQueue<SocketAddress> accepted = new LinkedBlockingQueue<>();

	public LocalListener() throws IOException {
		this.socket = bindWildcard();
		Thread acceptor = new Thread(this::accept, "local-listener-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private static ServerSocket bindWildcard() throws IOException {
		ServerSocket socket = new ServerSocket();
		try {
			socket.bind(new InetSocketAddress(InetAddress.getByName("::"), 0), 50);
		}
		catch (IOException ex) {
			// no IPv6 on this machine: every local IPv4 address is still covered
			socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), 50);
		}
		return socket;
	}

	public int port() {
		return this.socket.getLocalPort();
	}

	/** {@code http://<host>:<port>/} for a host spelled as given. */
	public String url(String host) {
		return "http://" + host + ":" + port() + "/";
	}

	/**
	 * How many connections were made to this listener since the previous call (or since it
	 * started).
	 * @throws IllegalStateException if the listener's own probe is not accepted within 30 seconds
	 */
	public int newConnections() throws IOException, InterruptedException {
		try (Socket probe = new Socket(InetAddress.getByName("127.0.0.1"), port())) {
			SocketAddress self = probe.getLocalSocketAddress();
			int before = 0;
			for (;;) {
				SocketAddress from = this.accepted.poll(30, TimeUnit.SECONDS);
				if (from == null) {
					throw new IllegalStateException("the listener did not accept its own probe");
				}
				if (from.equals(self)) {
					return before;
				}
				before++;
			}
		}
	}

	private void accept() {
		while (!this.socket.isClosed()) {
			try (Socket connection = this.socket.accept()) {
				this.accepted.add(connection.getRemoteSocketAddress());
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
