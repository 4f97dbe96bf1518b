package dev.tollgate.gateway.ratelimit;

import dev.tollgate.api.v1alpha1.KeyPart;
import java.util.Locale;

/**
 * One compiled part of a limit's key ({@code spec.limits[].key[]}), and the label it carries in the
 * key value ({@code claim:sub}, {@code header:x-api-key}, {@code clientIP}, ...).
 */
public sealed interface KeyComponent {
  String label();

  /** A JWT claim of the verified token (absent for anonymous requests). */
  record Claim(String name) implements KeyComponent {
    @Override
    public String label() {
      return "claim:" + name;
    }
  }

  /** A request header; names compare case-insensitively, so the label is lower case. */
  record Header(String name) implements KeyComponent {
    public Header {
      name = name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String label() {
      return "header:" + name;
    }
  }

  /** The client address after trusted-proxy {@code X-Forwarded-For} processing. */
  record ClientIp() implements KeyComponent {
    @Override
    public String label() {
      return "clientIP";
    }
  }

  /** The normalized request path the route matched (without query). */
  record Path() implements KeyComponent {
    @Override
    public String label() {
      return "path";
    }
  }

  record Method() implements KeyComponent {
    @Override
    public String label() {
      return "method";
    }
  }

  /** The matched route's {@code namespace/name}. */
  record Route() implements KeyComponent {
    @Override
    public String label() {
      return "route";
    }
  }

  /**
   * The subject of the client certificate verified on the HTTPS listener (absent on plain HTTP or
   * when the client presented none).
   */
  record ClientCertificate() implements KeyComponent {
    @Override
    public String label() {
      return "clientCertificate";
    }
  }

  /**
   * Compiles a CRD key part; exactly one of its fields must be set (the CRD's CEL rule enforces it
   * at apply time, this check covers standalone YAML).
   */
  static KeyComponent of(KeyPart part) {
    int set = 0;
    KeyComponent component = null;
    if (part.getClaim() != null) {
      set++;
      component = new Claim(part.getClaim());
    }
    if (part.getHeader() != null) {
      set++;
      component = new Header(part.getHeader());
    }
    if (Boolean.TRUE.equals(part.getClientIP())) {
      set++;
      component = new ClientIp();
    }
    if (Boolean.TRUE.equals(part.getPath())) {
      set++;
      component = new Path();
    }
    if (Boolean.TRUE.equals(part.getMethod())) {
      set++;
      component = new Method();
    }
    if (Boolean.TRUE.equals(part.getRoute())) {
      set++;
      component = new Route();
    }
    if (Boolean.TRUE.equals(part.getClientCertificate())) {
      set++;
      component = new ClientCertificate();
    }
    if (set != 1) {
      throw new IllegalArgumentException(
          "a key part sets exactly one of claim, header, clientIP, path, method, route,"
              + " clientCertificate; found "
              + set);
    }
    return component;
  }
}
