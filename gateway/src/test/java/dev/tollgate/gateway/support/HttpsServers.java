package dev.tollgate.gateway.support;

import io.helidon.common.pki.Keys;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** A Helidon server on loopback serving https with a key pair from {@link TestCertificates}. */
public final class HttpsServers {
  private HttpsServers() {}

  public static WebServer start(Path keyPair, Consumer<HttpRouting.Builder> routing) {
    Keys keys = TestCertificates.keys(keyPair);
    return WebServer.builder()
        .host("127.0.0.1")
        .port(0)
        .featuresDiscoverServices(false)
        .shutdownGracePeriod(Duration.ofMillis(100))
        .tls(
            tls ->
                tls.privateKey(keys.privateKey().orElseThrow())
                    .privateKeyCertChain(keys.certChain()))
        .routing(routing)
        .build()
        .start();
  }
}
