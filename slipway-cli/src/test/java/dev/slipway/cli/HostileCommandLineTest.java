package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: hostile command lines, kept as data in {@code hostile/command-lines.txt} (its header says the format). Each
 * runs through {@link Main#run} in a fresh project directory with a valid slipway.yml, inside a real git repository
 * with a commit or outside any, and must end at once with exit 2 and a message that names what was wrong, without a
 * stack trace, and without echoing a control character or a huge value back.
 */
class HostileCommandLineTest {
    static final String CORPUS = "/hostile/command-lines.txt";
    static final String YAML = """
            app: demo
            build: {context: .}
            stages:
              staging: {branch: main, target: local}
              production: {branch: prod, target: local, approvals: {required: 1}}
            """;
    private static final Pattern REPEAT = Pattern.compile("\\{(.):(\\d+)}");

    @TempDir
    Path dir;

    record Case(int line, String where, List<String> args, int exit, List<String> fragments) {
        @Override
        public String toString() {
            String shown = String.join(" ", args);
            return "line " + line + " (" + where + "): " + (shown.length() > 80 ? shown.substring(0, 80) + "…" : shown);
        }
    }

    /** The first command a JVM runs loads picocli, Jackson and the providers; the 2 s bound is for the command itself. */
    @BeforeAll
    static void warmUp(@TempDir Path warm) throws IOException {
        Path f = Files.writeString(warm.resolve("slipway.yml"), YAML);
        Main.run(new String[] {"validate", "-f", f.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    static Stream<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = HostileCommandLineTest.class.getResourceAsStream(CORPUS);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            for (int n = 1; (line = r.readLine()) != null; n++) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split(" \\| ");
                if (cols.length != 4) {
                    throw new IllegalStateException(CORPUS + " line " + n + ": want 4 columns separated by ' | ', found " + cols.length);
                }
                cases.add(new Case(n, cols[0].strip(), words(cols[1].strip()), Integer.parseInt(cols[2].strip()),
                        List.of(cols[3].strip().split(" && "))));
            }
        }
        assertThat(cases).as("hostile command lines in " + CORPUS).hasSizeGreaterThanOrEqualTo(30);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileCommandLine_isRefusedAtOnceWithExit2NamingTheProblem(Case c) throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("slipway.yml"), YAML);
        if (c.where().equals("git")) {
            run(project, "git", "init", "-q", "-b", "main");
            run(project, "git", "add", "slipway.yml");
            run(project, "git", "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qm", "one");
        } else if (!c.where().equals("plain")) {
            throw new IllegalStateException("line " + c.line() + ": where must be git or plain, not " + c.where());
        }
        Path fifo = project.resolve("fifo");
        run(project, "mkfifo", fifo.toString());
        String[] args = c.args().stream().map(a -> expand(a, project, fifo)).toArray(String[]::new);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true)));

        String all = out + "\n" + err;
        assertThat(code).as(all).isEqualTo(c.exit());
        for (String fragment : c.fragments()) {
            if (fragment.startsWith("!")) {
                assertThat(all).as(all).doesNotContain(expand(fragment.substring(1), project, fifo));
            } else {
                assertThat(err.toString()).as(all).contains(expand(fragment, project, fifo));
            }
        }
        assertThat(all).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("\u001b");
        assertThat(all.length()).as("output stays short whatever the input's size").isLessThan(2_000);
        assertThat(project.resolve(".slipway")).as("nothing was started").doesNotExist();
    }

    /** {@code {FILE}}, {@code {DIR}}, {@code {FIFO}}, {@code {ESC}} and {@code {c:N}} (N times c) in a word. */
    private static String expand(String word, Path project, Path fifo) {
        String s = word.replace("{FILE}", project.resolve("slipway.yml").toString()).replace("{DIR}", project.toString())
                .replace("{FIFO}", fifo.toString()).replace("{ESC}", "\u001b");
        Matcher m = REPEAT.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1).repeat(Integer.parseInt(m.group(2)))));
        }
        return m.appendTail(b).toString();
    }

    /** Words separated by spaces; '…' keeps spaces in a word, and '' is the empty word. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char ch : text.toCharArray()) {
            if (ch == '\'') {
                quoted = !quoted;
                any = true;
            } else if (ch == ' ' && !quoted) {
                if (any) {
                    words.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(ch);
                any = true;
            }
        }
        if (quoted) {
            throw new IllegalStateException("unbalanced quote in: " + text);
        }
        if (any) {
            words.add(w.toString());
        }
        return words;
    }

    private static void run(Path in, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + output).isZero();
    }
}
