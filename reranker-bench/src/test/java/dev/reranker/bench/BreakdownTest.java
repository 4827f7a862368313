package dev.reranker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How Breakdown sorts a profiler trace's time into groups, and its command line. */
final class BreakdownTest {

    private static Breakdown.Event event(String name, double start, double end, long[]... shapes) {
        return new Breakdown.Event(name, "1", start, end - start, List.of(shapes));
    }

    private static long[] s(long... dims) {
        return dims;
    }

    /** One layer call as a TorchScript program makes it, 150 us of wall time around it. */
    private static final List<Breakdown.Event> LAYER = List.of(
            event("forward", 0, 100, s(10, 64)),
            event("mkldnn::_linear_pointwise", 5, 45, s(10, 64), s(192, 64), s(192)),
            event("aten::empty", 6, 7), // inside the linear: the linear's
            event("aten::scaled_dot_product_attention", 50, 70, s(), s(), s(), s(1, 4, 10, 16), s(1, 4, 10, 16),
                    s(1, 4, 10, 16)),
            event("aten::_scaled_dot_product_flash_attention_for_cpu", 51, 69, s(1, 4, 10, 16)),
            event("aten::cat", 72, 77, s(10, 64)),
            event("aten::frobnicate", 80, 90, s(10, 64)), // in no group
            event("aten::view", 82, 84, s(10, 64))); // inside an ungrouped operator: its own group

    @Test
    void profile_groupsOperatorsWithTheirCallees_andTheRestByOwnTime() {
        Breakdown.Profile p = Breakdown.Profile.of(LAYER, 150);

        assertEquals(40, p.groups.get(Breakdown.LINEARS).micros, 1e-9);
        assertEquals(2.0 * 10 * 64 * 192, p.groups.get(Breakdown.LINEARS).flops, 1e-9);
        assertEquals(20, p.groups.get(Breakdown.ATTENTION).micros, 1e-9);
        assertEquals(4.0 * 4 * 10 * 10 * 16, p.groups.get(Breakdown.ATTENTION).flops, 1e-9);
        assertEquals(1, p.groups.get(Breakdown.ATTENTION).calls);
        assertEquals(5 + 2, p.groups.get(Breakdown.COPIES).micros, 1e-9);
        assertEquals(10 - 2, p.groups.get(Breakdown.OTHER_OPS).micros, 1e-9);
        assertEquals(100 - 40 - 20 - 5 - 10, p.groups.get(Breakdown.INTERPRETER).micros, 1e-9);
        assertEquals(50, p.groups.get(Breakdown.OUTSIDE).micros, 1e-9);
        double total = p.groups.values().stream().mapToDouble(t -> t.micros).sum();
        assertEquals(150, total, 1e-9);
        assertEquals(List.of("64 x 192"), List.copyOf(p.linears.keySet()));
        assertEquals(2.0 * 10 * 64 * 192 / 40 / 1e3, p.linears.get("64 x 192").gflops(), 1e-12);
    }

    @Test
    void profile_eventsInAnyOrder_giveTheSameGroups() {
        List<Breakdown.Event> reversed = new ArrayList<>(LAYER);
        Collections.reverse(reversed);
        Breakdown.Profile p = Breakdown.Profile.of(reversed, 150);
        assertEquals(40, p.groups.get(Breakdown.LINEARS).micros, 1e-9);
        assertEquals(25, p.groups.get(Breakdown.INTERPRETER).micros, 1e-9);
    }

    @Test
    void event_addmm_countsItsMultiplyFromTheMatrices() {
        Breakdown.Event head = event("aten::addmm", 0, 1, s(384), s(32, 384), s(384, 384));
        assertEquals(2.0 * 32 * 384 * 384, head.flops(), 1e-9);
        assertEquals("384 x 384", head.linearShape());
        assertEquals(0, event("aten::add", 0, 1, s(32, 384), s(32, 384)).flops(), 1e-9);
    }

    @Test
    void readTrace_keepsCompleteEvents_withTheirShapes(@TempDir Path dir) throws IOException {
        Path trace = dir.resolve("trace.json");
        Files.writeString(trace, "[{\"name\": \"aten::add\", \"ph\": \"X\", \"ts\": 1.5, \"dur\": 2.0, \"tid\": 1,"
                + " \"shape\": [[3, 4], []]}, {\"name\": \"marker\", \"ph\": \"i\", \"ts\": 2, \"tid\": 1}]");
        List<Breakdown.Event> events = Breakdown.readTrace(trace);
        assertEquals(1, events.size());
        Breakdown.Event e = events.get(0);
        assertEquals("aten::add", e.name());
        assertEquals(3.5, e.end(), 1e-12);
        assertEquals(1, e.tensors().size());
        assertEquals(4, e.tensors().get(0)[1]);
    }

    @Test
    void readTrace_notATrace_saysSo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("other.json");
        Files.writeString(file, "{\"results\": []}");
        IOException e = assertThrows(IOException.class, () -> Breakdown.readTrace(file));
        assertTrue(e.getMessage().contains("not a Chrome trace"), e.getMessage());
    }

    @Test
    void parse_mistakes_areNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Breakdown.parse(new String[] {"--call", "3"}))
                .getMessage().contains("unknown option --call"));
        assertEquals("--precision must be one of fp32, bf16, was fp16", assertThrows(IllegalArgumentException.class,
                () -> Breakdown.parse(new String[] {"--precision", "fp16"})).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Breakdown.parse(new String[] {"--workload",
                "long"})).getMessage().contains("uniform-128, mixed or short"));
    }
}
