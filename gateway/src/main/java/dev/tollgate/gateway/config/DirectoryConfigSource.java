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
 * symlink swaps of a Kubernetes ConfigMap volume and works on every file system. A half-written
 * file simply fails validation and is picked up again on the next change.
 *
 * <p>A directory is served as a whole or not at all, like {@code nginx -t}: one resource the
 * rulebook refuses refuses the load, with every problem named, and the last good configuration
 * keeps serving.
 */
public final class DirectoryConfigSource implements ConfigSource {
  private final Path directory;
  private final Duration pollInterval;
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tollgate-config-poll").daemon().factory());
  private String lastFingerprint = "";
  private long loads;

  public DirectoryConfigSource(Path directory, Duration pollInterval) {
    this.directory = directory;
    this.pollInterval = pollInterval;
  }

  @Override
  public void start(ConfigSink sink) {
    poll(sink);
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

  private synchronized void poll(ConfigSink sink) {
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
