package dev.sqsworker.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/** Reads a synthesized template as plain maps and lists. */
final class Templates {

  private Templates() {}

  /** Properties of every resource of {@code type}, by logical id. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> properties(Template template, String type) {
    var result = new java.util.LinkedHashMap<String, Map<String, Object>>();
    template
        .findResources(type)
        .forEach(
            (id, resource) ->
                result.put(
                    id, (Map<String, Object>) resource.getOrDefault("Properties", Map.of())));
    return result;
  }

  /** Properties of the one resource of {@code type} whose logical id starts with {@code prefix}. */
  static Map<String, Object> one(Template template, String type, String prefix) {
    var matches =
        properties(template, type).entrySet().stream()
            .filter(e -> e.getKey().startsWith(prefix))
            .map(Map.Entry::getValue)
            .toList();
    assertThat(matches).as("%s resources starting with %s", type, prefix).hasSize(1);
    return matches.get(0);
  }

  /** Logical id of the one resource of {@code type} whose logical id starts with {@code prefix}. */
  static String idOf(Template template, String type, String prefix) {
    var ids =
        properties(template, type).keySet().stream().filter(id -> id.startsWith(prefix)).toList();
    assertThat(ids).as("%s resources starting with %s", type, prefix).hasSize(1);
    return ids.get(0);
  }

  /** The statements of a policy document. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> statements(Map<String, Object> policyDocument) {
    return (List<Map<String, Object>>) policyDocument.get("Statement");
  }

  /** A string or list value as a list. */
  static List<Object> asList(Object value) {
    if (value instanceof List<?> list) {
      return new ArrayList<>(list);
    }
    return value == null ? List.of() : List.of(value);
  }

  /** A nested value: {@code get(map, "A", "B")} is {@code map.A.B}. */
  @SuppressWarnings("unchecked")
  static <T> T get(Map<String, Object> map, String... path) {
    Object current = map;
    for (var key : path) {
      current = ((Map<String, Object>) current).get(key);
    }
    return (T) current;
  }

  /** Environment variables of the single container of a task definition, by name. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> environment(Map<String, Object> container) {
    var env = new java.util.LinkedHashMap<String, Object>();
    for (var entry : (List<Map<String, Object>>) container.get("Environment")) {
      env.put((String) entry.get("Name"), entry.get("Value"));
    }
    return env;
  }

  /** The single container definition of a task definition. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> container(Map<String, Object> taskDefinition) {
    var containers = (List<Map<String, Object>>) taskDefinition.get("ContainerDefinitions");
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  /**
   * Every Allow statement of every IAM policy, queue policy and bucket policy, and of inline role
   * policies, as (owner, statement) pairs; the owner is the policy's logical id.
   */
  @SuppressWarnings("unchecked")
  static List<Map.Entry<String, Map<String, Object>>> allowStatements(Template template) {
    var result = new ArrayList<Map.Entry<String, Map<String, Object>>>();
    for (var type : List.of("AWS::IAM::Policy", "AWS::SQS::QueuePolicy", "AWS::S3::BucketPolicy")) {
      properties(template, type)
          .forEach(
              (id, props) ->
                  addAllows(result, id, (Map<String, Object>) props.get("PolicyDocument")));
    }
    properties(template, "AWS::IAM::Role")
        .forEach(
            (id, props) -> {
              for (var inline : asList(props.get("Policies"))) {
                addAllows(
                    result,
                    id,
                    (Map<String, Object>) ((Map<String, Object>) inline).get("PolicyDocument"));
              }
            });
    return result;
  }

  private static void addAllows(
      List<Map.Entry<String, Map<String, Object>>> result,
      String owner,
      Map<String, Object> document) {
    for (var statement : statements(document)) {
      if ("Allow".equals(statement.get("Effect"))) {
        result.add(Map.entry(owner, statement));
      }
    }
  }

  /** Whether a statement's Resource is, or contains, the bare wildcard {@code *}. */
  static boolean hasWildcardResource(Map<String, Object> statement) {
    return asList(statement.get("Resource")).contains("*");
  }
}
