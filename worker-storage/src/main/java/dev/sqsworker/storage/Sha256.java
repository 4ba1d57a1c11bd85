package dev.sqsworker.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A SHA-256 digest: 32 bytes, shown as base64 in S3 headers ({@code x-amz-checksum-sha256}) and as
 * lowercase hex in the registry.
 */
public final class Sha256 {

  private static final int LENGTH = 32;

  private final byte[] bytes;

  private Sha256(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "a SHA-256 digest has " + LENGTH + " bytes, was " + bytes.length);
    }
    this.bytes = bytes.clone();
  }

  /** The digest with these 32 bytes. */
  public static Sha256 ofDigest(byte[] digest) {
    return new Sha256(digest);
  }

  /** The SHA-256 of these bytes. */
  public static Sha256 of(byte[] data) {
    return new Sha256(newDigest().digest(data));
  }

  /**
   * Parses the base64 form used by S3.
   *
   * @throws IllegalArgumentException if it is not base64 of 32 bytes
   */
  public static Sha256 fromBase64(String base64) {
    return new Sha256(Base64.getDecoder().decode(base64));
  }

  /**
   * Parses the lowercase or uppercase hex form.
   *
   * @throws IllegalArgumentException if it is not 64 hex digits
   */
  public static Sha256 fromHex(String hex) {
    return new Sha256(HexFormat.of().parseHex(hex));
  }

  /** A fresh SHA-256 {@link MessageDigest}; every JDK has one. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JDK has no SHA-256", e);
    }
  }

  /** The base64 form, as S3 sends and expects it. */
  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The lowercase hex form. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** A copy of the 32 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Sha256 that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
