package dev.tollgate.gateway.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Standalone configuration: every {@code *.yaml}/{@code *.yml} file directly in a directory, read
 * in file-name order (which is also the declaration order for route precedence). The directory is
 * polled and re-read whenever the content of its files changes; polling (not inotify) also sees the
 * symlink swaps of a Kubernetes ConfigMap volume and works on every file system.
 *
 * <p>A file rewritten in place is empty, or cut at a document boundary, while it is written, and
 * such a file is valid: taking it would drop its routes until the next poll. So a change is taken
 * only once every file has been left alone for {@link #SETTLE}; a file modified more recently is
 * read again when that time is up. The first read at start takes the files as they are. A
 * half-written file that does not parse fails validation and is picked up again on the next change.
 *
 * <p>A directory is served as a whole or not at all, like {@code nginx -t}: one resource the
 * rulebook refuses refuses the load, with every problem named, and the last good configuration
 * keeps serving.
 */
public final class DirectoryConfigSource implements ConfigSource {
  /**
   * How long a changed file must stay unmodified before it is read as finished: long enough for a
   * tool writing a config file in place, short enough that a change still shows within a second.
   */
  static final Duration SETTLE = Duration.ofMillis(200);

  private final Path directory;
  private final Duration pollInterval;
  private final Duration settle;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tollgate-config-poll").daemon().factory());
  private String lastFingerprint = "";
  private long loads;
  private boolean settlePollScheduled;

  public DirectoryConfigSource(Path directory, Duration pollInterval) {
    this(directory, pollInterval, SETTLE);
  }

  DirectoryConfigSource(Path directory, Duration pollInterval, Duration settle) {
    this.directory = directory;
    this.pollInterval = pollInterval;
    this.settle = settle;
  }

  @Override
  public void start(ConfigSink sink) {
    // the first read does not wait for files to settle: with nothing served yet, a file taken
    // half-written loses nothing, and the poll after it takes the finished file
    poll(sink, false);
    long millis = pollInterval.toMillis();
    poller.scheduleWithFixedDelay(() -> poll(sink), millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public String description() {
    return directory.toString();
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }

  private void poll(ConfigSink sink) {
    poll(sink, true);
  }

  private synchronized void poll(ConfigSink sink, boolean waitForSettle) {
    List<Path> files;
    List<String> contents = new ArrayList<>();
    try {
      files = yamlFiles();
      for (Path file : files) {
        contents.add(Files.readString(file, StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      String fingerprint = "unreadable: " + e;
      if (!fingerprint.equals(lastFingerprint)) {
        lastFingerprint = fingerprint;
        sink.refuse(
            description(),
            new ConfigValidationException(
                directory + ": cannot read the directory: " + e.getMessage()));
      }
      return;
    }
    String fingerprint = fingerprint(files, contents);
    if (fingerprint.equals(lastFingerprint)) {
      return;
    }
    if (waitForSettle) {
      long unsettled = unsettledMillis(files);
      if (unsettled > 0) {
        pollAgainAfter(sink, unsettled);
        return;
      }
    }
    lastFingerprint = fingerprint;
    ManifestReader reader = new ManifestReader();
    for (int i = 0; i < files.size(); i++) {
      reader.read(files.get(i).getFileName().toString(), contents.get(i));
    }
    try {
      sink.offer(
          reader.snapshot(++loads),
          new Rejections(),
          description(),
          reader.locations(),
          ConfigSink.Refusal.WHOLE_LOAD);
    } catch (ConfigValidationException e) {
      sink.refuse(description(), e);
    }
  }

  /**
   * How much longer the most recently modified file must be left alone to count as settled; 0 when
   * all are. A modification time ahead of the clock (a file system with a clock of its own) counts
   * as settled, so a skewed clock cannot hold a change back; a file gone since it was read means
   * the directory is still changing.
   */
  private long unsettledMillis(List<Path> files) {
    long now = System.currentTimeMillis();
    long longest = 0;
    for (Path file : files) {
      long age;
      try {
        age = now - Files.getLastModifiedTime(file).toMillis();
      } catch (IOException e) {
        return settle.toMillis();
      }
      if (age >= 0 && age < settle.toMillis()) {
        longest = Math.max(longest, settle.toMillis() - age);
      }
    }
    return longest;
  }

  private void pollAgainAfter(ConfigSink sink, long millis) {
    if (settlePollScheduled) {
      return;
    }
    settlePollScheduled = true;
    poller.schedule(
        () -> {
          synchronized (this) {
            settlePollScheduled = false;
          }
          poll(sink);
        },
        millis,
        TimeUnit.MILLISECONDS);
  }

  private List<Path> yamlFiles() throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(Files::isRegularFile)
          .filter(
              p -> {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
              })
          .sorted()
          .toList();
    }
  }

  private static String fingerprint(List<Path> files, List<String> contents) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < files.size(); i++) {
        digest.update(files.get(i).getFileName().toString().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(contents.get(i).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
