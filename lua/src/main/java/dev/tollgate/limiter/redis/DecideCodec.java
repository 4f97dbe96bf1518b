package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * The only place that knows decide.lua's positional ARGV and reply layout (see its header), so no
 * {@code reply.get(4 * i)} leaks into the engine.
 */
final class DecideCodec {
  static final String CONSUME = "consume";
  static final String REFUND = "refund";

  private static final int HEADER_ARGS = 3;
  private static final int ARGS_PER_LIMIT = 5;
  private static final int REPLY_PER_LIMIT = 4;

  private DecideCodec() {}

  static String[] arguments(
      String clockArgument, String operation, String nonce, List<LimitCheck> checks, long cost) {
    String[] argv = new String[HEADER_ARGS + ARGS_PER_LIMIT * checks.size()];
    argv[0] = clockArgument;
    argv[1] = operation;
    argv[2] = nonce;
    int at = HEADER_ARGS;
    for (LimitCheck check : checks) {
      argv[at++] = check.limit().algorithm().wireName();
      argv[at++] = Long.toString(check.limit().requests());
      argv[at++] = Long.toString(check.limit().periodMicros());
      argv[at++] = Long.toString(check.limit().burst());
      argv[at++] = Long.toString(check.limit().boundedCost(cost));
    }
    return argv;
  }

  static List<LimitOutcome> outcomes(List<LimitCheck> checks, List<?> reply) {
    if (reply.size() != REPLY_PER_LIMIT * checks.size()) {
      throw new IllegalStateException(
          "decide.lua answered " + reply.size() + " values for " + checks.size() + " limits");
    }
    List<LimitOutcome> outcomes = new ArrayList<>(checks.size());
    for (int i = 0; i < checks.size(); i++) {
      int at = REPLY_PER_LIMIT * i;
      outcomes.add(
          LimitOutcome.ofMicros(
              checks.get(i),
              number(reply.get(at)) == 1,
              number(reply.get(at + 1)),
              number(reply.get(at + 2)),
              number(reply.get(at + 3))));
    }
    return outcomes;
  }

  private static long number(Object value) {
    return ((Number) value).longValue();
  }
}
