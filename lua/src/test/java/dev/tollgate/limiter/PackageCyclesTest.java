package dev.tollgate.limiter;

import dev.tollgate.testkit.PackageCycles;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {

  @Test
  void packagesDependOnEachOtherOneWayOnly() {
    PackageCycles.assertNoneUnder("dev.tollgate.limiter");
  }
}
