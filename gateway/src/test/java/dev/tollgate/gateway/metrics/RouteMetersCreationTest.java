package dev.tollgate.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A route's meters are created while no lock of the route map is held. On Java 21 a virtual thread
 * that waits (for the registry's lock) while holding a monitor pins its carrier thread; when a
 * route's first requests came in a burst, two such waits took both carriers of a 2-core gateway and
 * it answered nothing more.
 */
class RouteMetersCreationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void anotherRequestOfTheSameRouteIsCountedWhileTheFirstIsStillCreatingItsMeters() {
    MeterRegistry real = Metrics.globalRegistry();
    AtomicBoolean first = new AtomicBoolean(true);
    AtomicReference<Runnable> meanwhile = new AtomicReference<>();
    AtomicReference<Boolean> secondFinished = new AtomicReference<>();
    // the real registry, where the first meter's creation lets another request run to its end
    InvocationHandler delegate =
        (proxy, method, args) -> {
          if (method.getName().equals("getOrCreate") && first.getAndSet(false)) {
            Thread second = Thread.ofPlatform().start(meanwhile.get());
            secondFinished.set(second.join(WAIT));
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    MeterRegistry registry =
        (MeterRegistry)
            Proxy.newProxyInstance(
                MeterRegistry.class.getClassLoader(),
                new Class<?>[] {MeterRegistry.class},
                delegate);
    GatewayMetrics metrics = new GatewayMetrics(registry);
    String route = "meters-test/orders";
    meanwhile.set(() -> metrics.request(route, 200, 1_000));

    metrics.request(route, 200, 1_000);

    assertThat(secondFinished.get()).as("second request counted without waiting").isTrue();
    assertThat(
            real.counter(
                    "tollgate.requests",
                    List.of(Tag.create("route", "meters-test/orders"), Tag.create("code", "200")))
                .orElseThrow()
                .count())
        .isEqualTo(2);
  }
}
