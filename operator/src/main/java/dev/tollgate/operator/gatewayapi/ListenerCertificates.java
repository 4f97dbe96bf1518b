package dev.tollgate.operator.gatewayapi;

import dev.tollgate.operator.cluster.ClusterView;
import dev.tollgate.operator.config.OperatorSettings;
import dev.tollgate.operator.status.DesiredCondition;
import dev.tollgate.rules.CertificatePair;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Judges the certificateRefs of the HTTPS listeners of Tollgate's Gateways and puts the usable
 * certificates into one bundle for the gateway pods (they have no API token, so the operator hands
 * them the PEM pairs through a Secret the chart mounts). A reference is usable when it names a core
 * Secret, in the Gateway's namespace or in one whose ReferenceGrant opens it to Gateways of that
 * namespace (else {@code RefNotPermitted}), of type {@code kubernetes.io/tls}, whose {@code
 * tls.crt} and {@code tls.key} the gateway would serve ({@link CertificatePair}; else {@code
 * InvalidCertificateRef}).
 *
 * <p>The bundle holds {@code <namespace>.<name>.crt} and {@code .key} per Secret (once, however
 * many listeners use it), up to {@link #BUNDLE_LIMIT_BYTES}: the API server refuses a Secret over 1
 * MiB, so a certificate that no longer fits is left out and its listeners say so ({@code
 * Programmed=False}). The certificates the bundle already holds go first, then the others in name
 * order: first come, first kept, so a tenant's new or larger certificates never push out those
 * other tenants' listeners already serve (in name order they would, from any namespace that sorts
 * earlier).
 *
 * <p>Runs on the status writer's thread only; the verdict of each Secret is kept while its {@code
 * resourceVersion} stays, so a pass parses only what changed.
 */
public final class ListenerCertificates {
  /** 900 KiB: the API server's 1 MiB per Secret, less room for metadata and key names. */
  public static final int BUNDLE_LIMIT_BYTES = 900 * 1024;

  private static final String TLS_CRT = "tls.crt";
  private static final String TLS_KEY = "tls.key";
  private static final String SECRET = "Secret";

  private final ClusterView view;
  private final Listeners listeners;
  private final ReferenceGrants grants;
  private final boolean enabled;
  private final int limitBytes;
  private Map<String, Checked> checked = new HashMap<>();

  /**
   * @param enabled whether this release hands listener certificates to its gateways ({@code
   *     TOLLGATE_LISTENER_CERTIFICATES_SECRET} set); without, every HTTPS listener is unresolved
   */
  public ListenerCertificates(ClusterView view, Listeners listeners, boolean enabled) {
    this(view, listeners, enabled, BUNDLE_LIMIT_BYTES);
  }

  /** With another bound: tests fill it with a few certificates instead of 900 KiB of them. */
  ListenerCertificates(ClusterView view, Listeners listeners, boolean enabled, int limitBytes) {
    this.view = view;
    this.listeners = listeners;
    this.grants = new ReferenceGrants(view);
    this.enabled = enabled;
    this.limitBytes = limitBytes;
  }

  /**
   * What is wrong with one listener's certificates, if anything.
   *
   * @param resolvedRefs {@code ResolvedRefs=False} when a reference is not permitted or not usable
   * @param programmed {@code Programmed=False} when the listener cannot be served
   */
  public record Verdict(
      Optional<DesiredCondition> resolvedRefs, Optional<DesiredCondition> programmed) {
    static final Verdict FINE = new Verdict(Optional.empty(), Optional.empty());

    public boolean fine() {
      return resolvedRefs.isEmpty() && programmed.isEmpty();
    }
  }

