package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageClaimTest {
    private final FakeContainers engine = new FakeContainers();

    @TempDir
    Path dir;

    private FixedContext ctx() {
        FixedContext ctx = new FixedContext(Specs.local("host", 2), "staging", 1, "abc").at(StepName.BUILD);
        ctx.runKey = Specs.key(9);
        ctx.journalLocation = "sqlite:" + dir.resolve("b/state.db");
        return ctx;
    }

    /** Through the target, as the engine calls it before a run's first step. */
    private void claim(StepContext ctx) {
        new LocalTarget(() -> null, () -> engine, null, null, null).claim(ctx);
    }

    private void add(String name, String state, String key, String journal, String location) {
        Map<String, String> labels = new HashMap<>(Specs.labels(key, 1, Labels.SERVER, 0));
        if (journal != null) {
            labels.put(Labels.JOURNAL, journal);
            labels.put(Labels.JOURNAL_AT, location);
        }
        engine.add(name, state, labels);
    }

    private Path existingJournal(String name) throws IOException {
        Path file = dir.resolve(name + "/state.db");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "");
        return file;
    }

    @Test
    void claim_proxyAdminPortAnsweringAsAnotherProxy_refusesBeforeAnythingRunsNamingThePort() throws IOException {
        // a stand-in for another stage's (or app's) Caddy on this stage's admin port: it answers, but has no config
        // object of this stage (Caddy answers 404 for an unknown @id); a real second Caddy would need its own stage
        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        other.start();
        try {
            int admin = other.getAddress().getPort();
            FixedContext ctx = new FixedContext(Specs.local("host", 2, ", proxy: caddy, proxy-admin: " + admin), "staging", 1, "abc")
                    .at(StepName.BUILD);
            ctx.runKey = Specs.key(9);
            ctx.journalLocation = "sqlite:" + dir.resolve("b/state.db");

            assertThatThrownBy(() -> claim(ctx))
                    .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.isTransient()).isFalse())
                    .hasMessageContaining("127.0.0.1:" + admin + " (local.proxy-admin of stage staging) answers, but not as this"
                            + " stage's proxy");
        } finally {
            other.stop(0);
        }
    }

    @Test
    void claim_containersOfAnotherJournalThatStillExists_refusesNamingItAndTheContainersAndChangesNothing() throws IOException {
        Path other = existingJournal("a");
        add("hello-staging-k4-0", "running", Specs.key(4), "otherjournal", "sqlite:" + other);
        add("hello-staging-k4-1", "exited", Specs.key(4), "otherjournal", "sqlite:" + other);
        FixedContext ctx = ctx();

        assertThatThrownBy(() -> claim(ctx))
                .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("stage staging of hello has containers of another Slipway journal, at sqlite:" + other
                        + ": hello-staging-k4-0, hello-staging-k4-1")
                .hasMessageContaining("This run's journal (sqlite:" + dir.resolve("b/state.db") + ") cannot prove")
                .hasMessageContaining("point state.url in slipway.yml or SLIPWAY_STATE_URL at it (state.url: jdbc:sqlite:" + other + ")")
                .hasMessageContaining("`podman rm -f hello-staging-k4-0 hello-staging-k4-1`")
                .hasMessageContaining("`docker rm -f hello-staging-k4-0 hello-staging-k4-1`");
        assertThat(engine.calls).isEmpty();
    }

    @Test
    void claim_postgresqlJournal_refuses() {
        add("hello-staging-k4-0", "running", Specs.key(4), "pgjournal", "postgresql://db.internal:5432/slipway");

        assertThatThrownBy(() -> claim(ctx()))
                .hasMessageContaining("another Slipway journal, at postgresql://db.internal:5432/slipway")
                .hasMessageContaining("jdbc:postgresql://db.internal:5432/slipway");
    }

    @Test
    void claim_sqliteJournalWhoseFileIsGone_takesTheStageOverAndSaysSo() {
        Path gone = dir.resolve("lost/state.db");
        add("hello-staging-k4-0", "running", Specs.key(4), "lostjournal", "sqlite:" + gone);
        FixedContext ctx = ctx();

        claim(ctx);

        assertThat(ctx.log).singleElement().asString().contains("the journal at sqlite:" + gone + " is gone",
                "this journal (sqlite:" + dir.resolve("b/state.db") + ") takes stage staging over from it", "hello-staging-k4-0");
        assertThat(engine.calls).isEmpty();
    }

    @Test
    void claim_journalFileDeletedAndMadeAgainInTheSamePlace_takesTheStageOver() throws IOException {
        Path same = existingJournal("b");
        add("hello-staging-k4-0", "running", Specs.key(4), "oldkey", "sqlite:" + same);
        FixedContext ctx = ctx();

        claim(ctx);

        assertThat(ctx.log).singleElement().asString().contains("the journal that was at sqlite:" + same + " before this one is gone",
                "takes stage staging over");
    }

    @Test
    void claim_containersWithoutJournalLabelOfAnUnknownRun_refuses() {
        add("hello-staging-3-0", "running", "3.oldjournal", null, null);

        assertThatThrownBy(() -> claim(ctx()))
                .hasMessageContaining("containers that name no journal")
                .hasMessageContaining("run(s) 3.oldjournal this journal does not know: hello-staging-3-0")
                .hasMessageContaining("`podman rm -f hello-staging-3-0`");
    }

    @Test
    void claim_ownContainersAndOlderOnesThisJournalKnows_passesSilently() {
        FixedContext ctx = ctx();
        add("hello-staging-k8-0", "running", Specs.key(8), ctx.journalKey, "sqlite:/elsewhere/state.db");
        add("hello-staging-k9-0", "created", ctx.runKey, null, null);
        add("hello-staging-7-0", "exited", "7." + ctx.journalKey, null, null);
        add("hello-staging-k6-0", "exited", Specs.key(6), null, null);
        ctx.previous = new StepContext.Release(6, Specs.key(6), "commit6", Outputs.NONE, Outputs.NONE);

        claim(ctx);

        assertThat(ctx.log).isEmpty();
    }

    @Test
    void claim_emptyStage_passes() {
        FixedContext ctx = ctx();

        claim(ctx);

        assertThat(ctx.log).isEmpty();
    }
}
