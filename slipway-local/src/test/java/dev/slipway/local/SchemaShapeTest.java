package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaShapeTest {
    private static final SchemaShape V1 = shape(
            new SchemaShape.Obj("table", "", "users", ""),
            new SchemaShape.Obj("column", "users", "id", "integer not null"),
            new SchemaShape.Obj("column", "users", "email", "text"),
            new SchemaShape.Obj("column", "users", "legacy", "text"),
            new SchemaShape.Obj("index", "users", "users_email_idx", "CREATE INDEX users_email_idx ON public.users USING btree (email)"),
            new SchemaShape.Obj("table", "", "old_log", ""),
            new SchemaShape.Obj("column", "old_log", "line", "text"));

    @Test
    void diff_identical_isNone() {
        SchemaShape.Diff diff = V1.diff(V1);

        assertThat(diff.verdict()).isEqualTo("none");
        assertThat(diff.summary(5)).isEmpty();
    }

    @Test
    void diff_newTableAndNullableColumn_isExpandAndNamesOnlyTheTable() {
        SchemaShape after = with(V1,
                new SchemaShape.Obj("table", "", "visits", ""),
                new SchemaShape.Obj("column", "visits", "id", "bigint not null"),
                new SchemaShape.Obj("column", "users", "nickname", "text"));

        SchemaShape.Diff diff = V1.diff(after);

        assertThat(diff.verdict()).isEqualTo("expand");
        assertThat(diff.summary(5)).isEqualTo("table visits added; column users.nickname added");
    }

    @Test
    void diff_droppedColumnAndChangedType_isBreakingAndNamesBoth() {
        Map<String, SchemaShape.Obj> objects = new LinkedHashMap<>(V1.objects());
        objects.remove("column users.legacy");
        objects.put("column users.email", new SchemaShape.Obj("column", "users", "email", "character varying(200)"));

        SchemaShape.Diff diff = V1.diff(new SchemaShape(objects));

        assertThat(diff.verdict()).isEqualTo("breaking");
        assertThat(diff.breaking()).containsExactly("column users.email changed: text → character varying(200)",
                "column users.legacy dropped");
    }

    @Test
    void diff_droppedTable_namesTheTableNotItsColumns() {
        Map<String, SchemaShape.Obj> objects = new LinkedHashMap<>(V1.objects());
        objects.remove("table old_log");
        objects.remove("column old_log.line");

        assertThat(V1.diff(new SchemaShape(objects)).breaking()).containsExactly("table old_log dropped");
    }

    @Test
    void diff_notNullColumnWithoutDefaultOnExistingTable_isBreaking() {
        SchemaShape after = with(V1, new SchemaShape.Obj("column", "users", "tenant", "integer not null"));

        SchemaShape.Diff diff = V1.diff(after);

        assertThat(diff.verdict()).isEqualTo("breaking");
        assertThat(diff.breaking()).singleElement().asString().startsWith("column users.tenant added NOT NULL without a default");
    }

    @Test
    void diff_notNullColumnWithDefault_isExpand() {
        SchemaShape after = with(V1, new SchemaShape.Obj("column", "users", "active", "boolean not null default true"));

        assertThat(V1.diff(after).verdict()).isEqualTo("expand");
    }

    @Test
    void summary_manyFindings_isBounded() {
        Map<String, SchemaShape.Obj> objects = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            objects.put("table t" + i, new SchemaShape.Obj("table", "", "t" + i, ""));
        }
        SchemaShape.Diff diff = new SchemaShape(Map.of()).diff(new SchemaShape(objects));

        assertThat(diff.summary(3)).endsWith("; and 17 more").hasSizeLessThan(100);
    }

    @Test
    void scratchName_longDatabase_keepsTheWholeRunKeyWithin63Bytes() {
        String key = "01JB2Z7XK3M4N5P6Q7R8S9T0VW";

        String name = PreflightStep.scratchName("a_rather_long_database_name_for_the_staging_stage_of_shop", key);

        assertThat(name).endsWith("_pf_01jb2z7xk3m4n5p6q7r8s9t0vw");
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(63);
        assertThat(PreflightStep.scratchName("shop", key)).isEqualTo("shop_pf_01jb2z7xk3m4n5p6q7r8s9t0vw");
    }

    private static SchemaShape shape(SchemaShape.Obj... objs) {
        return with(new SchemaShape(Map.of()), objs);
    }

    private static SchemaShape with(SchemaShape base, SchemaShape.Obj... objs) {
        Map<String, SchemaShape.Obj> objects = new LinkedHashMap<>(base.objects());
        for (SchemaShape.Obj o : objs) {
            objects.put(o.key(), o);
        }
        return new SchemaShape(objects);
    }
}
