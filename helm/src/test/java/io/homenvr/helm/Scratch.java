package io.homenvr.helm;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScratchTest {
  @Test
  void show() {
    String m = Chart.template(Map.of());
    System.out.println(m);
    Chart.parse(m)
        .forEach(
            o ->
                System.out.println(
                    o.getClass().getSimpleName()
                        + " "
                        + o.getKind()
                        + " "
                        + o.getMetadata().getName()));
  }
}
