package dev.tollgate.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

/**
 * Checks that a module's packages depend on each other one way only. Every package is a slice of
 * its own (a subpackage is not part of its parent), and dependencies are read from the compiled
 * classes, so a type named only in a signature, a field or a fully qualified call counts as much as
 * an import.
 */
public final class PackageCycles {
  private PackageCycles() {}

  /**
   * Fails with every cycle found among the production classes under {@code rootPackage}, each cycle
   * listed with the dependencies that close it.
   */
  public static void assertNoneUnder(String rootPackage) {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(rootPackage);
    // matched from the parent so that the root package is a slice too
    String parent = rootPackage.substring(0, rootPackage.lastIndexOf('.'));
    SlicesRuleDefinition.slices()
        .matching(parent + ".(**)")
        .should()
        .beFreeOfCycles()
        .check(classes);
  }
}
