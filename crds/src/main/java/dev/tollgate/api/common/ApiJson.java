package dev.tollgate.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration for Tollgate's API types, so the operator (writer of the Redis
 * snapshot) and the gateway (reader) serialize identically.
 *
 * <p>Readers ignore unknown fields (a newer operator may add some); writers omit nulls and sort map
 * keys, so the same config always gives the same bytes and an unchanged snapshot can be recognised
 * by comparing strings.
 */
public final class ApiJson {
  private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();

  private ApiJson() {}

  /** The shared JSON mapper; thread-safe, do not reconfigure it (use {@link #configure}). */
  public static ObjectMapper mapper() {
    return JSON;
  }

  /** Applies Tollgate's settings to a mapper builder of any format (JSON, YAML). */
  public static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
    return builder
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .serializationInclusion(JsonInclude.Include.NON_NULL);
  }
}
