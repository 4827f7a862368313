package dev.reranker.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

final class TrainingExampleTest {

    @Test
    void new_nullArgument_namesIt() {
        assertEquals("query", assertThrows(NullPointerException.class,
                () -> new TrainingExample(null, List.of("p"), List.of())).getMessage());
        assertEquals("positives", assertThrows(NullPointerException.class,
                () -> new TrainingExample("q", null, List.of())).getMessage());
        assertEquals("negatives", assertThrows(NullPointerException.class,
                () -> new TrainingExample("q", List.of("p"), null)).getMessage());
    }

    @Test
    void new_nullDocument_namesListAndIndex() {
        assertEquals("positives[0]", assertThrows(NullPointerException.class,
                () -> new TrainingExample("q", Arrays.asList((String) null), List.of())).getMessage());
        assertEquals("negatives[1]", assertThrows(NullPointerException.class,
                () -> new TrainingExample("q", List.of("p"), Arrays.asList("n", null))).getMessage());
    }

    @Test
    void new_noPositive_isAllowed() {
        // TrainingData.of skips and counts such examples; refusing them here would make that impossible.
        TrainingExample example = new TrainingExample("q", List.of(), List.of("n"));

        assertEquals(List.of(), example.positives());
    }

    @Test
    void new_copiesTheLists() {
        List<String> positives = new ArrayList<>(List.of("p"));
        TrainingExample example = new TrainingExample("q", positives, List.of());

        positives.add("p2");

        assertEquals(List.of("p"), example.positives());
        assertThrows(UnsupportedOperationException.class, () -> example.positives().add("p3"));
    }
}
