package io.github.grain.plugin.egress;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 that records every request it receives.
 * <ul>
 * <li>{@code /echo}: {@code <METHOD> <body>}</li>
 * <li>{@code /headers}: the request's {@code authorization}, {@code x-app}, {@code host}, {@code cookie}
 * and {@code content-type} headers and its method</li>
 * <li>{@code /redirect/<status>?to=<location>}: that status with {@code Location}</li>
 * <li>{@code /redirect-with-body/<status>?to=<location>}: the same with a body of 10,000 bytes</li>
 * <li>{@code /slow}: answers after two seconds</li>
 * <li>{@code /big?n=<bytes>}: a body of {@code n} bytes</li>
 * <li>{@code /chunked?n=<bytes>}: a body of {@code n} bytes in chunks, without {@code Content-Length}</li>
 * <li>{@code /status/<status>}: that status without {@code Location}, body {@code no location}</li>
 * <li>{@code /bytes?n=<bytes>}: {@link #pattern pattern(n)}, binary; to {@code HEAD} only its
 * {@code Content-Length}</li>
 * <li>{@code /record}: keeps the request's body in {@link #bodies}, answers {@code 204}</li>
 * </ul>
 */
public final class TestHttpServer implements AutoCloseable {

	public final List<String> requests = new CopyOnWriteArrayList<>();

	/** The bodies {@code /record} received, in order. */
	public final List<byte[]> bodies = new CopyOnWriteArrayList<>();

	private final HttpServer server;

	private final ExecutorService executor = Executors.newFixedThreadPool(4);

	public TestHttpServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	public String origin() {
		return "http://127.0.0.1:" + port();
	}

	public String url(String path) {
		return "http://127.0.0.1:" + port() + path;
	}

	private void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		String query = exchange.getRequestURI().getRawQuery();
		this.requests.add(exchange.getRequestMethod() + " " + path);
		byte[] received = exchange.getRequestBody().readAllBytes();
		String body = new String(received, StandardCharsets.UTF_8);
		if (path.equals("/record")) {
			this.bodies.add(received);
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		}
		else if (path.equals("/bytes")) {
			byte[] bytes = pattern(Integer.parseInt(query.substring("n=".length())));
			if (exchange.getRequestMethod().equals("HEAD")) {
				exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
				exchange.sendResponseHeaders(200, -1);
				exchange.close();
			}
			else {
				exchange.sendResponseHeaders(200, bytes.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(bytes);
				}
			}
		}
		else if (path.equals("/echo")) {
			exchange.getResponseHeaders().add("x-served-by", "test");
			respond(exchange, 200, exchange.getRequestMethod() + " " + body);
		}
		else if (path.equals("/headers")) {
			respond(exchange, 200, "authorization=" + exchange.getRequestHeaders().getFirst("authorization") + " x-app="
					+ exchange.getRequestHeaders().getFirst("x-app") + " host=" + exchange.getRequestHeaders().getFirst("host")
					+ " cookie=" + exchange.getRequestHeaders().getFirst("cookie") + " content-type="
					+ exchange.getRequestHeaders().getFirst("content-type") + " method=" + exchange.getRequestMethod());
		}
		else if (path.startsWith("/redirect/") || path.startsWith("/redirect-with-body/")) {
			int status = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
			String location = java.net.URLDecoder.decode(query.substring("to=".length()), StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Location", location);
			if (path.startsWith("/redirect/")) {
				exchange.sendResponseHeaders(status, -1);
				exchange.close();
			}
			else {
				respond(exchange, status, "a".repeat(10_000));
			}
		}
		else if (path.equals("/slow")) {
			try {
				Thread.sleep(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			respond(exchange, 200, "late");
		}
		else if (path.equals("/chunked")) {
			int n = Integer.parseInt(query.substring("n=".length()));
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream out = exchange.getResponseBody()) {
				for (int sent = 0; sent < n; sent += 1000) {
					out.write("a".repeat(Math.min(1000, n - sent)).getBytes(StandardCharsets.UTF_8));
					out.flush();
				}
			}
		}
		else if (path.startsWith("/status/")) {
			respond(exchange, Integer.parseInt(path.substring("/status/".length())), "no location");
		}
		else if (path.equals("/big")) {
			int n = Integer.parseInt(query.substring("n=".length()));
			respond(exchange, 200, "a".repeat(n));
		}
		else {
			respond(exchange, 404, "not found");
		}
	}

	/**
	 * {@code n} bytes that are no text: each run of 256 holds every byte value once, in an
	 * order that changes from run to run.
	 */
	public static byte[] pattern(int n) {
		byte[] bytes = new byte[n];
		for (int i = 0; i < n; i++) {
			bytes[i] = (byte) (i * 167 + (i >>> 8) * 13);
		}
		return bytes;
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
