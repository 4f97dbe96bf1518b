package dev.tollgate.operator.reconciler.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.api.v1alpha1.RouteSpec;
import dev.tollgate.api.v1alpha1.ServiceRef;
import dev.tollgate.operator.reconciler.InMemoryCache;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteServiceIndexTest {
  private static Route route(String namespace, String name, String service) {
    RouteBackend backend = new RouteBackend();
    if (service == null) {
      backend.setEndpoints(List.of("http://static.example:80"));
    } else {
      backend.setService(new ServiceRef(service, 80));
    }
    RouteSpec spec = new RouteSpec();
    spec.setBackend(backend);
    Route route = new Route();
    route.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    route.setSpec(spec);
    return route;
  }

  private final RouteServiceIndex index =
      new RouteServiceIndex(
          new InMemoryCache<>(
              List.of(
                  route("shop", "orders", "orders"),
                  route("shop", "orders-v2", "orders"),
                  route("shop", "carts", "carts"),
                  route("billing", "orders", "orders"),
                  route("shop", "static", null)),
              RouteServiceIndex.indexers()));

  @Test
  void aServiceMapsToTheRoutesOfItsNamespaceThatUseIt() {
    Service orders =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("orders")
            .endMetadata()
            .build();

    assertThat(index.serviceToRoutes().toPrimaryResourceIDs(orders))
        .containsExactlyInAnyOrder(
            new ResourceID("orders", "shop"), new ResourceID("orders-v2", "shop"));
  }

  @Test
  void anEndpointSliceMapsThroughItsServiceNameLabel() {
    EndpointSlice slice =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withNamespace("billing")
            .withName("orders-x1")
            .addToLabels("kubernetes.io/service-name", "orders")
            .endMetadata()
            .build();
    EndpointSlice unlabelled =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("x")
            .endMetadata()
            .build();

    assertThat(index.endpointSliceToRoutes().toPrimaryResourceIDs(slice))
        .containsExactly(new ResourceID("orders", "billing"));
    assertThat(index.endpointSliceToRoutes().toPrimaryResourceIDs(unlabelled)).isEmpty();
  }

  @Test
  void aRouteMapsToItsServiceOrToNothingWithStaticEndpoints() {
    assertThat(
            RouteServiceIndex.routeToService()
                .toSecondaryResourceIDs(route("shop", "carts", "carts")))
        .containsExactly(new ResourceID("carts", "shop"));
    assertThat(
            RouteServiceIndex.routeToService()
                .toSecondaryResourceIDs(route("shop", "static", null)))
        .isEmpty();
  }
}
