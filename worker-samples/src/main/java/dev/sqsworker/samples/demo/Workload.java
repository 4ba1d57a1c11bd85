package dev.sqsworker.samples.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's messages: mostly good orders, with a share of flaky ones (fail once, then succeed),
 * malformed JSON and invalid orders (quantity 0), in a fixed pattern so every run is alike.
 *
 * @param bodies the message bodies, in sending order
 * @param orderIdByBody the order id each well-formed body carries
 */
record Workload(List<String> bodies, Map<String, String> orderIdByBody) {

  static Workload generate(int count) {
    List<String> bodies = new ArrayList<>(count);
    Map<String, String> ids = new HashMap<>();
    for (int i = 0; i < count; i++) {
      String id = "o-" + i;
      String body =
          switch (i % 20) {
            case 3 -> "{\"orderId\":\"" + id + "\",\"quantity\":"; // malformed
            case 7 -> order(id, "acme", 0); // invalid: non-retryable
            case 11 -> order(id, "flaky-" + i, 1 + i % 5); // fails once, then succeeds
            default -> order(id, "customer-" + i % 13, 1 + i % 5);
          };
      bodies.add(body);
      if (i % 20 != 3) {
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

  String describe() {
    int malformed = 0;
    int invalid = 0;
    int flaky = 0;
    for (String body : bodies) {
      if (!orderIdByBody.containsKey(body)) {
        malformed++;
      } else if (body.contains("\"quantity\":0")) {
        invalid++;
      } else if (body.contains("flaky-")) {
        flaky++;
      }
    }
    return (bodies.size() - malformed - invalid - flaky)
        + " good, "
        + flaky
        + " flaky (fail once), "
        + malformed
        + " malformed, "
        + invalid
        + " invalid";
  }
}
