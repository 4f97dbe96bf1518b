package dev.tollgate.e2e.system;

import static dev.tollgate.testkit.kube.RouteYaml.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.common.Condition;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two teams on one gateway instance, through the operator, Redis and a gateway process: a host one
 * team claimed first stays its own when the other team's Route claims it with a more specific path
 * ({@code HostConflict} on that Route's status, and the gateway keeps sending the path to the
 * owner's backend), and a Route towards the cloud metadata address is refused on its status and
 * never served, while the same team's other Routes are.
 */
class TenantsSystemIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String OK = "HTTP/1.1 200";
  private static final Pattern CONTENT_LENGTH =
      Pattern.compile("(?i)\r\ncontent-length:[ \t]*(\\d+)");

  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void anOwnedHostStaysWithItsOwnerAndTheMetadataAddressIsNeverServed() {
    try (TollgateSystem system = TollgateSystem.start(KUBE.api(), REDIS.server(), "500ms", 2)) {
      String owner = system.namespaces().get(0);
      String other = system.namespaces().get(1);
      system.applyBackendService(owner);
      system.applyBackendService(other);
      system.apply(
          owner,
          route(
              "shop",
              """
              hosts: [shop.example.com]
              match: {pathPrefix: /orders}
              backend: {service: {name: backend, port: 8080}}
              """));
      GatewayJar gateway = system.startGateway("tenants");
      gateway.awaitReady(PATIENCE);
      await()
          .atMost(PATIENCE)
          .until(() -> get(gateway, "shop.example.com", "/orders/admin/1").startsWith(OK));

      system.apply(
          other,
          route(
                  "steal",
                  """
                  hosts: [shop.example.com]
                  match: {pathPrefix: /orders/admin}
                  rewrite: {replacePrefix: /stolen}
                  backend: {service: {name: backend, port: 8080}}
                  """)
              + "---\n"
              + route(
                  "metadata",
                  """
                  hosts: [meta.example.com]
                  match: {pathPrefix: /}
                  backend: {endpoints: ["http://169.254.169.254"]}
                  """)
              + "---\n"
              + route(
                  "own",
                  """
                  hosts: [own.example.com]
                  match: {pathPrefix: /}
                  rewrite: {replacePrefix: /own}
                  backend: {service: {name: backend, port: 8080}}
                  """));

      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () -> {
                assertNotAccepted(
                    system,
                    other,
                    "steal",
                    "HostConflict",
                    "spec.hosts[0]: host 'shop.example.com' belongs to namespace '" + owner + "'");
                assertNotAccepted(
                    system,
                    other,
                    "metadata",
                    "Invalid",
                    "spec.backend.endpoints[0]: 169.254.169.254 is never a backend");
                // the other team's Routes applied together with them are served: the gateway
                // holds a config compiled after the refused ones were judged
                assertThat(get(gateway, "own.example.com", "/x"))
                    .startsWith(OK)
                    .contains(Upstream.BODY_PREFIX + "/own/x");
              });
      assertThat(get(gateway, "shop.example.com", "/orders/admin/1"))
          .startsWith(OK)
          .contains(Upstream.BODY_PREFIX + "/orders/admin/1")
          .doesNotContain("/stolen");
      assertThat(get(gateway, "meta.example.com", "/latest/meta-data")).startsWith("HTTP/1.1 404");
    }
  }

  private static void assertNotAccepted(
      TollgateSystem system, String namespace, String name, String reason, String messageStart) {
    Condition accepted =
        system.routeCondition(namespace, name, "Accepted").orElseThrow(AssertionError::new);
    assertThat(accepted.getStatus()).isEqualTo("False");
    assertThat(accepted.getReason()).isEqualTo(reason);
    assertThat(accepted.getMessage()).startsWith(messageStart);
  }

  /**
   * The status line, headers and body of {@code GET path} with the given {@code Host}, over a raw
   * socket (the JDK client does not let a caller set {@code Host}); the body is read by its {@code
   * Content-Length}, as the gateway may keep the connection open.
   */
  private static String get(GatewayJar gateway, String host, String path) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("closed after " + head);
        }
        head.append((char) b);
      }
      Matcher length = CONTENT_LENGTH.matcher(head);
      int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
      return head + new String(in.readNBytes(bodyLength), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
