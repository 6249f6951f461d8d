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
 * <li>{@code /headers}: the request's {@code authorization}, {@code x-app} and {@code host} headers</li>
 * <li>{@code /redirect/<status>?to=<location>}: that status with {@code Location}</li>
 * <li>{@code /slow}: answers after two seconds</li>
 * <li>{@code /big?n=<bytes>}: a body of {@code n} bytes</li>
 * </ul>
 */
public final class TestHttpServer implements AutoCloseable {

	public final List<String> requests = new CopyOnWriteArrayList<>();

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
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		if (path.equals("/echo")) {
			exchange.getResponseHeaders().add("x-served-by", "test");
			respond(exchange, 200, exchange.getRequestMethod() + " " + body);
		}
		else if (path.equals("/headers")) {
			respond(exchange, 200, "authorization=" + exchange.getRequestHeaders().getFirst("authorization") + " x-app="
					+ exchange.getRequestHeaders().getFirst("x-app") + " host=" + exchange.getRequestHeaders().getFirst("host"));
		}
		else if (path.startsWith("/redirect/")) {
			int status = Integer.parseInt(path.substring("/redirect/".length()));
			String location = java.net.URLDecoder.decode(query.substring("to=".length()), StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Location", location);
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
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
		else if (path.equals("/big")) {
			int n = Integer.parseInt(query.substring("n=".length()));
			respond(exchange, 200, "a".repeat(n));
		}
		else {
			respond(exchange, 404, "not found");
		}
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
