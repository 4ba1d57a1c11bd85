package dev.sqsworker.storage.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Content that can be read again from any offset: a file or a byte array. */
interface Content {

  /** Its size in bytes. */
  long size() throws IOException;

  /** A fresh stream of {@code length} bytes from {@code offset}. */
  InputStream open(long offset, long length) throws IOException;

  static Content of(Path file) {
    return new Content() {
      @Override
      public long size() throws IOException {
        return java.nio.file.Files.size(file);
      }

      @Override
      public InputStream open(long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(offset);
        return new BoundedInputStream(Channels.newInputStream(channel), length);
      }
    };
  }

  static Content of(byte[] bytes) {
    return new Content() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public InputStream open(long offset, long length) {
        return new ByteArrayInputStream(bytes, (int) offset, (int) length);
      }
    };
  }

  /** Reads at most {@code remaining} bytes of the stream it wraps, and closes it. */
  final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long remaining) {
      this.in = in;
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(buffer, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
