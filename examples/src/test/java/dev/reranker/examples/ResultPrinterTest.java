package dev.reranker.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How a document is squeezed onto one table row. */
final class ResultPrinterTest {

    @Test
    void oneLine_escapesLineBreaksTabsAndControls() {
        assertEquals("a\\nb\\r\\nc\\td\\u0000e\\u2028f", ResultPrinter.oneLine("a\nb\r\nc\td\0e\u2028f"));
    }

    @Test
    void oneLine_keepsOtherTextAsIs() {
        String text = "Le panda géant 🐼 \"quoted\" back\\slash";

        assertEquals(text, ResultPrinter.oneLine(text));
    }

    @Test
    void oneLine_cutsLongTextWithoutSplittingACharacter() {
        String pandas = "🐼".repeat(ResultPrinter.TABLE_TEXT_LIMIT + 5);

        assertEquals("🐼".repeat(ResultPrinter.TABLE_TEXT_LIMIT) + "...", ResultPrinter.oneLine(pandas));
        assertEquals("🐼".repeat(ResultPrinter.TABLE_TEXT_LIMIT),
                ResultPrinter.oneLine("🐼".repeat(ResultPrinter.TABLE_TEXT_LIMIT)));
    }
}
