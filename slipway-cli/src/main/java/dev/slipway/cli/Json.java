package dev.slipway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.LogLine;
import dev.slipway.core.journal.RunView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of {@code --output json}; stable field names, ISO-8601 times. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON (bug)", e);
        }
    }

    static Map<String, Object> run(RunView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.run().id());
        m.put("app", v.run().app());
        m.put("stage", v.run().stage());
        m.put("commit", v.run().commit());
        m.put("kind", v.run().kind().name().toLowerCase());
        m.put("requestedBy", v.run().requestedBy());
        m.put("requestedAt", v.run().requestedAt().toString());
        m.put("state", v.state().name());
        m.put("reason", v.reason());
        m.put("startedAt", v.startedAt() == null ? null : v.startedAt().toString());
        m.put("endedAt", v.endedAt() == null ? null : v.endedAt().toString());
        m.put("durationMs", v.duration().map(d -> d.toMillis()).orElse(null));
        m.put("steps", v.steps().values().stream().map(Json::step).toList());
        m.put("approvedBy", List.copyOf(v.approvers()));
        return m;
    }

    private static Map<String, Object> step(RunView.StepView s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("state", s.state());
        m.put("attempts", s.attempts());
        m.put("durationMs", s.duration().map(d -> d.toMillis()).orElse(null));
        m.put("outputs", s.outputs());
        m.put("reason", s.reason());
        return m;
    }

    static Map<String, Object> event(JournalEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("at", e.at().toString());
        m.put("type", e.type().name());
        m.put("step", e.step());
        m.put("data", e.data());
        return m;
    }

    static Map<String, Object> log(LogLine l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", l.at().toString());
        m.put("step", l.step());
        m.put("line", l.line());
        return m;
    }
}
