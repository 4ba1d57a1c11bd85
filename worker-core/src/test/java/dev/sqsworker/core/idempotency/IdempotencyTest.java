package dev.sqsworker.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class IdempotencyTest {

  private static <T> T unused(Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              throw new UnsupportedOperationException(method.getName());
            }));
  }

  @Test
  void transactionalModeNeedsAStoreThatCompletesInsideTheTransaction() {
    IdempotencyStore plain = unused(IdempotencyStore.class);
    assertThatThrownBy(
            () ->
                Idempotency.store(plain)
                    .dataSource(unused(DataSource.class))
                    .mode(IdempotencyMode.TRANSACTIONAL)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TransactionalIdempotencyStore");
    assertThat(Idempotency.store(plain).build().mode())
        .isEqualTo(IdempotencyMode.NON_TRANSACTIONAL);
  }

  @Test
  void thePostgresStoreIsTransactional() {
    assertThat(IdempotencyStore.postgres(unused(DataSource.class)))
        .isInstanceOf(TransactionalIdempotencyStore.class);
    assertThat(
            Idempotency.postgres(unused(DataSource.class))
                .mode(IdempotencyMode.TRANSACTIONAL)
                .build()
                .store())
        .isInstanceOf(TransactionalIdempotencyStore.class);
  }
}
