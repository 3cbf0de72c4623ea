package io.openbio.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.schemas.settings.Setting;
import io.openbio.schemas.settings.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README.md's Configuration section documents the settings catalog ({@link Settings#ALL}): its table
 * has one row per {@link Setting.Scope#DEPLOYMENT DEPLOYMENT} setting, with the catalog's default
 * ({@link Setting#defaultText()}, compared with the cell's text less its backticks), and nothing else;
 * its "Local run only" line names the {@link Setting.Scope#LOCAL_RUN LOCAL_RUN} ones; every
 * {@code OPENBIO_*} name in the section is a setting of the catalog.
 */
class ReadmeConfigurationTest {
    private static final Pattern ENV_NAME = Pattern.compile("\\bOPENBIO_[A-Z0-9_]+\\b");

    private static String section;
    /** env name -> default cell (backticks removed), in the table's order. */
    private static Map<String, String> table;

    @BeforeAll
    static void load() throws IOException {
        String readme = Files.readString(repositoryRoot().resolve("README.md"));
        int start = readme.indexOf("\n## Configuration\n");
        assertThat(start).as("README.md has a ## Configuration section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        section = readme.substring(start, end < 0 ? readme.length() : end);
        table = new LinkedHashMap<>();
        List<String> rows = section.lines().filter(l -> l.startsWith("|")).toList();
        assertThat(rows).as("the Configuration table").hasSizeGreaterThan(2);
        assertThat(cells(rows.get(0))).as("its header").containsExactly("environment variable", "default", "meaning");
        for (String row : rows.subList(2, rows.size())) {
            List<String> cells = cells(row);
            assertThat(cells).as("row %s", row).hasSize(3);
            Matcher name = ENV_NAME.matcher(cells.get(0));
            assertThat(name.find()).as("row %s names a variable", row).isTrue();
            assertThat(cells.get(0)).as("one variable per row").isEqualTo("`" + name.group() + "`");
            assertThat(table.put(name.group(), cells.get(1).replace("`", "").trim())).as("%s documented twice", name.group()).isNull();
        }
    }

    @Test
    void theTableDocumentsEveryDeploymentSettingWithItsDefault() {
        Map<String, String> expected = new LinkedHashMap<>();
        Settings.of(Setting.Scope.DEPLOYMENT).forEach(s -> expected.put(s.env(), s.defaultText()));
        assertThat(table).as("README.md Configuration table (variable -> default, backticks removed)")
                .containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void everyVariableOfTheSectionIsInTheCatalog() {
        Set<String> known = Settings.ALL.stream().map(Setting::env).collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        Matcher m = ENV_NAME.matcher(section);
        while (m.find()) {
            named.add(m.group());
        }
        assertThat(known).as("settings the README's Configuration section names").containsAll(named);
        assertThat(named).hasSizeGreaterThan(table.size());
    }

    @Test
    void theLocalRunLineNamesTheLocalRunSettings() {
        int at = section.indexOf("Local run only");
        assertThat(at).as("the Configuration section's 'Local run only' line").isNotNegative();
        String line = section.substring(at).replace("`", "").replaceAll("\\s+", " ");
        for (Setting setting : Settings.of(Setting.Scope.LOCAL_RUN)) {
            assertThat(line).as("Local run only: %s", setting.env()).containsPattern("\\b" + setting.env() + "\\b");
            if (setting.defaultValue() != null) {
                assertThat(line).as("Local run only: %s's default", setting.env()).contains(setting.env() + " (" + setting.defaultText() + ")");
            }
        }
    }

    /** The cells of a markdown table row; {@code \|} is a '|' inside a cell. */
    private static List<String> cells(String row) {
        String body = row.trim();
        body = body.substring(1, body.endsWith("|") && !body.endsWith("\\|") ? body.length() - 1 : body.length());
        List<String> cells = new ArrayList<>();
        for (String cell : body.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.replace("\\|", "|").trim());
        }
        return cells;
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("launcher/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no folder holding launcher/pom.xml above " + Path.of("").toAbsolutePath());
    }
}
