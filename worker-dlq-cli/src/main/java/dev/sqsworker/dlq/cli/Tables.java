package dev.sqsworker.dlq.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;

/**
 * Tables for people, through picocli's {@link TextTable}: each column as wide as its widest cell,
 * and when the table does not fit the width, the widest columns are narrowed and their cells wrap
 * (long class names break at dots) instead of running over.
 */
final class Tables {

  /** The width used when the terminal's is unknown. */
  static final int DEFAULT_WIDTH = 120;

  private static final int GAP = 2;
  private static final int MIN_COLUMN = 10;
  // Columns up to this wide (counts, kinds, times) keep their width while longer ones can shrink.
  private static final int COMFORTABLE_COLUMN = 22;
  private static final ColorScheme PLAIN = Help.defaultColorScheme(Ansi.OFF);

  private Tables() {}

  /** The width to fit: {@code COLUMNS} if set (a terminal's width), else {@link #DEFAULT_WIDTH}. */
  static int width() {
    String columns = System.getenv("COLUMNS");
    if (columns != null) {
      try {
        return Math.max(40, Integer.parseInt(columns.trim()));
      } catch (NumberFormatException e) {
        return DEFAULT_WIDTH;
      }
    }
    return DEFAULT_WIDTH;
  }

  /**
   * The header and rows laid out within {@code width} characters, each line ending in a newline.
   */
  static String render(List<String> header, List<List<String>> rows, int width) {
    int count = header.size();
    int[] widths = new int[count];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int c = 0; c < count; c++) {
        widths[c] = Math.max(widths[c], cell(row, c).length() + (c == 0 ? 0 : GAP));
      }
    }
    fit(widths, width, COMFORTABLE_COLUMN);
    fit(widths, width, MIN_COLUMN);
    Column[] columns = new Column[count];
    for (int c = 0; c < count; c++) {
      columns[c] = new Column(widths[c], c == 0 ? 0 : GAP, Column.Overflow.WRAP);
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : all) {
      // One table per row: picocli's table starts every column of a row on the same line only
      // when the row is alone.
      TextTable table = TextTable.forColumns(PLAIN, columns);
      table.indentWrappedLines = 0;
      table.addEmptyRow();
      for (int c = 0; c < count; c++) {
        table.putValue(0, c, PLAIN.text(cell(row, c)));
      }
      out.append(withoutTrailingBlankLines(table.toString()));
    }
    return out.toString();
  }

  /** Narrows the widest column, one character at a time, until the table fits or none is wider. */
  private static void fit(int[] widths, int width, int floor) {
    while (sum(widths) > width) {
      int widest = 0;
      for (int c = 1; c < widths.length; c++) {
        if (widths[c] > widths[widest]) {
          widest = c;
        }
      }
      if (widths[widest] <= floor) {
        return; // as narrow as it gets: the lines run over rather than become unreadable
      }
      widths[widest]--;
    }
  }

  private static int sum(int[] widths) {
    int total = 0;
    for (int w : widths) {
      total += w;
    }
    return total;
  }

  private static String cell(List<String> row, int c) {
    String value = c < row.size() ? row.get(c) : null;
    return value == null ? "-" : value.replace('\n', ' ');
  }

  private static String withoutTrailingBlankLines(String text) {
    StringBuilder kept = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.stripTrailing();
      if (!trimmed.isEmpty()) {
        kept.append(trimmed).append('\n');
      }
    }
    return kept.toString();
  }
}
