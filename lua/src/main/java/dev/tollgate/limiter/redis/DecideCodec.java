package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.CalendarWindow;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitOutcome;
import java.nio.charset.StandardCharsets;
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
  // algorithm, requests, period_us, burst, cost, calendar boundary count; then the boundaries
  private static final int ARGS_PER_LIMIT = 6;
  private static final int CALENDAR_BOUNDARIES = 4;
  private static final byte[] NO_BOUNDARIES = bytes("0");
  private static final int REPLY_PER_LIMIT = 4;
  // allowed = -1: the request failed in Redis; the next value is the error text.
  private static final Long FAILED = -1L;

  private DecideCodec() {}

  /** KEYS of a batch: every call's keys, in call order. */
  static byte[][] keys(List<ScriptCall> calls) {
    byte[][] keys = new byte[limitCount(calls)][];
    int at = 0;
    for (ScriptCall call : calls) {
      for (String key : call.group().keys()) {
        keys[at++] = bytes(key);
      }
    }
    return keys;
  }

  /**
   * @param nowMicros the caller's clock: calendar windows send their boundaries around it (the
   *     script still decides at Redis' time)
   */
  static byte[][] arguments(String clockArgument, long nowMicros, List<ScriptCall> calls) {
    int size = HEADER_ARGS + ARGS_PER_REQUEST * calls.size();
    for (ScriptCall call : calls) {
      for (LimitCheck check : call.group().checks()) {
        size +=
            ARGS_PER_LIMIT
                + (check.limit().window() instanceof CalendarWindow ? CALENDAR_BOUNDARIES : 0);
      }
    }
    byte[][] argv = new byte[size][];
    argv[0] = bytes(clockArgument);
    int at = HEADER_ARGS;
    for (ScriptCall call : calls) {
      List<LimitCheck> checks = call.group().checks();
      argv[at++] = bytes(call.operation());
      argv[at++] = bytes(call.nonce());
      argv[at++] = decimal(checks.size());
      for (LimitCheck check : checks) {
        LimitDefinition limit = check.limit();
        argv[at++] = bytes(limit.algorithm().wireName());
        argv[at++] = decimal(limit.requests());
        argv[at++] = decimal(limit.periodMicrosAt(nowMicros));
        argv[at++] = decimal(limit.burst());
        argv[at++] = decimal(limit.boundedCost(check.cost()));
        if (limit.window() instanceof CalendarWindow calendar) {
          CalendarWindow.Boundaries window = calendar.around(nowMicros);
          argv[at++] = decimal(CALENDAR_BOUNDARIES);
          argv[at++] = decimal(window.previousStart());
          argv[at++] = decimal(window.start());
          argv[at++] = decimal(window.end());
          argv[at++] = decimal(window.nextEnd());
        } else {
          argv[at++] = NO_BOUNDARIES;
        }
      }
    }
    return argv;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] decimal(long value) {
    return bytes(Long.toString(value));
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
        perCall.add(CallReply.failed(text(reply.get(at + 1))));
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

  private static String text(Object value) {
    return value instanceof byte[] raw
        ? new String(raw, StandardCharsets.UTF_8)
        : String.valueOf(value);
  }
}
