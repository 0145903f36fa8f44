package org.imageferry.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * What a terminal shows of a stream of output, for tests: characters overwrite the line
 * at the cursor, {@code \r} returns to the line's start, {@code \n} moves to the next
 * line, {@code ESC [ K} erases to the line's end and {@code ESC [ 2K} the whole line;
 * other escape sequences (colours) draw nothing. Every state a line was in before the
 * cursor left it or erased it is kept ({@link #states}): a log line written onto the end
 * of the progress line shows there, however briefly the two shared the line.
 */
final class Screen {

	private final List<StringBuilder> lines = new ArrayList<>(List.of(new StringBuilder()));

	private final List<String> states = new ArrayList<>();

	private int row;

	private int column;

	static Screen of(String output) {
		Screen screen = new Screen();
		screen.write(output);
		return screen;
	}

	void write(String output) {
		for (int i = 0; i < output.length(); i++) {
			char c = output.charAt(i);
			if (c == '\u001B' && i + 1 < output.length() && output.charAt(i + 1) == '[') {
				int end = i + 2;
				while (end < output.length() && !Character.isLetter(output.charAt(end))) {
					end++;
				}
				if (end < output.length()) {
					escape(output.substring(i + 2, end), output.charAt(end));
				}
				i = end;
			}
			else if (c == '\r') {
				keep();
				this.column = 0;
			}
			else if (c == '\n') {
				keep();
				this.row++;
				if (this.row == this.lines.size()) {
					this.lines.add(new StringBuilder());
				}
			}
			else {
				put(c);
			}
		}
	}

	private void escape(String parameters, char command) {
		if (command != 'K') {
			return;
		}
		keep();
		StringBuilder line = this.lines.get(this.row);
		if (parameters.equals("2")) {
			line.setLength(0);
		}
		else if (parameters.isEmpty() || parameters.equals("0")) {
			line.setLength(Math.min(line.length(), this.column));
		}
	}

	private void put(char c) {
		StringBuilder line = this.lines.get(this.row);
		while (line.length() < this.column) {
			line.append(' ');
		}
		if (this.column < line.length()) {
			line.setCharAt(this.column, c);
		}
		else {
			line.append(c);
		}
		this.column++;
	}

	private void keep() {
		String line = this.lines.get(this.row).toString().stripTrailing();
		if (!line.isEmpty() && (this.states.isEmpty() || !this.states.get(this.states.size() - 1).equals(line))) {
			this.states.add(line);
		}
	}

	/** The screen's lines now, top to bottom. */
	List<String> lines() {
		return this.lines.stream().map((l) -> l.toString().stripTrailing()).toList();
	}

	/** Every text a line held, in order, before the cursor left it or it was erased. */
	List<String> states() {
		List<String> all = new ArrayList<>(this.states);
		all.addAll(lines().stream().filter((l) -> !l.isEmpty()).toList());
		return all;
	}

}
