package io.graywatch.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorpusExportCommandTest {
    @TempDir
    Path dir;

    private static byte[] zip(String... namesAndTexts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < namesAndTexts.length; i += 2) {
                z.putNextEntry(new ZipEntry(namesAndTexts[i]));
                z.write(namesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void unpacksTheCaseFoldersAndCountsTheCases() throws IOException {
        int cases = CorpusExportCommand.unzip(zip("a/case.json", "{}", "a/series.csv", "x", "b/case.json", "{}", "live-verdicts.csv", "v"), dir);
        assertThat(cases).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("a/series.csv"))).isEqualTo("x");
        assertThat(dir.resolve("live-verdicts.csv")).exists();
    }

    @Test
    void anEntryOutsideTheFolderIsRefused() throws IOException {
        byte[] evil = zip("../evil.txt", "x");
        assertThatThrownBy(() -> CorpusExportCommand.unzip(evil, dir.resolve("c"))).hasMessageContaining("outside the corpus: ../evil.txt");
        assertThat(dir.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void badOptionsExitWithTwoAndSayWhatToFix() throws IOException {
        Files.writeString(dir.resolve("taken"), "x");
        assertThat(new CommandLine(new CorpusCommand()).execute("export", "--out", dir.toString(), "--release", "1")).isEqualTo(2);
        assertThat(new CommandLine(new CorpusCommand()).execute("export", "--out", dir.resolve("new").toString(), "--release", "1",
                "--server", "localhost:8080")).isEqualTo(2);
        assertThat(new CommandLine(new CorpusCommand()).execute("export", "--out", dir.resolve("new").toString(), "--release", "1",
                "--from", "2030-01-01T00:00:00Z")).isEqualTo(2);
        assertThat(dir.resolve("new")).doesNotExist();
    }
}
