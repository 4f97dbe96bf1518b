package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * The only place that knows decide.lua's positional KEYS, ARGV and reply layout (see its header),
 * so no {@code reply.get(4 * i)} leaks into the engine.
 */
final class DecideCodec {
  static final String CONSUME = "consume";
  static final String REFUND = "refund";

  private static final int HEADER_ARGS = 1;
  private static final int ARGS_PER_REQUEST = 3;
  private static final int ARGS_PER_LIMIT = 5;
  private static final int REPLY_PER_LIMIT = 4;
  // allowed = -1: the request failed in Redis; the next value is the error text.
  private static final Long FAILED = -1L;

  private DecideCodec() {}

  /** KEYS of a batch: every call's keys, in call order. */
  static String[] keys(List<ScriptCall> calls) {
    String[] keys = new String[limitCount(calls)];
    int at = 0;
    for (ScriptCall call : calls) {
      String[] own = call.group().keys();
      System.arraycopy(own, 0, keys, at, own.length);
      at += own.length;
    }
    return keys;
  }

  static String[] arguments(String clockArgument, List<ScriptCall> calls) {
    String[] argv =
        new String
            [HEADER_ARGS + ARGS_PER_REQUEST * calls.size() + ARGS_PER_LIMIT * limitCount(calls)];
    argv[0] = clockArgument;
    int at = HEADER_ARGS;
    for (ScriptCall call : calls) {
      List<LimitCheck> checks = call.group().checks();
      argv[at++] = call.operation();
      argv[at++] = call.nonce();
      argv[at++] = Integer.toString(checks.size());
      for (LimitCheck check : checks) {
        argv[at++] = check.limit().algorithm().wireName();
        argv[at++] = Long.toString(check.limit().requests());
        argv[at++] = Long.toString(check.limit().periodMicros());
        argv[at++] = Long.toString(check.limit().burst());
        argv[at++] = Long.toString(check.limit().boundedCost(call.cost()));
      }
    }
    return argv;
  }

  /** The batch's flat reply cut into each call's reply, in call order. */
  static List<CallReply> replies(List<ScriptCall> calls, List<?> reply) {
    if (reply.size() != REPLY_PER_LIMIT * limitCount(calls)) {
      throw new IllegalStateException(
          "decide.lua answered "
              + reply.size()
              + " values for "
              + limitCount(calls)
              + " limits in "
              + calls.size()
              + " requests");
    }
    List<CallReply> perCall = new ArrayList<>(calls.size());
    int at = 0;
    for (ScriptCall call : calls) {
      List<LimitCheck> checks = call.group().checks();
      if (FAILED.equals(reply.get(at))) {
        perCall.add(CallReply.failed(String.valueOf(reply.get(at + 1))));
        at += REPLY_PER_LIMIT * checks.size();
        continue;
      }
      List<LimitOutcome> outcomes = new ArrayList<>(checks.size());
      for (LimitCheck check : checks) {
        outcomes.add(
            LimitOutcome.ofMicros(
                check,
                number(reply.get(at)) == 1,
                number(reply.get(at + 1)),
                number(reply.get(at + 2)),
                number(reply.get(at + 3))));
        at += REPLY_PER_LIMIT;
      }
      perCall.add(CallReply.decided(outcomes));
    }
    return perCall;
  }

  private static int limitCount(List<ScriptCall> calls) {
    int count = 0;
    for (ScriptCall call : calls) {
      count += call.group().checks().size();
    }
    return count;
  }

  private static long number(Object value) {
    return ((Number) value).longValue();
  }
}