  /**
   * One pass over every HTTPS listener.
   *
   * @param listeners every HTTPS listener by {@code namespace/gateway/listener}
   * @param bundle the bundle Secret's data: key to base64 value, as a Secret's {@code data} holds
   *     it
   * @param served how many certificates the bundle holds
   * @param bytes what they take of the bound
   */
  public record Judgement(
      Map<String, Verdict> listeners, SortedMap<String, String> bundle, int served, int bytes) {
    public Verdict of(Gateway gateway, Listener listener) {
      return listeners.getOrDefault(key(gateway, listener), Verdict.FINE);
    }

    /**
     * This judgement when the bundle could not be written: every HTTPS listener that would have
     * been served is {@code Programmed=False Pending}.
     */
    Judgement unwritten(String why) {
      Verdict pending =
          new Verdict(
              Optional.empty(),
              Optional.of(
                  DesiredCondition.isFalse(
                      GatewayApiNames.PROGRAMMED,
                      GatewayApiNames.PENDING,
                      "the listener certificate bundle is not written yet: " + why)));
      Map<String, Verdict> all = new HashMap<>(listeners);
      all.replaceAll((key, verdict) -> verdict.fine() ? pending : verdict);
      return new Judgement(Map.copyOf(all), bundle, served, bytes);
    }
  }

  /** A usable certificate Secret: its bundle id and its two PEM values (base64, as stored). */
  private record Usable(String id, String certificate, String key, int bytes) {}

  /** A Secret's verdict at one resourceVersion: usable, or the problem. */
  private record Checked(
      String resourceVersion, Optional<Usable> usable, Optional<String> problem) {}

  /**
   * Judges every HTTPS listener of every Gateway of Tollgate's class.
   *
   * @param held the ids ({@code namespace.name}) of the certificates the bundle holds now: they are
   *     kept first
   */
  public Judgement judge(Set<String> held) {
    Map<String, Verdict> verdicts = new HashMap<>();
    SortedMap<String, Usable> usable = new TreeMap<>();
    Map<String, List<String>> users = new HashMap<>();
    Map<String, Checked> seen = new HashMap<>();
    for (Gateway gateway : view.gateways()) {
      if (!listeners.ours(gateway)) {
        continue;
      }
      for (Listener listener : https(gateway)) {
        String key = key(gateway, listener);
        Optional<DesiredCondition> problem = Optional.empty();
        if (!enabled) {
          problem =
              Optional.of(
                  invalid(
                      "listener certificates are off in this release ("
                          + OperatorSettings.LISTENER_CERTIFICATES_SECRET
                          + " is not set)"));
        } else if (refs(listener).isEmpty()) {
          problem = Optional.of(invalid("an HTTPS listener needs tls.certificateRefs"));
        }
        for (SecretObjectReference ref :
            enabled ? refs(listener) : List.<SecretObjectReference>of()) {
          Optional<DesiredCondition> refProblem =
              check(gateway.getMetadata().getNamespace(), ref, seen, usable, users, key);
          problem = problem.or(() -> refProblem);
        }
        verdicts.put(
            key,
            problem
                .map(
                    p ->
                        new Verdict(
                            Optional.of(p),
                            Optional.of(
                                DesiredCondition.isFalse(
                                    GatewayApiNames.PROGRAMMED,
                                    GatewayApiNames.INVALID,
                                    p.message()))))
                .orElse(Verdict.FINE));
      }
    }
    checked = seen;
    SortedMap<String, String> bundle = new TreeMap<>();
    int bytes = 0;
    int served = 0;
    List<Usable> firstComeFirst = new ArrayList<>(usable.values());
    firstComeFirst.sort(Comparator.comparing((Usable pair) -> !held.contains(pair.id())));
    for (Usable pair : firstComeFirst) {
      if (bytes + pair.bytes() > limitBytes) {
        DesiredCondition full =
            DesiredCondition.isFalse(
                GatewayApiNames.PROGRAMMED,
                GatewayApiNames.INVALID,
                "certificate "
                    + pair.id()
                    + " does not fit the listener certificate bundle ("
                    + limitBytes / 1024
                    + " KiB: the certificates it served before, then the others in Secret name"
                    + " order)");
        for (String key : users.get(pair.id())) {
          verdicts.computeIfPresent(
              key, (k, v) -> v.fine() ? new Verdict(Optional.empty(), Optional.of(full)) : v);
        }
        continue;
      }
      bytes += pair.bytes();
      served++;
      bundle.put(pair.id() + ".crt", pair.certificate());
      bundle.put(pair.id() + ".key", pair.key());
    }
    return new Judgement(Map.copyOf(verdicts), bundle, served, bytes);
  }

  private List<Listener> https(Gateway gateway) {
    return Optional.ofNullable(gateway.getSpec().getListeners()).orElse(List.of()).stream()
        .filter(l -> Listeners.HTTPS.equals(l.getProtocol()))
        .filter(l -> listeners.invalid(l).isEmpty())
        .toList();
  }

