package dev.tollgate.rules;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a gateway tells the operator about the resources it left out of the configuration it serves
 * (the rulebook refused them, or they did not compile), so the operator's status of each can say
 * {@code refused by 2/3 gateways: <reason>}. Carried as text in the gateways' feedback hash, one
 * line per resource: {@code <Kind>/<namespace>/<name> TAB <reason>}.
 *
 * <p>Bounded, because every gateway rewrites it every few seconds: at most {@value #MAX_RESOURCES}
 * resources (the first by kind, namespace and name) and {@value #MAX_REASON_CHARS} characters per
 * reason, about 60 KB per gateway at most. Names cannot hold a tab or a newline (DNS labels), and
 * reasons have theirs replaced by spaces.
 *
 * @param reasons each left-out resource and the problems that kept it out, as one line
 */
public record RejectionReport(Map<ResourceId, String> reasons) {
  public static final int MAX_RESOURCES = 100;
  public static final int MAX_REASON_CHARS = 500;
  public static final RejectionReport NONE = new RejectionReport(Map.of());

  private static final Comparator<ResourceId> ORDER =
      Comparator.comparing(ResourceId::kind)
          .thenComparing(ResourceId::namespace)
          .thenComparing(ResourceId::name);

  public RejectionReport {
    reasons = Map.copyOf(reasons);
  }

  /** The report of a compilation's rejections, within the bounds. */
  public static RejectionReport of(Map<ResourceId, List<Problem>> rejected) {
    Map<ResourceId, String> reasons = new LinkedHashMap<>();
    rejected.keySet().stream()
        .sorted(ORDER)
        .limit(MAX_RESOURCES)
        .forEach(id -> reasons.put(id, oneLine(Problem.summary(rejected.get(id)))));
    return new RejectionReport(reasons);
  }

  public boolean isEmpty() {
    return reasons.isEmpty();
  }

  /** The text form; empty when nothing was left out. */
  public String encode() {
    StringBuilder text = new StringBuilder();
    reasons.keySet().stream()
        .sorted(ORDER)
        .forEach(id -> text.append(id.key()).append('\t').append(reasons.get(id)).append('\n'));
    return text.toString();
  }

  /** Reads {@link #encode()}'s form, skipping lines it cannot read (a newer gateway's, say). */
  public static RejectionReport decode(String text) {
    Map<ResourceId, String> reasons = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        // an unknown kind (a newer gateway's) is not one this operator can report on
        ResourceId.fromKey(line.substring(0, tab))
            .ifPresent(id -> reasons.put(id, line.substring(tab + 1)));
      }
    }
    return new RejectionReport(reasons);
  }

  private static String oneLine(String reason) {
    String flat = reason.replace('\n', ' ').replace('\t', ' ').replace('\r', ' ');
    return flat.length() <= MAX_REASON_CHARS
        ? flat
        : flat.substring(0, MAX_REASON_CHARS - 3) + "...";
  }
}
