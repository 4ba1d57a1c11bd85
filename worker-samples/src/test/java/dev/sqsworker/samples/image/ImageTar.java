package dev.sqsworker.samples.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A container image written by {@code jib:buildTar} (Docker's {@code docker save} layout): {@code
 * manifest.json}, the image configuration and one gzipped tar per layer.
 */
final class ImageTar {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, byte[]> files;
  private final JsonNode manifest;

  private ImageTar(Map<String, byte[]> files) throws IOException {
    this.files = files;
    this.manifest = JSON.readTree(files.get("manifest.json")).get(0);
  }

  static ImageTar read(Path tar) {
    try (var in = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tar)))) {
      Map<String, byte[]> files = new HashMap<>();
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.isFile()) {
          files.put(entry.getName(), in.readAllBytes());
        }
      }
      return new ImageTar(files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image tar " + tar, e);
    }
  }

  /** The image configuration's {@code config} object: user, entry point, ports, environment. */
  JsonNode config() throws IOException {
    return JSON.readTree(files.get(manifest.get("Config").asText())).get("config");
  }

  /** The comments of the layers' history entries, in layer order. */
  List<String> layerComments() throws IOException {
    List<String> comments = new ArrayList<>();
    JSON.readTree(files.get(manifest.get("Config").asText()))
        .get("history")
        .forEach(h -> comments.add(h.path("comment").asText()));
    return comments;
  }

  /** Unpacks every layer, in order, into {@code root}, as a container runtime would. */
  void unpackLayers(Path root) throws IOException {
    for (JsonNode layer : manifest.get("Layers")) {
      try (InputStream raw = new java.io.ByteArrayInputStream(files.get(layer.asText()));
          var in = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
        TarArchiveEntry entry;
        while ((entry = in.getNextEntry()) != null) {
          Path target = root.resolve(entry.getName().replaceFirst("^/+", "")).normalize();
          if (!target.startsWith(root)) {
            throw new IOException("layer entry escapes the root: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(target);
          } else if (entry.isFile()) {
            Files.createDirectories(target.getParent());
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }
}
