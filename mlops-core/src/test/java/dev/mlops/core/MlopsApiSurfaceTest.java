package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.api.store.Store;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Mlops' public API")
class MlopsApiSurfaceTest {

    @Test
    @DisplayName("hands out no Store: writes behind the registry's back would bypass its checks and audit trail")
    void noStoreAccessor() {
        assertThat(Arrays.stream(Mlops.class.getMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()))
                .filter(m -> Store.class.isAssignableFrom(m.getReturnType()))
                .map(Method::toGenericString))
                .isEmpty();
    }
}
