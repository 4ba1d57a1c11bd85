package dev.sqsworker.core.internal.admit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sqsworker.core.PayloadDecodingException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** Decodes message bodies into a handler's payload type. */
public final class PayloadDecoder<T> {

  private final Function<ObjectMapper, JavaType> type;
  private final Raw raw;

  private enum Raw {
    NONE,
    STRING,
    BYTES
  }

  private PayloadDecoder(Function<ObjectMapper, JavaType> type, Raw raw) {
    this.type = type;
    this.raw = raw;
  }

  /** A decoder into a class; {@code String} and {@code byte[]} take the raw body. */
  public static <T> PayloadDecoder<T> of(Class<T> type) {
    if (type == String.class) {
      return new PayloadDecoder<>(m -> m.constructType(String.class), Raw.STRING);
    }
    if (type == byte[].class) {
      return new PayloadDecoder<>(m -> m.constructType(byte[].class), Raw.BYTES);
    }
    return new PayloadDecoder<>(m -> m.constructType(type), Raw.NONE);
  }

  /** A decoder into a generic type. */
  public static <T> PayloadDecoder<T> of(TypeReference<T> type) {
    return new PayloadDecoder<>(m -> m.constructType(type), Raw.NONE);
  }

  /** A decoder into a type built with a mapper's type factory. */
  public static <T> PayloadDecoder<T> of(JavaType type) {
    Class<?> raw = type.getRawClass();
    Raw mode = raw == String.class ? Raw.STRING : raw == byte[].class ? Raw.BYTES : Raw.NONE;
    return new PayloadDecoder<>(m -> type, mode);
  }

  /**
   * The mapper used when the user gives none: records, java.time and Optional, unknown properties
   * ignored (so producers can add fields), missing or null primitives rejected.
   */
  public static ObjectMapper defaultMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(new Jdk8Module())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .build();
  }

  /** Binds the decoder to a mapper. */
  public Bound bind(ObjectMapper mapper) {
    JavaType javaType = type.apply(mapper);
    // A body is one JSON document: trailing data (an extra brace, a second document) is an error.
    return new Bound(
        mapper.readerFor(javaType).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS),
        javaType,
        raw);
  }

  /** A decoder bound to a mapper, ready to decode. */
  public static final class Bound {
    private final ObjectReader reader;
    private final JavaType type;
    private final Raw raw;

    private Bound(ObjectReader reader, JavaType type, Raw raw) {
      this.reader = reader;
      this.type = type;
      this.raw = raw;
    }

    /** The payload type's simple name, for messages. */
    public String typeName() {
      return type.getRawClass().getSimpleName();
    }

    /**
     * Decodes one body.
     *
     * @throws PayloadDecodingException naming the type, the JSON path and what is wrong
     */
    public Object decode(String body) {
      switch (raw) {
        case STRING:
          return body;
        case BYTES:
          return body.getBytes(StandardCharsets.UTF_8);
        default:
          break;
      }
      if (body == null || body.isBlank()) {
        throw new PayloadDecodingException(
            "Cannot decode an empty message body as " + typeName(), null);
      }
      try {
        Object value = reader.readValue(body);
        if (value == null) {
          throw new PayloadDecodingException(
              "Cannot decode message body as " + typeName() + ": the body is JSON null", null);
        }
        return value;
      } catch (JsonMappingException e) {
        throw new PayloadDecodingException(
            "Cannot decode message body as "
                + typeName()
                + " at "
                + path(e)
                + ": "
                + e.getOriginalMessage(),
            e);
      } catch (JsonProcessingException e) {
        throw new PayloadDecodingException(
            "Message body is not valid JSON for "
                + typeName()
                + " (line "
                + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                + ", column "
                + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr())
                + "): "
                + e.getOriginalMessage(),
            e);
      }
    }

    private static String path(JsonMappingException e) {
      StringBuilder path = new StringBuilder("$");
      for (JsonMappingException.Reference ref : e.getPath()) {
        if (ref.getFieldName() != null) {
          path.append('.').append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      return path.toString();
    }
  }
}
