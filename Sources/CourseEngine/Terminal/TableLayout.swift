/// Lays out a markdown table with box-drawing borders inside a width, shrinking the widest
/// columns first and wrapping cell text when the natural width does not fit.
struct TableLayout {
    let renderer: TerminalRenderer
    let table: MarkdownTable
    let width: Int

    func lines() -> [String] {
        let columns = Swift.max(table.header.count, table.rows.map(\.count).max() ?? 0)
        guard columns > 0 else { return [] }
        let header = (0..<columns).map { table.header.indices.contains($0) ? renderer.spans(table.header[$0], base: TextStyle(bold: true)) : [] }
        let rows = table.rows.map { row in
            (0..<columns).map { row.indices.contains($0) ? renderer.spans(row[$0], base: .plain) : [] }
        }
        let available = width - (3 * columns + 1)
        guard available >= columns * 3 else { return stacked(header: header, rows: rows) }

        var widths = (0..<columns).map { c in
            ([header[c]] + rows.map { $0[c] }).map { TextWidth.of($0.map(\.text).joined()) }.max() ?? 0
        }.map { Swift.max($0, 1) }
        while widths.reduce(0, +) > available {
            let widest = widths.indices.max { widths[$0] < widths[$1] }!
            widths[widest] -= 1
        }

        let color = renderer.capabilities.color
        let border = TextStyle(color: .gray)
        func rule(_ left: String, _ mid: String, _ right: String) -> String {
            border.apply(left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: mid) + right, enabled: color)
        }
        func rowLines(_ cells: [[StyledSpan]]) -> [String] {
            let wrapped = cells.enumerated().map { c, spans in
                LineWrapper(width: widths[c]).wrap(spans)
            }
            let height = wrapped.map(\.count).max() ?? 1
            let bar = border.apply("│", enabled: color)
            return (0..<height).map { lineIndex in
                bar + wrapped.enumerated().map { c, lines in
                    let spans = lineIndex < lines.count ? lines[lineIndex] : []
                    let text = encodeLine(spans, renderer.capabilities)
                    let pad = widths[c] - TextWidth.of(spans.map(\.text).joined())
                    let alignment = table.alignments.indices.contains(c) ? table.alignments[c] : .none
                    switch alignment {
                    case .right: return " " + String(repeating: " ", count: pad) + text + " "
                    case .center:
                        let left = pad / 2
                        return " " + String(repeating: " ", count: left) + text + String(repeating: " ", count: pad - left) + " "
                    default: return " " + text + String(repeating: " ", count: pad) + " "
                    }
                }.joined(separator: bar) + bar
            }
        }

        var out = [rule("┌", "┬", "┐")]
        out += rowLines(header)
        out.append(rule("├", "┼", "┤"))
        for row in rows { out += rowLines(row) }
        out.append(rule("└", "┴", "┘"))
        return out
    }

    /// Too narrow for columns: each row becomes a block of `header: value` lines.
    private func stacked(header: [[StyledSpan]], rows: [[[StyledSpan]]]) -> [String] {
        var out: [String] = []
        for row in rows {
            if !out.isEmpty { out.append("") }
            for (c, cell) in row.enumerated() {
                let label = header[c] + [StyledSpan(": ")]
                out += renderer.wrap(label + cell, width: width)
            }
        }
        return out
    }
}
