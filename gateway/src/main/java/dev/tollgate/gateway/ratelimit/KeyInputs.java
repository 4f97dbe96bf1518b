package dev.tollgate.gateway.ratelimit;

import dev.tollgate.gateway.auth.ClientIdentity;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The request facts a limit key can be built from, gathered once per request.
 *
 * @param identity verified JWT claims, or anonymous
 * @param headers all values of a header by (case-insensitive) name; empty list when absent
 * @param clientIp client address after trusted-proxy processing, IPv6 cut to its network prefix
 * @param path normalized path the route matched
 * @param method request method, upper case
 * @param route the matched route's {@code namespace/name}
 * @param clientCertificate subject of the verified client certificate (RFC 2253), if any
 */
public record KeyInputs(
    ClientIdentity identity,
    Function<String, List<String>> headers,
    ClientNetwork clientIp,
    String path,
    String method,
    String route,
    Optional<String> clientCertificate) {}
