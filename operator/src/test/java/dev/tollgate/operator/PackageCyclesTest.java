package dev.tollgate.operator;

import dev.tollgate.testkit.PackageCycles;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {

  @Test
  void packagesDependOnEachOtherOneWayOnly() {
    PackageCycles.assertNoneUnder("dev.tollgate.operator");
  }
}
