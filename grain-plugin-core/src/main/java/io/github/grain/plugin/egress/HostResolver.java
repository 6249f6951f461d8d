package io.github.grain.plugin.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Looks names up for the egress gateway. The default asks the JVM
 * ({@link InetAddress#getAllByName}); tests substitute a fixed table.
 */
@FunctionalInterface
public interface HostResolver {

	/**
	 * Resolve a name.
	 * @param host the name
	 * @return its addresses
	 * @throws UnknownHostException if it has none
	 */
	List<InetAddress> resolve(String host) throws UnknownHostException;

	/** The JVM's resolver. */
	static HostResolver system() {
		return (host) -> List.of(InetAddress.getAllByName(host));
	}

}
