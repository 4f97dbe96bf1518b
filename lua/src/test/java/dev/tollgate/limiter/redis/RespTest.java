package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limiter's RESP2 framing: what it writes, what it accepts, what it refuses. */
class RespTest {
  private static Object read(String wire) throws IOException {
    return new RespReader(
            new BufferedInputStream(
                new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1))))
        .read();
  }

  @Test
  void writesACommandAsAnArrayOfBulkStrings() throws IOException {
    RespWriter writer = new RespWriter();
    writer.command(3).bulk("EVALSHA").bulk("ab").bulk(new byte[] {'x', '\r', '\n'});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeTo(out);

    assertThat(out.toString(StandardCharsets.ISO_8859_1))
        .isEqualTo("*3\r\n$7\r\nEVALSHA\r\n$2\r\nab\r\n$3\r\nx\r\n\r\n");
  }

  @Test
  void reusesItsBufferAndGrowsItForALargeCommand() {
    RespWriter writer = new RespWriter();
    byte[] large = new byte[10_000];
    writer.command(1).bulk(large);
    writer.command(1).bulk("PING");

    assertThat(new String(writer.encoded(), StandardCharsets.US_ASCII))
        .isEqualTo("*1\r\n$4\r\nPING\r\n");
  }

  @Test
  void readsEveryReplyTypeTheScriptAndHandshakeProduce() throws IOException {
    assertThat(read(":-42\r\n")).isEqualTo(-42L);
    assertThat(read("+OK\r\n")).isEqualTo("OK");
    assertThat(read("-NOSCRIPT No matching script.\r\n"))
        .isEqualTo(new RespReader.Error("NOSCRIPT No matching script."));
    assertThat((byte[]) read("$5\r\na\r\nbc\r\n")).isEqualTo("a\r\nbc".getBytes());
    assertThat(read("$-1\r\n")).isNull();
    assertThat(read("*-1\r\n")).isNull();
    Object nested = read("*3\r\n:1\r\n*1\r\n$2\r\nhi\r\n-ERR x\r\n");
    assertThat(nested).isInstanceOf(List.class);
    List<?> values = (List<?>) nested;
    assertThat(values.get(0)).isEqualTo(1L);
    assertThat((byte[]) ((List<?>) values.get(1)).getFirst()).isEqualTo("hi".getBytes());
    assertThat(values.get(2)).isEqualTo(new RespReader.Error("ERR x"));
  }

  @Test
  void tellsANoScriptErrorFromOthers() {
    assertThat(new RespReader.Error("NOSCRIPT No matching script.").noScript()).isTrue();
    assertThat(new RespReader.Error("ERR unknown command").noScript()).isFalse();
  }

  @Test
  void refusesSizesBeyondItsBoundsBeforeAllocating() {
    assertThatThrownBy(() -> read("*" + (RespReader.MAX_VALUES + 1) + "\r\n"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read("$" + (RespReader.MAX_BYTES + 1) + "\r\n"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read("$-2\r\n")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read(":" + "9".repeat(5_000) + "\r\n"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read("*1\r\n".repeat(5) + ":1\r\n"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("nested");
  }

  /** The bounds hold for a reply as a whole: many arrays or strings each within them add up. */
  @Test
  void boundsTheWholeReplyNotEachPart() throws IOException {
    int half = RespReader.MAX_VALUES / 2;
    String arrayOfHalf = "*" + half + "\r\n" + ":1\r\n".repeat(half);
    assertThat((List<?>) read("*1\r\n" + arrayOfHalf)).hasSize(1);
    assertThatThrownBy(() -> read("*3\r\n" + arrayOfHalf.repeat(3)))
        .isInstanceOf(ProtocolException.class);

    String string =
        "$" + (RespReader.MAX_BYTES / 2) + "\r\n" + "x".repeat(RespReader.MAX_BYTES / 2) + "\r\n";
    assertThat((List<?>) read("*2\r\n" + string.repeat(2))).hasSize(2);
    assertThatThrownBy(() -> read("*3\r\n" + string.repeat(3)))
        .isInstanceOf(ProtocolException.class);
  }

  /** Each read starts with the whole bounds again: a connection's replies do not add up. */
  @Test
  void eachReplyGetsTheBoundsAgain() throws IOException {
    int half = RespReader.MAX_VALUES / 2 + 1;
    String reply = "*" + half + "\r\n" + ":1\r\n".repeat(half);
    RespReader reader =
        new RespReader(
            new ByteArrayInputStream(reply.repeat(3).getBytes(StandardCharsets.US_ASCII)));
    for (int i = 0; i < 3; i++) {
      assertThat((List<?>) reader.read()).hasSize(half);
    }
  }

  @Test
  void refusesWhatIsNotRespAndATruncatedReply() {
    assertThatThrownBy(() -> read("HTTP/1.1 400 Bad Request\r\n"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read(":12x\r\n")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read(":1\rX")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read("$3\r\nabcXY")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read("*2\r\n:1\r\n")).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> read("$10\r\nabc")).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> read("")).isInstanceOf(EOFException.class);
  }
}
