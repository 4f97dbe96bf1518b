package dev.tollgate.gateway.route;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import java.util.List;

/**
 * An HTTPRoute RequestHeaderModifier or ResponseHeaderModifier: headers to set (replacing any
 * value), to add (appended to any value) and to remove, applied in that order of the Gateway API:
 * set, then add, then remove.
 */
public record HeaderChanges(List<Header> set, List<Header> add, List<HeaderName> remove) {
  public static final HeaderChanges NONE = new HeaderChanges(List.of(), List.of(), List.of());

  /** One header of a modifier. */
  public record Header(HeaderName name, String value) {
    public static Header of(String name, String value) {
      return new Header(HeaderNames.create(name), value);
    }
  }

  public HeaderChanges {
    set = List.copyOf(set);
    add = List.copyOf(add);
    remove = List.copyOf(remove);
  }

  public boolean isEmpty() {
    return set.isEmpty() && add.isEmpty() && remove.isEmpty();
  }

  public void applyTo(WritableHeaders<?> headers) {
    for (Header header : set) {
      headers.set(HeaderValues.create(header.name(), header.value()));
    }
    for (Header header : add) {
      headers.add(header.name(), header.value());
    }
    for (HeaderName name : remove) {
      headers.remove(name);
    }
  }
}
