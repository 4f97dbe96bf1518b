package dev.tollgate.gateway.tls;

import dev.tollgate.gateway.metrics.GatewayMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One certificate served from two PEM files (the chain, leaf first, and its key): the pair being
 * served and the bytes last seen. {@link #refresh} is the reload rule of every certificate the
 * HTTPS listener serves: a pair whose bytes changed is parsed and checked before it replaces the
 * served one; a pair that does not parse or whose key does not match (a renewal caught
 * half-written) is logged once, counted ({@code tollgate_tls_certificate_reloads_total{result=
 * "failure"}}) and ignored, and the previous pair stays served until a good one appears.
 */
final class PemPair {
  private static final Logger LOG = LoggerFactory.getLogger(PemPair.class);

  /** A PEM chain of a few certificates is a few KiB; a larger file is not a certificate pair. */
  static final int MAX_FILE_BYTES = 1024 * 1024;

  private final String name;
  private final Path certificateFile;
  private final Path keyFile;
  // null until a valid pair was read (a bundle pair may start refused)
  private volatile ServerCertificate served;
  private byte[][] servedFiles;
  private byte[][] refusedFiles;

  private PemPair(String name, Path certificateFile, Path keyFile) {
    this.name = name;
    this.certificateFile = certificateFile;
    this.keyFile = keyFile;
  }

  /** {@code tls.crt} and {@code tls.key} in {@code directory}, as a TLS Secret is mounted. */
  static PemPair inDirectory(Path directory) {
    return new PemPair(
        directory.toString(), directory.resolve("tls.crt"), directory.resolve("tls.key"));
  }

  /** {@code <id>.crt} and {@code <id>.key} in a bundle directory. */
  static PemPair inBundle(Path bundle, String id) {
    return new PemPair(
        bundle.resolve(id).toString(), bundle.resolve(id + ".crt"), bundle.resolve(id + ".key"));
  }

  /** Where the pair is read from, as logs and the {@code certificate} metric label name it. */
  String name() {
    return name;
  }

  Optional<ServerCertificate> served() {
    return Optional.ofNullable(served);
  }

  /**
   * Reads and serves the pair, for a certificate the gateway cannot start without.
   *
   * @throws IllegalArgumentException naming the pair and what is wrong with it
   */
  void load(GatewayMetrics metrics) {
    byte[][] files = read();
    serve(files, parse(files), metrics);
  }

  /** True when a changed, valid pair replaced the served one (or is the first one served). */
  boolean refresh(GatewayMetrics metrics) {
    byte[][] files;
    try {
      files = read();
    } catch (IllegalArgumentException e) {
      // a file missing mid-swap; the next poll sees the finished swap
      LOG.debug("Certificate files of {} not readable now: {}", name, e.getMessage());
      return false;
    }
    if (Arrays.deepEquals(files, servedFiles) || Arrays.deepEquals(files, refusedFiles)) {
      return false;
    }
    boolean renewal = served != null;
    try {
      serve(files, parse(files), metrics);
    } catch (IllegalArgumentException e) {
      refusedFiles = files;
      metrics.certificateReload(name, "failure");
      LOG.warn(
          "Refused {} certificate pair, {}: {}",
          renewal ? "changed" : "new",
          renewal ? "still serving the previous one" : "not serving it",
          e.getMessage());
      return false;
    }
    metrics.certificateReload(name, "success");
    LOG.info(
        "Serving {} certificate from {} ({}, expires {})",
        renewal ? "renewed" : "new",
        name,
        served.names(),
        served.chain().getFirst().getNotAfter().toInstant());
    return true;
  }

  /** The pair's files are gone: its expiry is no longer reported. True when it was served. */
  boolean retire(GatewayMetrics metrics) {
    metrics.certificateRetired(name);
    return served != null;
  }

  private void serve(byte[][] files, ServerCertificate certificate, GatewayMetrics metrics) {
    boolean first = served == null;
    servedFiles = files;
    refusedFiles = null;
    served = certificate;
    if (first) {
      metrics.certificateExpiry(
          name, () -> served.chain().getFirst().getNotAfter().toInstant().getEpochSecond());
    }
  }

  private ServerCertificate parse(byte[][] files) {
    for (byte[] file : files) {
      if (file.length > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            name + ": a file is larger than " + MAX_FILE_BYTES + " bytes");
      }
    }
    return ServerCertificate.parse(name, certificateFile, files[0], keyFile, files[1]);
  }

  /** {certificate, key} bytes (at most one more than {@link #MAX_FILE_BYTES} each). */
  private byte[][] read() {
    return new byte[][] {readFile(certificateFile), readFile(keyFile)};
  }

  private static byte[] readFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      // one byte more than allowed, so that parse() can tell an oversized file
      return in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " cannot be read: " + e, e);
    }
  }
}
