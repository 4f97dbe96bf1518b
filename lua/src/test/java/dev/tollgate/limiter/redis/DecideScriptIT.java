package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testkit.redis.RedisServerExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The decide script's reply layout when one request of a batch fails or the batch is malformed,
 * called with raw {@code KEYS} and {@code ARGV} (the engine never builds such batches itself): the
 * script reuses its tables from request to request and appends straight into the reply, so a
 * request that fails part-way must leave exactly its own error entries behind.
 */
class DecideScriptIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final String SCRIPT = LimiterScript.production().source();

  /** A token-bucket limit of 10 per second, cost 1. */
  private static final List<String> LIMIT =
      List.of("token-bucket", "10", "1000000", "10", "1", "0");

  @Test
  void aRefundThatFailsPartWayAnswersOnlyItsOwnErrorsAndTheNextRequestFollows() {
    REDIS.server().cli("SET", "decide-it:wrong", "not a hash");

    List<String> reply =
        eval(
            List.of("decide-it:refunded", "decide-it:wrong", "decide-it:next"),
            request("refund", "n1", 2),
            request("consume", "n2", 1));

    // The refund's first limit was refunded before its second key failed: its figures must not
    // stay in the reply, or every later request's figures would shift by one limit.
    assertThat(reply).hasSize(3 * 4);
    assertThat(reply.subList(0, 4)).first().isEqualTo("-1");
    assertThat(reply.get(1)).contains("WRONGTYPE");
    assertThat(reply.subList(4, 8)).first().isEqualTo("-1");
    assertThat(reply.get(5)).contains("WRONGTYPE");
    assertThat(reply.subList(8, 12)).containsExactly("1", "9", "100000", "0");
  }

  @Test
  void aMalformedRequestFailsTheWholeBatchAndNothingIsWritten() {
    List<String> args = new ArrayList<>(request("consume", "n1", 1));
    args.addAll(
        List.of("consume", "n2", "1", "no-such-algorithm", "10", "1000000", "10", "1", "0"));

    String reply = evalRaw(List.of("decide-it:first", "decide-it:second"), args);

    assertThat(reply).contains("unknown algorithm no-such-algorithm");
    assertThat(REDIS.server().cli("EXISTS", "decide-it:first")).isEqualTo("0");
  }

  /** A request of {@code limits} times {@link #LIMIT}. */
  private static List<String> request(String operation, String nonce, int limits) {
    List<String> args = new ArrayList<>(List.of(operation, nonce, Integer.toString(limits)));
    for (int i = 0; i < limits; i++) {
      args.addAll(LIMIT);
    }
    return args;
  }

  @SafeVarargs
  private static List<String> eval(List<String> keys, List<String>... requests) {
    List<String> args = new ArrayList<>();
    for (List<String> request : requests) {
      args.addAll(request);
    }
    return List.of(evalRaw(keys, args).split("\n"));
  }

  private static String evalRaw(List<String> keys, List<String> args) {
    List<String> command = new ArrayList<>(List.of("EVAL", SCRIPT, Integer.toString(keys.size())));
    command.addAll(keys);
    command.add("clock argument (ignored)");
    command.addAll(args);
    return REDIS.server().cli(command.toArray(String[]::new));
  }
}
