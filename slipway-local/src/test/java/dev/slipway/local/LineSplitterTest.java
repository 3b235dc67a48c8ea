package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
    @Test
    void feed_linesSplitAcrossChunks_areJoined() {
        List<String> lines = new ArrayList<>();
        LineSplitter s = new LineSplitter(lines::add);

        s.feed("first li".getBytes(StandardCharsets.UTF_8));
        s.feed("ne\r\nsecond\nthi".getBytes(StandardCharsets.UTF_8));
        s.flush();

        assertThat(lines).containsExactly("first line", "second", "thi");
    }

    @Test
    void tail_moreLinesThanItKeeps_keepsTheLast() {
        Tail tail = new Tail(2);
        List.of("a", "b", "c").forEach(tail);

        assertThat(tail.lines()).containsExactly("b", "c");
        assertThat(Tail.describe(tail.lines())).isEqualTo("; last output:\n  | b\n  | c");
        assertThat(Tail.describe(List.of())).isEqualTo("; it printed nothing");
    }
}
