package io.openbio.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local run's data folder (broker segments, state stores, key stores, credentials) is its
 * owner's only: created {@code rwx------}, and an existing folder with wider permissions (made by an
 * older version, or by hand) is tightened, so files written world-readable inside stay unreachable.
 */
class DataDirectoryPermissionsTest {
    @Test
    void createdOwnerOnly(@TempDir Path tmp) throws Exception {
        Path data = LocalPaths.privateDirectory(tmp.resolve("fresh/.data"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
    }

    @Test
    void anExistingWideFolderIsTightened(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve(".data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path segment = Files.writeString(data.resolve("00000000000000000000.log"), "frame bytes");
        Files.setPosixFilePermissions(segment, PosixFilePermissions.fromString("rw-r--r--"));

        LocalPaths.privateDirectory(data);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(Files.readString(segment)).as("the owner still reads its files").isEqualTo("frame bytes");
    }
}
