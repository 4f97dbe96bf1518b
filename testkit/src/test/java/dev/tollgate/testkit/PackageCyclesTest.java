package dev.tollgate.testkit;

import org.junit.jupiter.api.Test;

class PackageCyclesTest {

  @Test
  void packagesDependOnEachOtherOneWayOnly() {
    PackageCycles.assertNoneUnder("dev.tollgate.testkit");
  }
}