  private static List<SecretObjectReference> refs(Listener listener) {
    return listener.getTls() == null || listener.getTls().getCertificateRefs() == null
        ? List.of()
        : listener.getTls().getCertificateRefs();
  }

  /** One certificateRef: its problem, or (usable) added to {@code usable} and {@code users}. */
  private Optional<DesiredCondition> check(
      String gatewayNamespace,
      SecretObjectReference ref,
      Map<String, Checked> seen,
      Map<String, Usable> usable,
      Map<String, List<String>> users,
      String listenerKey) {
    String namespace = ref.getNamespace() == null ? gatewayNamespace : ref.getNamespace();
    String label = namespace + "/" + ref.getName();
    String group = ref.getGroup() == null ? "" : ref.getGroup();
    String kind = ref.getKind() == null ? SECRET : ref.getKind();
    if (!group.isEmpty() || !SECRET.equals(kind)) {
      return Optional.of(
          invalid(
              "certificateRef "
                  + label
                  + ": kind "
                  + (group.isEmpty() ? "" : group + "/")
                  + kind
                  + " is not supported; only Secrets are"));
    }
    if (!namespace.equals(gatewayNamespace)
        && !grants.permit(
            GatewayApiNames.GATEWAY, gatewayNamespace, SECRET, namespace, ref.getName())) {
      return Optional.of(
          DesiredCondition.isFalse(
              GatewayApiNames.RESOLVED_REFS,
              GatewayApiNames.REF_NOT_PERMITTED,
              "certificateRef "
                  + label
                  + ": no ReferenceGrant in namespace "
                  + namespace
                  + " allows Gateways from "
                  + gatewayNamespace));
    }
    Checked verdict =
        seen.computeIfAbsent(
            label,
            l ->
                view.tlsSecret(namespace, ref.getName())
                    .map(this::checkedSecret)
                    .orElseGet(
                        () ->
                            new Checked(
                                "",
                                Optional.empty(),
                                Optional.of(
                                    "certificateRef "
                                        + label
                                        + ": no Secret of type kubernetes.io/tls"))));
    if (verdict.problem().isPresent()) {
      return Optional.of(invalid(verdict.problem().get()));
    }
    Usable pair = verdict.usable().orElseThrow();
    usable.put(pair.id(), pair);
    users.computeIfAbsent(pair.id(), id -> new ArrayList<>()).add(listenerKey);
    return Optional.empty();
  }

  /** A Secret's verdict, parsed again only when its resourceVersion moved. */
  private Checked checkedSecret(Secret secret) {
    String version = secret.getMetadata().getResourceVersion();
    String label = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
    Checked before = checked.get(label);
    if (before != null && before.resourceVersion().equals(version)) {
      return before;
    }
    Map<String, String> data = Optional.ofNullable(secret.getData()).orElse(Map.of());
    String certificate = data.getOrDefault(TLS_CRT, "");
    String key = data.getOrDefault(TLS_KEY, "");
    try {
      byte[] certificatePem = Base64.getDecoder().decode(certificate);
      byte[] keyPem = Base64.getDecoder().decode(key);
      CertificatePair.parse("certificateRef Secret " + label, certificatePem, keyPem);
      String id = secret.getMetadata().getNamespace() + "." + secret.getMetadata().getName();
      // what the pair adds to the Secret: its two values and key names (id + ".crt", id + ".key")
      int bytes = certificatePem.length + keyPem.length + 2 * (id.length() + 4);
      return new Checked(
          version, Optional.of(new Usable(id, certificate, key, bytes)), Optional.empty());
    } catch (IllegalArgumentException e) {
      return new Checked(version, Optional.empty(), Optional.of(e.getMessage()));
    }
  }

  private static DesiredCondition invalid(String message) {
    return DesiredCondition.isFalse(
        GatewayApiNames.RESOLVED_REFS, GatewayApiNames.INVALID_CERTIFICATE_REF, message);
  }

  private static String key(Gateway gateway, Listener listener) {
    return gateway.getMetadata().getNamespace()
        + "/"
        + gateway.getMetadata().getName()
        + "/"
        + listener.getName();
  }
}
