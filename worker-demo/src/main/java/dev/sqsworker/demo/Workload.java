package dev.sqsworker.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's messages, in a fixed pattern so every run is alike: mostly good orders, and among them
 * orders that fail once then succeed (flaky), exact duplicates of the previous order, orders with
 * quantity 0 (rejected until the demo "fixes the cause" and replays them) and malformed JSON (dead
 * for good). Every tenth order also gets a receipt artifact.
 *
 * @param bodies the message bodies, in sending order
 * @param orderIdByBody the order id each well-formed body carries
 */
record Workload(List<String> bodies, Map<String, String> orderIdByBody) {

  /** The kinds of message in the mix. */
  enum Kind {
    GOOD,
    FLAKY,
    DUPLICATE,
    ZERO_QUANTITY,
    MALFORMED
  }

  static Kind kindOf(int i) {
    return switch (i % 20) {
      case 3 -> Kind.MALFORMED;
      case 7 -> Kind.ZERO_QUANTITY;
      case 11 -> Kind.FLAKY;
      case 15 -> Kind.DUPLICATE;
      default -> Kind.GOOD;
    };
  }

  static Workload generate(int count) {
    List<String> bodies = new ArrayList<>(count);
    Map<String, String> ids = new HashMap<>();
    for (int i = 0; i < count; i++) {
      String id = "o-" + i;
      String body =
          switch (kindOf(i)) {
            case MALFORMED -> "{\"orderId\":\"" + id + "\",\"quantity\":";
            case ZERO_QUANTITY -> order(id, "acme", 0);
            case FLAKY -> order(id, "flaky-" + i, 1 + i % 5);
            case DUPLICATE -> i == 0 ? order(id, "c", 1) : bodies.get(i - 1);
            case GOOD -> order(id, "customer-" + i % 13, 1 + i % 5);
          };
      bodies.add(body);
      if (kindOf(i) == Kind.DUPLICATE && i > 0) {
        ids.put(body, ids.get(body));
      } else if (kindOf(i) != Kind.MALFORMED) {
        ids.put(body, id);
      }
    }
    return new Workload(List.copyOf(bodies), Map.copyOf(ids));
  }

  private static String order(String id, String customer, int quantity) {
    return "{\"orderId\":\""
        + id
        + "\",\"customer\":\""
        + customer
        + "\",\"quantity\":"
        + quantity
        + "}";
  }

  /** How many of each kind, for the opening line. */
  String describe() {
    Map<Kind, Integer> counts = new java.util.EnumMap<>(Kind.class);
    for (int i = 0; i < bodies.size(); i++) {
      counts.merge(kindOf(i), 1, Integer::sum);
    }
    return counts.getOrDefault(Kind.GOOD, 0)
        + " good, "
        + counts.getOrDefault(Kind.FLAKY, 0)
        + " flaky (fail once), "
        + counts.getOrDefault(Kind.DUPLICATE, 0)
        + " duplicates, "
        + counts.getOrDefault(Kind.ZERO_QUANTITY, 0)
        + " rejected until fixed, "
        + counts.getOrDefault(Kind.MALFORMED, 0)
        + " malformed";
  }
}
