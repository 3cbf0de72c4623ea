package io.openbio.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.bundle.format.BundleFormat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md cannot drift from the code: every table row of SPEC.md whose last cell names a constant
 * ({@code `CaptureRules.X`}, {@code `BundleFormat.X`}) states that constant's value in the cell
 * before it, every rule and limit constant is stated somewhere, and the browser module's limits
 * are the same numbers.
 */
class SpecTablesTest {
    private static final Path SPEC = Path.of("SPEC.md");
    private static final Path JS = Path.of("js", "openbio-bundle.mjs");
    private static final Map<String, Class<?>> CLASSES = Map.of("CaptureRules", CaptureRules.class, "BundleFormat", BundleFormat.class);
    private static final Pattern CONSTANT = Pattern.compile("`(CaptureRules|BundleFormat)\\.([A-Z_]+)`");
    /** A number as SPEC.md writes it: digits, thousands optionally separated by single spaces. */
    private static final Pattern NUMBER = Pattern.compile("\\d{1,3}(?: \\d{3})+(?!\\d)|\\d+");

    record Row(String constant, long stated, String line) {}

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(SPEC)) {
            if (!line.startsWith("|")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            // "| a | b | c |" splits into "", a, b, c, "": the last cell is cells[length - 2]
            if (cells.length < 4) {
                continue;
            }
            Matcher constant = CONSTANT.matcher(cells[cells.length - 2].trim());
            if (!constant.matches()) {
                continue;
            }
            Matcher number = NUMBER.matcher(cells[cells.length - 3]);
            assertThat(number.find()).as("a number in the value cell of: %s", line).isTrue();
            rows.add(new Row(constant.group(1) + "." + constant.group(2), Long.parseLong(number.group().replace(" ", "")), line));
        }
        return rows;
    }

    static long value(String constant) throws ReflectiveOperationException {
        String[] parts = constant.split("\\.");
        Field field = CLASSES.get(parts[0]).getField(parts[1]);
        return ((Number) field.get(null)).longValue();
    }

    @Test
    void everyNumberStatedForAConstantIsItsValue() throws Exception {
        List<Row> rows = rows();
        assertThat(rows).as("SPEC.md rows naming a constant").hasSizeGreaterThanOrEqualTo(15);
        for (Row row : rows) {
            assertThat(row.stated()).as("SPEC.md states %s as %d in:%n%s", row.constant(), row.stated(), row.line())
                    .isEqualTo(value(row.constant()));
        }
    }

    @Test
    void everyCaptureRuleAndFormatLimitIsStated() throws Exception {
        List<String> stated = rows().stream().map(Row::constant).toList();
        List<String> required = new ArrayList<>();
        for (Field f : CaptureRules.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                required.add("CaptureRules." + f.getName());
            }
        }
        for (Field f : BundleFormat.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("MAX_")) {
                required.add("BundleFormat." + f.getName());
            }
        }
        assertThat(required).hasSizeGreaterThanOrEqualTo(15);
        assertThat(stated).as("constants SPEC.md states").containsAll(required);
    }

    @Test
    void theProseOfTheTimingTableUsesTheSameNumbers() throws Exception {
        // e.g. "`end - start > 60 000` ms | 60 000 ms | `CaptureRules.MAX_CAPTURE_MS`": the rule's own
        // number (the first one in the "fails when" cell) is the stated value too
        for (Row row : rows()) {
            if (!row.constant().startsWith("CaptureRules.") || !row.line().startsWith("| T")) {
                continue;
            }
            String[] cells = row.line().split("\\|", -1);
            Matcher number = NUMBER.matcher(cells[2]);
            assertThat(number.find()).as(row.line()).isTrue();
            assertThat(Long.parseLong(number.group().replace(" ", ""))).as(row.line()).isEqualTo(row.stated());
        }
    }

    @Test
    void theBrowserModuleHasTheSameLimits() throws Exception {
        String js = Files.readString(JS);
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("maxHeaderBytes", (long) BundleFormat.MAX_HEADER_BYTES);
        expected.put("maxBodyBytes", (long) BundleFormat.MAX_BODY_BYTES);
        expected.put("maxMetadataBytes", (long) BundleFormat.MAX_METADATA_BYTES);
        expected.put("maxFrames", (long) BundleFormat.MAX_FRAMES);
        expected.put("maxChallengeFrames", (long) BundleFormat.MAX_CHALLENGE_FRAMES);
        expected.put("maxChallengeActions", (long) BundleFormat.MAX_CHALLENGE_ACTIONS);
        expected.put("maxActionChars", (long) BundleFormat.MAX_ACTION_CHARS);
        expected.put("maxNonceChars", (long) BundleFormat.MAX_NONCE_CHARS);
        expected.put("maxContentTypeChars", (long) BundleFormat.MAX_CONTENT_TYPE_CHARS);
        expected.put("maxDeviceEntries", (long) BundleFormat.MAX_DEVICE_ENTRIES);
        expected.put("maxDeviceKeyChars", (long) BundleFormat.MAX_DEVICE_KEY_CHARS);
        expected.put("maxTextChars", (long) BundleFormat.MAX_TEXT_CHARS);
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            Matcher m = Pattern.compile(e.getKey() + ":\\s*([0-9 *]+),").matcher(js);
            assertThat(m.find()).as("LIMITS.%s in %s", e.getKey(), JS).isTrue();
            long product = 1;
            for (String factor : m.group(1).split("\\*")) {
                product *= Long.parseLong(factor.trim());
            }
            assertThat(product).as("LIMITS.%s", e.getKey()).isEqualTo(e.getValue());
        }
    }
}
