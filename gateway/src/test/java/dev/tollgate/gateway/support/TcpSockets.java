package dev.tollgate.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's TCP sockets as the kernel lists them in {@code /proc/net/tcp} and {@code tcp6}: a
 * test can see connections (and their states) that no Java API exposes, such as a pooled socket
 * left in CLOSE_WAIT after the other side closed it.
 */
public final class TcpSockets {
  /** Kernel state codes (include/net/tcp_states.h). */
  public static final String ESTABLISHED = "01";

  public static final String CLOSE_WAIT = "08";

  private TcpSockets() {}

  /** The states of every socket whose remote port is {@code port}, e.g. ["01", "08"]. */
  public static List<String> statesTowards(int port) {
    List<String> states = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(table));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        String remote = fields[2];
        int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
        if (remotePort == port) {
          states.add(fields[3]);
        }
      }
    }
    return states;
  }

  /** Sockets towards {@code port} that are open (established or half-closed by the peer). */
  public static long openTowards(int port) {
    return statesTowards(port).stream()
        .filter(s -> s.equals(ESTABLISHED) || s.equals(CLOSE_WAIT))
        .count();
  }
}
