package dev.tollgate.operator;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Keeps the operator's packages layered: when two packages depend on each other, neither can be
 * read, tested or moved without the other. Reads the compiled classes, so a dependency counts
 * whether it comes from an import or from a fully qualified name in the code.
 */
class PackageCyclesTest {
  @Test
  void packagesDependOnEachOtherWithoutCycles() {
    JavaClasses production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tollgate.operator");
    // Each full package is its own slice: reconciler and reconciler.route are two; the classes of
    // the root package itself are in none. A rule that checks no class fails (ArchUnit's default),
    // so an empty import cannot pass unnoticed.
    slices().matching("dev.tollgate.operator.(**)").should().beFreeOfCycles().check(production);
  }
}
